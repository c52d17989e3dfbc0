import type { Clock } from '../../core/clock.ts';
import type { Store } from '../../db/store.ts';
import type { SyncClient } from './client.ts';
import { firstLoadInProgress, loadFirstSnapshot, notFreshReason, type FirstLoadProgress } from './first-load.ts';
import { commandCount } from './outbox.ts';
import { pullUntilCaughtUp, type PullSummary } from './pull.ts';
import { bothPushes, nothingPushed, pushOutbox, type PushSummary } from './push.ts';
import { pullCursors } from './state.ts';

/**
 * "Sync now" (the CLI's `box-office sync now`, the Sync screen's button): push the commands waiting,
 * then pull until caught up. Commands written while it ran (a gate keeps scanning) are pushed and
 * pulled in another round, a few rounds at most: a busy gate always has one more, and the sync
 * worker takes them next time. The sync worker's run for another terminal's push
 * (`skipEmptyPush`) pulls at once when nothing of this terminal's waits: the push before it would
 * send nothing and add a round trip to the time a scan takes from one gate to another. A server
 * that cannot be reached throws (ServerUnreachable) with nothing lost: each push batch and each
 * pull page is its own transaction.
 *
 * A fresh terminal (enrolled, holding no synced rows) first loads its event from the server's
 * snapshot (DESIGN.md section 6, "First load"), and one whose load was cut off continues it; the
 * pull then goes on from the snapshot's version. So enrolling from the Sync screen loads the event
 * on the sync worker's thread, as `box-office sync enrol` does in its own process.
 */

export interface SyncNowSummary {
  push: PushSummary;
  pull: PullSummary;
}

const maxRounds = 3;

export interface SyncNowOptions {
  clock?: Clock;
  /** Told the first load's progress, when this sync makes one. */
  onLoadProgress?: (progress: FirstLoadProgress) => void;
  /** When no command waits, pull without pushing first (the sync worker, told of another terminal's push). */
  skipEmptyPush?: boolean;
}

/** Whether this sync starts with a first load: one under way, or a fresh store (no cursors, no rows). */
function needsFirstLoad(store: Store): boolean {
  return firstLoadInProgress(store) || (Object.keys(pullCursors(store)).length === 0 && notFreshReason(store) === null);
}

export async function syncNow(store: Store, client: SyncClient, options?: SyncNowOptions): Promise<SyncNowSummary> {
  const clock = options?.clock ? { clock: options.clock } : {};
  if (needsFirstLoad(store)) await loadFirstSnapshot(store, client, options?.onLoadProgress ? { onProgress: options.onLoadProgress } : {});
  if (options?.skipEmptyPush && commandCount(store, 'pending') === 0) {
    const pull = await pullUntilCaughtUp(store, client, clock);
    return { push: nothingPushed(pull.settledSeq, commandCount(store, 'pending')), pull };
  }
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
