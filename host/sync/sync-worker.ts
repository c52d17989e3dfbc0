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
import type { ApiError } from '../../core/errors.ts';
import type { CheckSummary, SyncNowResult } from '../../core/sync/sync.contract.ts';
import { syncThenCheck } from '../../sync/terminal/consistency-check.ts';
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

  /**
   * A call's error as the API reports it: a sync's in staff's words (the commands waiting counted),
   * a domain error as it is, a bug as `internal` says (the loop has sent it to the log).
   */
  function apiErrorOf(error: unknown, internal: string): ApiError {
    if (error instanceof SyncError) return syncFailure(error, commandCount(store, 'pending'));
    if (error instanceof DomainError) return error.toApiError();
    return { code: 'INTERNAL', message: internal };
  }

  /** Runs a call of the host and answers it by its id. */
  async function answer(id: number, internal: string, work: () => Promise<SyncNowResult | CheckSummary>): Promise<void> {
    try {
      post({ type: 'answer', id, result: ok(await work()) });
    } catch (error) {
      post({ type: 'answer', id, result: failure(apiErrorOf(error, internal)) });
    }
  }

  async function syncNowFor(): Promise<SyncNowResult> {
    const summary = await loop.syncNow();
    return {
      pushed: summary.push.pushed,
      applied: summary.push.applied,
      withConflict: summary.push.withConflict,
      rejected: summary.push.rejected,
      pulledRows: summary.pull.rows,
      waiting: summary.push.waiting,
      caughtUp: summary.pull.caughtUp,
    };
  }

  port.on('message', (command: SyncWorkerCommand) => {
    if (command.type === 'commandWritten') loop.commandWritten();
    else if (command.type === 'syncNow') void answer(command.id, 'Something went wrong inside Box Office while syncing; the commands wait on this terminal', syncNowFor);
    else if (command.type === 'check') {
      // In the loop's turn: no sync of the worker's pulls between the check's cursors and its comparison.
      const internal = 'Something went wrong inside Box Office while checking with the server: the log file says more';
      void answer(command.id, internal, () => loop.exclusive((sync) => syncThenCheck(store, client, { repair: command.repair, sync })));
    } else if (command.type === 'stop') {
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
