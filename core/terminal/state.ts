import { newId } from '../ids.ts';
import type { Store } from '../../db/store.ts';
import { correctedTime, formatHlc, parseHlc, receiveHlc, tickHlc, type HlcStamp } from './hlc.ts';

/**
 * Per-terminal state kept in the local store: the device id, its short code, the gap-free outbox
 * sequence, the hybrid logical clock and the offset to the server's clock. It is read and written
 * inside each command's transaction, never taken from memory, because the import worker and sync
 * worker write through their own connections. None of it syncs. Every command reads and writes it,
 * so it goes through statements prepared once: compiling kysely per access put 0.16 ms on a scan's
 * p50 (0.66 → 0.50 ms, bench/checkin.bench.ts at BENCH_SCALE=0.1).
 */
const selectValue = 'SELECT value FROM terminal_state WHERE key = ?';
const upsertValue = 'INSERT INTO terminal_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';

function read(store: Store, key: string): string | undefined {
  return (store.statement(selectValue).get(key) as { value: string } | undefined)?.value;
}

function write(store: Store, key: string, value: string): void {
  store.statement(upsertValue).run(key, value);
}

/** The event this terminal works on when an operation names none (events.choose); null until chosen. */
export function chosenEventId(store: Store): string | null {
  return read(store, 'event_id') ?? null;
}

export function setChosenEventId(store: Store, eventId: string): void {
  write(store, 'event_id', eventId);
}

/** This terminal's device id, created on first use. */
export function deviceId(store: Store): string {
  return read(store, 'device_id') || createDeviceId(store);
}

/** This terminal's device id, or null before its first command made one (read only). */
export function existingDeviceId(store: Store): string | null {
  return read(store, 'device_id') || null;
}

function createDeviceId(store: Store): string {
  const id = newId();
  write(store, 'device_id', id);
  return id;
}

// Crockford's base32 without I, L, O and U: a code staff read aloud is never misread.
const shortCodeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The short code of a device id, for a terminal that has not been enrolled (enrolment assigns one):
 * four base32 characters of the id's random tail (a UUIDv7's first 48 bits are its time, so two
 * terminals installed in the same minute would share them). 32^4 codes: two terminals of one event
 * share one with a chance of about one in a million per pair.
 */
export function shortCodeOfDevice(device: string): string {
  const random = Number.parseInt(device.replaceAll('-', '').slice(-10), 16);
  let code = '';
  for (let i = 0, rest = random; i < 4; i++, rest = Math.floor(rest / 32)) code += shortCodeAlphabet[rest % 32];
  return code;
}

/** This terminal's short code (DESIGN.md section 5, "Keys people read"): the enrolled one, else the device id's. */
export function terminalShortCode(store: Store): string {
  return read(store, 'short_code') ?? shortCodeOfDevice(deviceId(store));
}

/** Records the short code enrolment assigned (the sync issue's enrolment calls this). */
export function setTerminalShortCode(store: Store, code: string): void {
  write(store, 'short_code', code);
}

/**
 * The sequence number the next outbox row takes (call inside the command's transaction). It is
 * taken with `setDeviceSeq` only when the row is written, so a command that changed nothing
 * leaves no gap.
 */
export function peekDeviceSeq(store: Store): number {
  return Number(read(store, 'device_seq') ?? '0') + 1;
}

export function setDeviceSeq(store: Store, seq: number): void {
  write(store, 'device_seq', String(seq));
}

/** The next value of a terminal-local counter (order numbers issued here, ...). */
export function nextCounter(store: Store, key: string): number {
  const next = Number(read(store, key) ?? '0') + 1;
  write(store, key, String(next));
  return next;
}

/** The offset to the server's clock in milliseconds (0 until a sync measured one). */
export function serverOffsetMs(store: Store): number {
  return Number(read(store, 'server_offset_ms') ?? '0');
}

/** The hook the sync worker calls with the offset it measured (hlc.ts `serverOffset`). */
export function recordServerOffset(store: Store, offsetMs: number): void {
  if (!Number.isSafeInteger(offsetMs)) throw new RangeError(`server offset must be whole milliseconds, got ${offsetMs}`);
  write(store, 'server_offset_ms', String(offsetMs));
}

/**
 * The stamp this process ticked last, with its text. The next command reads that very text back
 * from the store (unless a sync or a replay merged a remote stamp in between: then the text
 * differs and is parsed), so it is not parsed again: the regular expression cost ~1 µs of every
 * command when timed between scans, as a gate runs it. A text always means the same stamp,
 * whichever store it came from, so one entry serves every store.
 */
let lastTicked: { text: string; stamp: HlcStamp } | undefined;

/** The stamp after `previousText` (this terminal's last) for a local event at `localMs`, as text. */
function tickedHlc(previousText: string | undefined, localMs: number, offsetMs: number, device: string): string {
  const previous = previousText !== undefined && previousText === lastTicked?.text ? lastTicked.stamp : parseHlc(previousText ?? '');
  const stamp = tickHlc(previous, correctedTime(localMs, offsetMs));
  const text = formatHlc(stamp, device);
  lastTicked = { text, stamp };
  return text;
}

/** Advances this terminal's HLC at local time `localMs` and returns the new stamp as text. */
export function nextHlc(store: Store, localMs: number, device: string): string {
  const text = tickedHlc(read(store, 'hlc'), localMs, serverOffsetMs(store), device);
  write(store, 'hlc', text);
  return text;
}

/** What the next command's envelope takes from this terminal (command.ts `runCommand`). */
export interface EnvelopeStamp {
  deviceId: string;
  /** The sequence number its outbox row takes, if it writes one (`setDeviceSeq` takes it then). */
  seq: number;
  /** This terminal's HLC advanced for it, already written. */
  hlc: string;
}

// The four values every command reads, in one statement: read one by one (deviceId, peekDeviceSeq,
// nextHlc's stamp and server offset) they were four of the scan's 17 statements.
const selectEnvelopeState = `SELECT
  (SELECT value FROM terminal_state WHERE key = 'device_id') AS device_id,
  (SELECT value FROM terminal_state WHERE key = 'device_seq') AS device_seq,
  (SELECT value FROM terminal_state WHERE key = 'hlc') AS hlc,
  (SELECT value FROM terminal_state WHERE key = 'server_offset_ms') AS server_offset_ms`;

interface EnvelopeState {
  device_id: string | null;
  device_seq: string | null;
  hlc: string | null;
  server_offset_ms: string | null;
}

/**
 * Stamps the next command at local time `localMs` (call inside its transaction): what `deviceId`,
 * `peekDeviceSeq` and `nextHlc` give, in one read and one write.
 */
export function stampEnvelope(store: Store, localMs: number): EnvelopeStamp {
  const state = store.statement(selectEnvelopeState).get() as EnvelopeState;
  const device = state.device_id || createDeviceId(store);
  const hlc = tickedHlc(state.hlc ?? undefined, localMs, Number(state.server_offset_ms ?? '0'), device);
  write(store, 'hlc', hlc);
  return { deviceId: device, seq: Number(state.device_seq ?? '0') + 1, hlc };
}

/** Merges a stamp received from another device into this terminal's HLC (sync pulls call this). */
export function receiveRemoteHlc(store: Store, remoteText: string, localMs: number, device: string): string {
  const remote = parseHlc(remoteText);
  if (!remote) throw new RangeError(`not a hybrid logical clock stamp: ${remoteText}`);
  const previous = parseHlc(read(store, 'hlc') ?? '');
  const text = formatHlc(receiveHlc(previous, remote, correctedTime(localMs, serverOffsetMs(store))), device);
  write(store, 'hlc', text);
  return text;
}
