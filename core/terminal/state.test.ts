import { describe, expect, it } from 'vitest';
import { createTestCore } from '../../test/fixtures/store.ts';
import { MAX_HLC_AHEAD_MS, formatHlc, parseHlc } from './hlc.ts';
import {
  deviceId,
  nextHlc,
  peekDeviceSeq,
  receiveRemoteHlc,
  recordServerOffset,
  setDeviceSeq,
  setTerminalShortCode,
  shortCodeOfDevice,
  stampEnvelope,
  terminalShortCode,
} from './state.ts';

describe('terminal state', () => {
  it('creates the device id once and keeps it', () => {
    const { store } = createTestCore();
    const id = deviceId(store);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(deviceId(store)).toBe(id);
  });

  it('derives a short code from the device id until enrolment assigns one', () => {
    const { store } = createTestCore();
    const derived = terminalShortCode(store);
    expect(derived).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(derived).toBe(shortCodeOfDevice(deviceId(store)));
    // Two devices installed in the same millisecond differ in their random tail, so in their code.
    expect(shortCodeOfDevice('019a0000-0000-7000-8000-00000000001f')).not.toBe(shortCodeOfDevice('019a0000-0000-7000-8000-000000000020'));
    setTerminalShortCode(store, 'B7');
    expect(terminalShortCode(store)).toBe('B7');
  });

  it('stamps on corrected time once the sync worker recorded the server offset, and merges remote stamps', () => {
    const { store } = createTestCore();
    const device = deviceId(store);
    expect(parseHlc(nextHlc(store, 10_000, device))).toEqual({ wallMs: 10_000, counter: 0 });
    recordServerOffset(store, 60_000);
    expect(parseHlc(nextHlc(store, 10_000, device))).toEqual({ wallMs: 70_000, counter: 0 });
    const merged = receiveRemoteHlc(store, formatHlc({ wallMs: 80_000, counter: 4 }, 'other'), 10_000, device);
    expect(parseHlc(merged)).toEqual({ wallMs: 80_000, counter: 5 });
    // A remote stamp a day ahead moves the clock only to the bound.
    const far = receiveRemoteHlc(store, formatHlc({ wallMs: 70_000 + 86_400_000, counter: 0 }, 'other'), 10_000, device);
    expect(parseHlc(far)!.wallMs).toBeLessThanOrEqual(70_000 + MAX_HLC_AHEAD_MS);
    expect(() => recordServerOffset(store, 0.5)).toThrow('whole milliseconds');
    expect(() => receiveRemoteHlc(store, 'nonsense', 10_000, device)).toThrow('not a hybrid logical clock stamp');
  });

  it('stamps a command as deviceId, peekDeviceSeq and nextHlc would, in one read', () => {
    const { store } = createTestCore();
    const first = stampEnvelope(store, 10_000);
    expect(first.deviceId).toBe(deviceId(store));
    expect(first.seq).toBe(1);
    expect(parseHlc(first.hlc)).toEqual({ wallMs: 10_000, counter: 0 });
    expect(first.hlc.endsWith(`:${first.deviceId}`)).toBe(true);
    // The seq is only peeked: the runner takes it when it writes the outbox row.
    expect(peekDeviceSeq(store)).toBe(1);
    setDeviceSeq(store, 1);
    recordServerOffset(store, 60_000);
    const second = stampEnvelope(store, 10_000);
    expect(second).toMatchObject({ deviceId: first.deviceId, seq: 2 });
    expect(parseHlc(second.hlc)).toEqual({ wallMs: 70_000, counter: 0 });
    // The stamp was written: the next one, at the same time, counts on from it.
    expect(parseHlc(nextHlc(store, 10_000, first.deviceId))).toEqual({ wallMs: 70_000, counter: 1 });
    expect(parseHlc(stampEnvelope(store, 10_000).hlc)).toEqual({ wallMs: 70_000, counter: 2 });
    // A stamp merged in between (a sync, a replay) is what the next command ticks after.
    receiveRemoteHlc(store, formatHlc({ wallMs: 90_000, counter: 7 }, 'other'), 10_000, first.deviceId);
    expect(parseHlc(stampEnvelope(store, 10_000).hlc)).toEqual({ wallMs: 90_000, counter: 9 });
  });
});
