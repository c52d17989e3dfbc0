/**
 * The hybrid logical clock (DESIGN.md section 6): a pure module, so the terminal, the sync worker
 * and the server stamp and merge the same way. A stamp is the corrected wall time in milliseconds
 * and a counter that orders stamps within one millisecond; its text form (`formatHlc`) sorts in
 * clock order, with the device id as the last tie-break.
 *
 * Bounded in size: the counter never exceeds MAX_HLC_COUNTER (six digits in the text form). A tick
 * that would pass it moves to the next millisecond instead, which keeps the order strict at any
 * counter value. Bounded in drift: a remote stamp more than MAX_HLC_AHEAD_MS ahead of this
 * terminal's corrected time is merged only up to that bound, so one terminal with a wrong clock
 * cannot drag every other terminal's stamps into the future.
 */
export interface HlcStamp {
  wallMs: number;
  counter: number;
}

export const MAX_HLC_COUNTER = 999_999;
/** How far ahead of corrected time the clock may run: 5 minutes (DESIGN.md section 6). */
export const MAX_HLC_AHEAD_MS = 5 * 60 * 1000;
const WALL_DIGITS = 15;

/** Corrected time: the local wall clock plus the offset to the server's clock (0 until a sync measured it). */
export function correctedTime(localMs: number, serverOffsetMs: number): number {
  return localMs + serverOffsetMs;
}

/** The offset the sync worker records from a response: the server's time minus the local time at its midpoint. */
export function serverOffset(serverMs: number, sentAtMs: number, receivedAtMs: number): number {
  return Math.round(serverMs - (sentAtMs + receivedAtMs) / 2);
}

function after(previous: HlcStamp): HlcStamp {
  return previous.counter >= MAX_HLC_COUNTER
    ? { wallMs: previous.wallMs + 1, counter: 0 }
    : { wallMs: previous.wallMs, counter: previous.counter + 1 };
}

/** The stamp for a local event at corrected time `nowMs`: strictly after `previous`, whatever the wall clock does. */
export function tickHlc(previous: HlcStamp | undefined, nowMs: number): HlcStamp {
  if (!previous || nowMs > previous.wallMs) return { wallMs: nowMs, counter: 0 };
  return after(previous);
}

/**
 * Merges a stamp received from another device (a pulled row, a server receipt): the result is after
 * both the local stamp and the remote one, unless the remote one is beyond the drift bound, in which
 * case it counts only up to `nowMs + MAX_HLC_AHEAD_MS`.
 */
export function receiveHlc(local: HlcStamp | undefined, remote: HlcStamp, nowMs: number): HlcStamp {
  const bound = nowMs + MAX_HLC_AHEAD_MS;
  const capped = remote.wallMs > bound ? { wallMs: bound, counter: 0 } : remote;
  const latest = !local || compareHlc(capped, local) > 0 ? capped : local;
  return tickHlc(latest, nowMs);
}

export function compareHlc(a: HlcStamp, b: HlcStamp): number {
  return a.wallMs - b.wallMs || a.counter - b.counter;
}

/** Text form that sorts in clock order: zero-padded wall time, counter, then the device id as tie-break. */
export function formatHlc(stamp: HlcStamp, device: string): string {
  return `${String(stamp.wallMs).padStart(WALL_DIGITS, '0')}:${String(stamp.counter).padStart(6, '0')}:${device}`;
}

export function parseHlc(text: string): HlcStamp | undefined {
  const match = /^(\d{15}):(\d{6}):/.exec(text);
  return match ? { wallMs: Number(match[1]), counter: Number(match[2]) } : undefined;
}
