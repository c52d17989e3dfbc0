import type { Clock } from '../../core/clock.ts';
import type { Store } from '../../db/store.ts';
import type { SyncClient } from './client.ts';
import { pushOutbox, type PushSummary } from './push.ts';

/**
 * One sync of this terminal: push the outbox, then pull until caught up (DESIGN.md section 6).
 *
 * Replaced by the pull helper's version at merge: this one only pushes, and its pull summary is
 * zeros (caught up), so the sync worker and the Sync screen can be built on the same signature.
 */

/** What a pull brought: pages applied, rows in them, and whether the terminal is caught up. */
export interface PullSummary {
  pages: number;
  rows: number;
  caughtUp: boolean;
}

export interface SyncNowSummary {
  push: PushSummary;
  pull: PullSummary;
}

export async function syncNow(store: Store, client: SyncClient, options: { clock?: Clock } = {}): Promise<SyncNowSummary> {
  const push = await pushOutbox(store, client, options.clock ? { clock: options.clock } : {});
  return { push, pull: { pages: 0, rows: 0, caughtUp: true } };
}
