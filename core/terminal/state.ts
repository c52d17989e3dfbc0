import { newId } from '../ids.ts';
import { sql, type Store } from '../../db/store.ts';

/**
 * Per-terminal state kept in the local store: the device id, the gap-free outbox sequence and the
 * hybrid logical clock. It is read and written inside each command's transaction, never cached in
 * memory, because the import worker and sync worker write through their own connections.
 */
function read(store: Store, key: string): string | undefined {
  return store.first(sql.selectFrom('terminal_state').select('value').where('key', '=', key))?.value;
}

function write(store: Store, key: string, value: string): void {
  store.run(
    sql
      .insertInto('terminal_state')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value })),
  );
}

/** This terminal's device id, created on first use. */
export function deviceId(store: Store): string {
  const existing = read(store, 'device_id');
  if (existing) return existing;
  const id = newId();
  write(store, 'device_id', id);
  return id;
}

/** The next gap-free per-device sequence number of the outbox (call inside the command's transaction). */
export function nextDeviceSeq(store: Store): number {
  const next = Number(read(store, 'device_seq') ?? '0') + 1;
  write(store, 'device_seq', String(next));
  return next;
}

export interface HlcStamp {
  wallMs: number;
  counter: number;
}

/** Hybrid logical clock tick: never goes backwards even if the wall clock does. */
export function tickHlc(previous: HlcStamp | undefined, wallMs: number): HlcStamp {
  if (!previous || wallMs > previous.wallMs) return { wallMs, counter: 0 };
  return { wallMs: previous.wallMs, counter: previous.counter + 1 };
}

/** Text form that sorts in clock order: zero-padded wall time, counter, then the device id as tie-break. */
export function formatHlc(stamp: HlcStamp, device: string): string {
  return `${String(stamp.wallMs).padStart(15, '0')}:${String(stamp.counter).padStart(6, '0')}:${device}`;
}

export function parseHlc(text: string): HlcStamp | undefined {
  const match = /^(\d{15}):(\d{6}):/.exec(text);
  return match ? { wallMs: Number(match[1]), counter: Number(match[2]) } : undefined;
}

/** Advances this terminal's HLC and returns the new stamp as text. */
export function nextHlc(store: Store, wallMs: number, device: string): string {
  const previous = parseHlc(read(store, 'hlc') ?? '');
  const text = formatHlc(tickHlc(previous, wallMs), device);
  write(store, 'hlc', text);
  return text;
}
