import { describe, expect, it } from 'vitest';
import { formatEventTime, isTimeZone, localDay, localDayRange, localToInstantMs, windowBoundMs, zoneOffsetMs } from './event-time.ts';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const tz = 'Europe/Amsterdam';

describe('event time', () => {
  it('turns local wall-clock times into instants, summer and winter', () => {
    expect(iso(localToInstantMs('2026-07-11T10:00', tz))).toBe('2026-07-11T08:00:00.000Z');
    expect(iso(localToInstantMs('2026-01-11 10:00:30.5', tz))).toBe('2026-01-11T09:00:30.500Z');
    expect(iso(localToInstantMs('2026-07-11', 'UTC'))).toBe('2026-07-11T00:00:00.000Z');
    expect(iso(localToInstantMs('2026-07-11T10:00', 'Asia/Kathmandu'))).toBe('2026-07-11T04:15:00.000Z');
    expect(localToInstantMs('11/07/2026', tz)).toBeUndefined();
  });

  it('handles the DST changes: a skipped time moves forward, a repeated time takes the first', () => {
    expect(iso(localToInstantMs('2026-03-29T02:30', tz))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(localToInstantMs('2026-10-25T02:30', tz))).toBe('2026-10-25T00:30:00.000Z');
    expect(zoneOffsetMs(Date.parse('2026-07-11T08:00:00.999Z'), tz)).toBe(2 * 3_600_000);
  });

  it('reads window bounds as instants when they carry an offset, else as local time', () => {
    expect(iso(windowBoundMs('2026-07-11T08:00:00.000Z', tz))).toBe('2026-07-11T08:00:00.000Z');
    expect(iso(windowBoundMs('2026-07-11T10:00:00+02:00', tz))).toBe('2026-07-11T08:00:00.000Z');
    expect(iso(windowBoundMs('2026-07-11T10:00:00', tz))).toBe('2026-07-11T08:00:00.000Z');
    expect(windowBoundMs('soon', tz)).toBeUndefined();
  });

  it("gives the event's calendar day and its bounds (23 and 25 hours on DST days)", () => {
    expect(localDay(Date.parse('2026-07-10T22:30:00.000Z'), tz)).toBe('2026-07-11');
    expect(localDay(Date.parse('2026-07-10T21:59:59.999Z'), tz)).toBe('2026-07-10');
    const july = localDayRange('2026-07-11', tz)!;
    expect([iso(july.fromMs), iso(july.toMs)]).toEqual(['2026-07-10T22:00:00.000Z', '2026-07-11T22:00:00.000Z']);
    const spring = localDayRange('2026-03-29', tz)!;
    expect((spring.toMs - spring.fromMs) / 3_600_000).toBe(23);
    const autumn = localDayRange('2026-10-25', tz)!;
    expect((autumn.toMs - autumn.fromMs) / 3_600_000).toBe(25);
    expect(localDayRange('2026-02-30', tz)).toBeUndefined();
    expect(localDayRange('July 11', tz)).toBeUndefined();
  });

  it('formats instants for staff in the event time zone and knows zone names', () => {
    expect(formatEventTime(Date.parse('2026-07-11T08:00:00.000Z'), tz)).toBe('Sat, 11 Jul 2026, 10:00');
    expect(isTimeZone(tz)).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
