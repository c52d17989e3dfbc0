import type { Clock } from '../../core/clock.ts';
import type { Store } from '../../db/store.ts';
import type { SyncClient } from './client.ts';
import { commandCount } from './outbox.ts';
import { pullUntilCaughtUp, type PullSummary } from './pull.ts';
import { bothPushes, pushOutbox, type PushSummary } from './push.ts';

/**
 * "Sync now" (the CLI's `box-office sync now`, the Sync screen's button): push the commands waiting,
 * then pull until caught up. Commands written while it ran (a gate keeps scanning) are pushed and
 * pulled in another round, a few rounds at most: a busy gate always has one more, and the sync
 * worker takes them next time. A server that cannot be reached throws (ServerUnreachable) with
 * nothing lost: each push batch and each pull page is its own transaction.
 */

export interface SyncNowSummary {
  push: PushSummary;
  pull: PullSummary;
}

const maxRounds = 3;

export async function syncNow(store: Store, client: SyncClient, options?: { clock?: Clock }): Promise<SyncNowSummary> {
  const clock = options?.clock ? { clock: options.clock } : {};
  let push = await pushOutbox(store, client, clock);
  let pull = await pullUntilCaughtUp(store, client, clock);
  for (let round = 1; round < maxRounds && commandCount(store, 'pending') > 0; round++) {
    const more = await pushOutbox(store, client, clock);
    const pulled = await pullUntilCaughtUp(store, client, clock);
    push = bothPushes(push, more);
    pull = { ...pulled, pages: pull.pages + pulled.pages, rows: pull.rows + pulled.rows, rerun: pull.rerun + pulled.rerun };
  }
  return { push, pull };
}
