/** Where core reads the time; tests pass a fixed or stepping clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** ISO-8601 UTC with milliseconds, the store's timestamp format. */
export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}
