import { z } from 'zod';
import { deviceRoleSchema } from '../protocol.ts';
import { sql, type Store } from '../../db/store.ts';

/**
 * What the terminal keeps about its sync in `terminal_state` (none of it syncs): the enrolment
 * (server, role, event, when) and the time of the last push the server answered. The device id,
 * short code and clock offset sit beside them in core/terminal/state.ts. The device token does not:
 * it lives in its own file (device-token.ts), because the store may be sent to support.
 */

/** The enrolment, one JSON value under one key: written at once by enrolment, read at once by every sync. */
export const enrolmentSchema = z.object({
  serverUrl: z.string(),
  deviceId: z.string(),
  role: deviceRoleSchema,
  /** The event the enrolment code was made for; null: every event. */
  eventId: z.string().nullable(),
  name: z.string().nullable(),
  enrolledAt: z.string(),
});
export type Enrolment = z.infer<typeof enrolmentSchema>;

const enrolmentKey = 'sync_enrolment';
const lastPushKey = 'sync_last_push_at';

function read(store: Store, key: string): string | undefined {
  return store.first(sql.selectFrom('terminal_state').select('value').where('key', '=', key))?.value;
}

function write(store: Store, key: string, value: string): void {
  store.run(sql.insertInto('terminal_state').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })));
}

/** This terminal's enrolment, or null before it enrolled. A value that no longer parses is an error, never "not enrolled". */
export function terminalEnrolment(store: Store): Enrolment | null {
  const text = read(store, enrolmentKey);
  if (text === undefined) return null;
  let parsed;
  try {
    parsed = enrolmentSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) throw new Error("This terminal's enrolment record is damaged: enrol it again with --force");
  return parsed.data;
}

export function recordEnrolment(store: Store, enrolment: Enrolment): void {
  write(store, enrolmentKey, JSON.stringify(enrolmentSchema.parse(enrolment)));
}

/** When the server last answered a push of this terminal (its local time, ISO-8601), or null. */
export function lastPushAt(store: Store): string | null {
  return read(store, lastPushKey) ?? null;
}

export function recordPushAt(store: Store, at: string): void {
  write(store, lastPushKey, at);
}
