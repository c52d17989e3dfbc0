import { describe, expect, it } from 'vitest';
import { formatEventTime, formatInZone, timeZoneNote } from './dates.ts';

describe('event times', () => {
  it('shows an instant on the event zone wall clock, whatever the terminal zone', () => {
    expect(formatInZone('2026-07-12T19:04:00.000Z', 'Europe/Amsterdam')).toBe('12 Jul 2026, 21:04');
    expect(formatInZone('2026-07-12T19:04:00.000Z', 'America/New_York')).toBe('12 Jul 2026, 15:04');
    expect(formatInZone(null, 'Europe/Amsterdam')).toBe('N/A');
  });

  it('names the zone beside a time only when it differs from the section note', () => {
    expect(formatEventTime('2026-07-12T19:04:00.000Z', 'Europe/Amsterdam', 'Europe/Amsterdam')).toBe('12 Jul 2026, 21:04');
    expect(formatEventTime('2026-07-12T19:04:00.000Z', 'Europe/London', 'Europe/Amsterdam')).toBe('12 Jul 2026, 20:04 (Europe/London)');
    expect(timeZoneNote('America/New_York')).toBe('Times in America/New York (event time)');
  });

  it('falls back to UTC for a zone it does not know', () => {
    expect(formatInZone('2026-07-12T19:04:00.000Z', 'Not/AZone')).toBe('12 Jul 2026, 19:04');
  });
});
