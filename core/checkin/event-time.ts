/**
 * Local time in an event's time zone. The store keeps instants (ISO-8601 UTC); gates and counts
 * speak in the event's wall clock ("valid from Saturday 10:00", "today"), which these functions
 * translate with Intl, so a terminal's own time zone never matters.
 */

const partFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partFormats.set(timeZone, format);
  }
  return format;
}

interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localFields(instantMs: number, timeZone: string): LocalFields {
  const fields: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(instantMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year!,
    month: fields.month!,
    day: fields.day!,
    hour: fields.hour!,
    minute: fields.minute!,
    second: fields.second!,
  };
}

/** How far the zone's wall clock is ahead of UTC at this instant, in ms (whole seconds). */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const local = localFields(instantMs, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - (instantMs - (((instantMs % 1000) + 1000) % 1000));
}

/** True when the name is a time zone Intl knows (IANA names such as Europe/Amsterdam, or UTC). */
export function isTimeZone(timeZone: string): boolean {
  try {
    partsFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

const localPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/**
 * The instant of a wall-clock time in the zone. In the hour a DST change skips, the time is read
 * with the offset before the change (02:30 on a spring-forward night is 03:30 summer time); in the
 * hour that repeats, the first (summer) occurrence is taken.
 */
export function localToInstantMs(local: string, timeZone: string): number | undefined {
  const match = localPattern.exec(local);
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = match;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms.padEnd(3, '0')));
  if (Number.isNaN(wall)) return undefined;
  // The zone's offsets half a day either side cover any DST change around this wall time.
  const before = zoneOffsetMs(wall - 43_200_000, timeZone);
  const after = zoneOffsetMs(wall + 43_200_000, timeZone);
  const candidates = [wall - before, wall - after].filter((instant) => zoneOffsetMs(instant, timeZone) === wall - instant);
  return candidates.length > 0 ? Math.min(...candidates) : wall - before;
}

/**
 * A ticket type's window bound: an ISO instant (with Z or an offset) as stored, or a local
 * date-time without offset, read in the event's time zone. Undefined when unreadable.
 */
export function windowBoundMs(text: string, timeZone: string): number | undefined {
  if (/(?:Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return localToInstantMs(text, timeZone);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The event's calendar day (YYYY-MM-DD) at this instant. */
export function localDay(instantMs: number, timeZone: string): string {
  const local = localFields(instantMs, timeZone);
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}`;
}

/** The instants where a local calendar day starts and the next one starts (23, 24 or 25 hours apart). */
export function localDayRange(day: string, timeZone: string): { fromMs: number; toMs: number } | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const fromMs = localToInstantMs(day, timeZone);
  const next = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1));
  const toMs = localToInstantMs(next.toISOString().slice(0, 10), timeZone);
  if (fromMs === undefined || toMs === undefined || localDay(fromMs, timeZone) !== day) return undefined;
  return { fromMs, toMs };
}

const shownFormats = new Map<string, Intl.DateTimeFormat>();

/** An instant as staff at the event read it: "Sat 11 Jul 2026, 10:00" in the event's zone. */
export function formatEventTime(instantMs: number, timeZone: string): string {
  let format = shownFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    shownFormats.set(timeZone, format);
  }
  return format.format(instantMs);
}
