/**
 * Records a reader's events and waits for the ones a test (or a "test read" in the UI) expects,
 * without fixed sleeps.
 */
import type { ReaderEvent } from '../reader.ts';

type EventOf<T extends ReaderEvent['type']> = Extract<ReaderEvent, { type: T }>;

interface Waiter {
  matches(event: ReaderEvent): boolean;
  resolve(event: ReaderEvent): void;
}

export class ReaderEventLog {
  readonly events: ReaderEvent[] = [];
  private waiters: Waiter[] = [];

  /** Pass this to `reader.onEvent`. */
  readonly record = (event: ReaderEvent): void => {
    this.events.push(event);
    for (const waiter of [...this.waiters]) {
      if (waiter.matches(event)) {
        this.waiters = this.waiters.filter((other) => other !== waiter);
        waiter.resolve(event);
      }
    }
  };

  of<T extends ReaderEvent['type']>(type: T): Array<EventOf<T>> {
    return this.events.filter((event): event is EventOf<T> => event.type === type);
  }

  /** Event types in order, with the UID for tag events: `tagPresented 04A2…`. */
  get summary(): string[] {
    return this.events.map((event) => ('uid' in event ? `${event.type} ${event.uid}` : event.type));
  }

  /**
   * The first event of `type` (matching `where`) recorded at or after index `from` (default: any
   * time, including already recorded), or a rejection naming what was seen after `timeoutMs`.
   */
  waitFor<T extends ReaderEvent['type']>(
    type: T,
    options: { where?: (event: EventOf<T>) => boolean; from?: number; timeoutMs?: number } = {},
  ): Promise<EventOf<T>> {
    const matches = (event: ReaderEvent): event is EventOf<T> => event.type === type && (options.where?.(event as EventOf<T>) ?? true);
    const seen = this.events.slice(options.from ?? 0).find(matches);
    if (seen) return Promise.resolve(seen);
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((other) => other !== waiter);
        reject(new Error(`no ${type} event within ${timeoutMs} ms; events so far: ${this.summary.join(', ') || 'none'}`));
      }, timeoutMs);
      const waiter: Waiter = {
        matches,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event as EventOf<T>);
        },
      };
      this.waiters.push(waiter);
    });
  }
}
