import { z } from 'zod';
import { cursorsSchema, deviceRoleSchema, type Cursors } from '../protocol.ts';
import { sql, type Store } from '../../db/store.ts';

/**
 * What the terminal keeps about its sync in `terminal_state` (none of it syncs): the enrolment
 * (server, role, event, when), the time of the last push the server answered, and the pull cursors
 * (per scope, the newest server version whose rows the terminal holds). The device id,
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
const cursorsKey = 'sync_cursors';

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

/**
 * Per scope ('' and event ids), the newest server version whose rows this terminal holds: where the
 * next pull starts. Written in the same transaction as the rows of the page (or the snapshot) that
 * brought them, so a cursor never runs ahead of the rows. Empty before the first load.
 */
export function pullCursors(store: Store): Cursors {
  const text = read(store, cursorsKey);
  if (text === undefined) return {};
  let parsed;
  try {
    parsed = cursorsSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) throw new Error("This terminal's pull cursors are damaged: enrol it again with --force");
  return parsed.data;
}

export function recordPullCursors(store: Store, cursors: Cursors): void {
  write(store, cursorsKey, JSON.stringify(cursorsSchema.parse(cursors)));
}

const settledSeqKey = 'sync_settled_seq';

/**
 * This terminal's newest seq such that every command of it up to there has its effects in the rows
 * it pulled (or was rejected): a pull's rebase runs again only the commands after it. Migration
 * 0015 starts it at the newest seq written before the terminal kept before-images.
 */
export function settledSeq(store: Store): number {
  const text = read(store, settledSeqKey);
  if (text === undefined) return 0;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error("This terminal's settled seq is damaged: enrol it again with --force");
  return value;
}

export function recordSettledSeq(store: Store, seq: number): void {
  write(store, settledSeqKey, String(seq));
}

const firstLoadKey = 'sync_first_load';

/**
 * The first load in progress (sync/terminal/first-load.ts), as it wrote it: where each scope's next
 * page starts and the indexes it dropped. Null when no load is under way. Written in the same
 * transaction as the rows of each page, so a load killed at any point continues from the last page
 * it committed.
 */
export function firstLoadRecord(store: Store): string | null {
  return read(store, firstLoadKey) ?? null;
}

/** Records the load's position; null removes it (the load ended, in the transaction that records the cursors). */
export function recordFirstLoad(store: Store, record: string | null): void {
  if (record === null) store.run(sql.deleteFrom('terminal_state').where('key', '=', firstLoadKey));
  else write(store, firstLoadKey, record);
}
