import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { eventSchema } from '../../core/events/events.contract.ts';
import { newId } from '../../core/ids.ts';
import type { ServerDatabase } from '../db/database.ts';

/**
 * Events, created on the server by an administrator (`box-office-server events create`); terminals
 * receive them with the other synced rows. Their ticket types, gates and catalog come from an admin
 * terminal, through the same commands it runs offline. The row's `server_version` is stamped by
 * migration 0002's trigger.
 */

/**
 * An IANA time zone (`Europe/Amsterdam`), stored as Intl spells it, so `europe/amsterdam` is
 * accepted. Intl also takes offsets (`+02:00`), which follow no daylight saving time: refused.
 */
export const timeZoneSchema = z
  .string()
  .trim()
  .transform((zone, context) => {
    const canonical = /^[A-Za-z]/.test(zone) ? canonicalTimeZone(zone) : undefined;
    if (canonical === undefined) {
      context.addIssue({ code: 'custom', message: 'Time zone must be an IANA name such as Europe/Amsterdam or UTC' });
      return z.NEVER;
    }
    return canonical;
  });

function canonicalTimeZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

export const currencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, 'Currency must be an ISO-4217 code such as EUR');

/** A moment with its offset (`2026-07-10T18:00:00+02:00` or `…Z`), stored in UTC as every time in the store. */
const momentSchema = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .pipe(z.iso.datetime({ offset: true, local: false, message: `${label} must be an ISO-8601 time with its offset, such as 2026-07-10T18:00:00+02:00` }))
    .transform((text) => new Date(text).toISOString());

export const createEventInput = z
  .object({
    name: z.string({ error: 'Name is required' }).trim().min(1, 'Name is empty').max(200, 'Name is longer than 200 characters'),
    startsAt: momentSchema('Starts at'),
    endsAt: momentSchema('Ends at'),
    timeZone: timeZoneSchema,
    currency: currencySchema,
  })
  .refine((event) => event.endsAt > event.startsAt, { message: 'Ends at must be after the start', path: ['endsAt'] });
export type CreateEventInput = z.output<typeof createEventInput>;

/** An event as the terminal's API lists it (core/events), without the ticket types a terminal adds, with its creation time. */
export const serverEventSchema = eventSchema.omit({ ticketTypes: true }).extend({ createdAt: z.string() });
export type ServerEvent = z.infer<typeof serverEventSchema>;

export async function createEvent(db: ServerDatabase, clock: Clock, input: CreateEventInput): Promise<{ id: string }> {
  const id = newId();
  const now = clock.now().toISOString();
  await db
    .insertInto('events')
    .values({ id, name: input.name, starts_at: input.startsAt, ends_at: input.endsAt, time_zone: input.timeZone, currency: input.currency, created_at: now, updated_at: now, server_version: null })
    .execute();
  return { id };
}

/** Every event, earliest first. */
export async function listEvents(db: ServerDatabase): Promise<ServerEvent[]> {
  const rows = await db
    .selectFrom('events')
    .select(['id', 'name', 'starts_at', 'ends_at', 'time_zone', 'currency', 'created_at'])
    .orderBy('starts_at')
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, startsAt: row.starts_at, endsAt: row.ends_at, timeZone: row.time_zone, currency: row.currency, createdAt: row.created_at }));
}
