import { createInMemoryClient, type InMemoryClient } from '../api/in-memory-client.ts';
import type { CustomerCard, Result } from '../api/operations.ts';

export interface Call {
  name: string;
  input: unknown;
}

type Answer = (input: unknown) => Result<unknown> | Promise<Result<unknown>>;

/** A host a test scripts: answers per operation name, and a log of every call made. */
export interface FakeHost {
  client: InMemoryClient;
  calls: Call[];
  callsTo(name: string): unknown[];
  answer(name: string, answer: Answer): void;
  /** The next call to `name` waits until the test resolves it (to reorder answers). */
  hold(name: string): { resolve(result: Result<unknown>): void; started: Promise<unknown> };
}

export function createFakeHost(answers: Record<string, Answer> = {}): FakeHost {
  const table = new Map(Object.entries(answers));
  const held = new Map<string, { resolve(result: Result<unknown>): void; promise: Promise<Result<unknown>>; start(input: unknown): void }[]>();
  const calls: Call[] = [];
  const client = createInMemoryClient({
    invoke(name, input) {
      calls.push({ name, input });
      const queue = held.get(name);
      const next = queue?.shift();
      if (next) {
        next.start(input);
        return next.promise;
      }
      const answer = table.get(name);
      if (!answer) return { ok: false, error: { code: 'INTERNAL', message: `fake host has no answer for ${name}` } };
      return answer(input);
    },
  });
  return {
    client,
    calls,
    callsTo: (name) => calls.filter((call) => call.name === name).map((call) => call.input),
    answer: (name, answer) => table.set(name, answer),
    hold(name) {
      let resolve: (result: Result<unknown>) => void = () => undefined;
      let start: (input: unknown) => void = () => undefined;
      const promise = new Promise<Result<unknown>>((done) => {
        resolve = done;
      });
      const started = new Promise<unknown>((done) => {
        start = done;
      });
      const queue = held.get(name) ?? [];
      queue.push({ resolve, promise, start });
      held.set(name, queue);
      return { resolve, started };
    },
  };
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

/** Lets queued promise callbacks (answers, store updates) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

export function cardFixture(overrides: Partial<CustomerCard> = {}): CustomerCard {
  return {
    profile: {
      id: 'c-1',
      email: 'anna@example.com',
      firstName: 'Anna',
      lastName: 'Berg',
      phone: null,
      postcode: null,
      address: null,
      city: 'Utrecht',
      country: null,
      gender: null,
      verificationStatus: 'non_verified',
      description: null,
      createdAt: '2026-01-02T10:00:00.000Z',
      updatedAt: '2026-01-02T10:00:00.000Z',
      anonymous: false,
      displayName: 'Anna Berg',
    },
    alternativeEmails: [],
    labels: [],
    webUser: null,
    totals: { amountSpent: 5000, orderCount: 2, averageOrderValue: 2500, balances: { credit: 0, virtual_credit: 0, token: 0 }, currency: 'EUR' },
    timeline: [],
    tickets: [
      {
        id: 't-1',
        reference: 'BO-1',
        eventId: 'e-1',
        ticketTypeId: 'tt-weekend',
        ticketType: 'Weekend',
        status: 'valid',
        invalidReason: null,
        used: false,
        redeemed: false,
        banned: false,
        lastScan: null,
        scanCount: 0,
        orderId: null,
        credentialStatus: { code: 'unused', label: 'Valid Un-used', tone: 'good' },
        timeZone: 'Europe/Amsterdam',
      },
    ],
    tags: [],
    orders: [],
    events: [],
    history: [],
    timeZone: 'Europe/Amsterdam',
    thisDeviceId: null,
    ...overrides,
  };
}
