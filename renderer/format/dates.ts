/**
 * Timestamps arrive as ISO-8601 UTC. Things of an event (orders, scans, the card's history) are
 * read in the event's time zone, named beside them, so a terminal set to another zone (or a
 * laptop brought from abroad) shows the times the venue lived; the rest in the terminal's time.
 */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function parse(iso: string | null | undefined): Date | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function formatDateTime(iso: string | null | undefined, formatter: Intl.DateTimeFormat = dateTime): string {
  const date = parse(iso);
  return date ? formatter.format(date) : 'N/A';
}

export function formatDate(iso: string | null | undefined, formatter: Intl.DateTimeFormat = dateOnly): string {
  const date = parse(iso);
  return date ? formatter.format(date) : 'N/A';
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** en-GB day-month order ("12 Jul 2026, 21:04") reads the same for every staff member. */
function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    } catch {
      // A zone this browser does not know: UTC, and the caller's note then names UTC.
      format = zoneFormat('UTC');
    }
    zoneFormats.set(timeZone, format);
  }
  return format;
}

/** "12 Jul 2026, 21:04" on the zone's wall clock (the zone is named once, by the section). */
export function formatInZone(iso: string | null | undefined, timeZone: string): string {
  return formatDateTime(iso, zoneFormat(timeZone));
}

/**
 * A time of an event's thing inside a section whose note names `shownZone`: the time alone, or
 * with its own zone when its event lives in another one ("12 Jul 2026, 21:04 (Europe/London)").
 */
export function formatEventTime(iso: string | null | undefined, timeZone: string, shownZone: string): string {
  const text = formatInZone(iso, timeZone);
  return timeZone === shownZone || !parse(iso) ? text : `${text} (${timeZone})`;
}

/** The note a section shows once: which zone its times are in. */
export function timeZoneNote(timeZone: string): string {
  return `Times in ${timeZone.replace(/_/g, ' ')} (event time)`;
}
