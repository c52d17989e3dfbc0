// The sync worker thread (started by terminal-sync.ts): its own connection to the store, the
// terminal's SyncClient, the live socket and the loop that decides when to sync
// (sync/terminal/sync-loop.ts). It tells the host every change of state; the host adds what the
// store says (commands waiting, rejected) and publishes the status to the screens.
import { parentPort, workerData } from 'node:worker_threads';
import { DomainError } from '../../core/errors.ts';
import { failure, ok } from '../../core/result.ts';
import { openDatabase } from '../../db/connection.ts';
import { Store } from '../../db/store.ts';
import { WriteTurns } from '../../db/write-turns.ts';
import { SyncError } from '../../sync/terminal/client.ts';
import { enrolledClient } from '../../sync/terminal/enrolment.ts';
import { followLiveUpdates } from '../../sync/terminal/live-updates.ts';
import { commandCount } from '../../sync/terminal/outbox.ts';
import { lastPushAt, pullCursors, terminalEnrolment } from '../../sync/terminal/state.ts';
import { syncFailure } from '../../sync/terminal/sync-failure.ts';
import { SyncLoop } from '../../sync/terminal/sync-loop.ts';
import { syncNow } from '../../sync/terminal/sync-now.ts';
import { syncProgressOf } from '../../sync/terminal/load-progress.ts';
import { readDeviceToken } from '../../sync/terminal/device-token.ts';
import type { SyncNowResult } from '../../core/sync/sync.contract.ts';
import { settledCounts } from '../../sync/terminal/command-views.ts';
import type { SyncWorkerMessage, SyncWorkerRequest, SyncWorkerCommand } from './terminal-sync.ts';

function run(port: NonNullable<typeof parentPort>, request: SyncWorkerRequest): void {
  const post = (message: SyncWorkerMessage) => port.postMessage(message);
  const store = new Store(openDatabase(request.storeFile));
  // The background writer: a scan of the host's thread that waits for the turn goes first.
  store.shareWriteTurns(new WriteTurns(request.writeTurns), 'background');
  const client = enrolledClient(store, request.dataDir);
  const loop = new SyncLoop({
    sync: (run) =>
      syncNow(store, client, {
        skipEmptyPush: run.announcedOnly,
        onLoadProgress: (progress) => post({ type: 'event', event: { type: 'sync.progress', ...syncProgressOf(progress) } }),
      }),
    // Damaged cursors: sync anyway, and the pull says what is wrong in words.
    heldVersion: (scope) => {
      try {
        return pullCursors(store)[scope];
      } catch {
        return undefined;
      }
    },
    report: (state) => post({ type: 'state', state, counts: settledCounts(store) }),
    onUnexpectedError: (error) => post({ type: 'unexpected', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined }),
    lastSyncAt: lastPushAt(store),
    ...request.timing,
  });
  const live = followLiveUpdates({
    serverUrl: terminalEnrolment(store)!.serverUrl,
    token: readDeviceToken(request.dataDir)!,
    onAnnouncement: (announcement) => loop.announced(announcement.scope, announcement.version),
    onOpen: () => loop.serverAnswered(),
    ...(request.timing.backoff ? { backoff: request.timing.backoff } : {}),
  });

  async function syncNowFor(id: number): Promise<void> {
    try {
      const summary = await loop.syncNow();
      const value: SyncNowResult = {
        pushed: summary.push.pushed,
        applied: summary.push.applied,
        withConflict: summary.push.withConflict,
        rejected: summary.push.rejected,
        pulledRows: summary.pull.rows,
        waiting: summary.push.waiting,
        caughtUp: summary.pull.caughtUp,
      };
      post({ type: 'syncNowDone', id, result: ok(value) });
    } catch (error) {
      const apiError =
        error instanceof SyncError
          ? syncFailure(error, commandCount(store, 'pending'))
          : error instanceof DomainError
            ? error.toApiError()
            : { code: 'INTERNAL' as const, message: 'Something went wrong inside Box Office while syncing; the commands wait on this terminal' };
      post({ type: 'syncNowDone', id, result: failure(apiError) });
    }
  }

  port.on('message', (command: SyncWorkerCommand) => {
    if (command.type === 'commandWritten') loop.commandWritten();
    else if (command.type === 'syncNow') void syncNowFor(command.id);
    else if (command.type === 'stop') {
      void (async () => {
        await loop.stop();
        await live.close();
        store.close();
        port.close();
      })();
    }
  });
  loop.start();
}

if (!parentPort) throw new Error('sync-worker.ts runs only as a worker thread started by terminal-sync.ts');
run(parentPort, workerData as SyncWorkerRequest);
