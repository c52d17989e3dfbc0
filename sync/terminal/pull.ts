import { systemClock, type Clock } from '../../core/clock.ts';
import type { CommandRegistry } from '../../core/commands/registry.ts';
import { deviceId, receiveRemoteHlc } from '../../core/terminal/state.ts';
import { sql, type Store } from '../../db/store.ts';
import { defaultPullRows, maxPullRows, type Cursors, type PullResponse } from '../protocol.ts';
import { SyncError, type SyncClient } from './client.ts';
import { acknowledgeUpTo, unsettledCommandCount } from './outbox.ts';
import { checkPulledRows, newestStamp, refused, upsertPulledRows } from './pulled-rows.ts';
import { rerunUnsettledCommands, TouchedCustomers, undoUnsettledCommands, type Rerun } from './rebase.ts';
import { pullCursors, recordPullCursors, recordSettledSeq, settledSeq, terminalEnrolment } from './state.ts';

/**
 * The terminal's pull (DESIGN.md section 6, "Down" and "Apply on the terminal"): pages of the rows
 * changed after its cursors, each applied in ONE transaction with the rebase (sync/terminal/rebase.ts):
 * undo the unsettled commands, upsert the page's rows, mark acknowledged what the server holds, run
 * the unsettled commands again on top, refresh the search index, merge the newest HLC stamp the rows
 * carry into the terminal's clock, advance the cursors. After every
 * page the terminal holds a state the server had plus its own pending commands; a pull cut off
 * between pages resumes from the cursors of the last page applied.
 *
 * When does a command stop running again? When its effects are in the rows pulled. The page's
 * `lastSeq` says so for every command only on the last page (`hasMore: false`, the cursors then
 * are the server's current versions); on an earlier page a command the server took may sit in a
 * version the terminal has not pulled yet. The server therefore answers `settledSeq` (from the
 * versions each receipt stamped, server migration 0005): every command up to it has its effects at
 * or below the page's cursors. Run again before that, its effects would be lost for a page; after
 * it, applied twice.
 */

export interface PullSummary {
  /** Pages applied. */
  pages: number;
  /** Rows of the server's applied. */
  rows: number;
  /** The last page said the terminal holds every version the server had then. */
  caughtUp: boolean;
  /** Runs of this terminal's unsettled commands on top of pulled rows (a command counts once per page). */
  rerun: number;
  /** Unsettled commands that no longer apply on the server's rows (last page), with why: the server decides them. */
  notApplying: Rerun['failed'];
  /** Every command up to this seq has its effects in the rows pulled. */
  settledSeq: number;
  /** The cursors after the last page. */
  cursors: Cursors;
}

export interface PullOptions {
  /** Rows per page (the server's default when absent). */
  limit?: number;
  /** Stop after this many pages even if the server has more (a caller that wants to yield): caughtUp tells. */
  maxPages?: number;
  registry?: CommandRegistry;
  /** The terminal's clock: the HLC merges the pulled stamps at its time. */
  clock?: Clock;
}

/**
 * The scopes this terminal follows with its cursors: '' and the enrolled event, or '' and every
 * event it holds when enrolled for all. A scope it never pulled starts at 0.
 */
export function followedCursors(store: Store): Cursors {
  const enrolment = terminalEnrolment(store);
  if (!enrolment) throw new SyncError('This terminal is not enrolled: box-office sync enrol --server URL --code CODE');
  const events = enrolment.eventId !== null ? [enrolment.eventId] : store.all(sql.selectFrom('events').select('id').orderBy('id')).map((event) => event.id);
  const held = pullCursors(store);
  return Object.fromEntries(['', ...events].map((scope) => [scope, held[scope] ?? 0]));
}

export async function pullUntilCaughtUp(store: Store, client: SyncClient, options: PullOptions = {}): Promise<PullSummary> {
  const summary: PullSummary = { pages: 0, rows: 0, caughtUp: false, rerun: 0, notApplying: [], settledSeq: settledSeq(store), cursors: followedCursors(store) };
  while (!summary.caughtUp && (options.maxPages === undefined || summary.pages < options.maxPages)) {
    const cursors = followedCursors(store);
    const page = await client.pull({ cursors, limit: options.limit ?? pageRows(store), settledFrom: settledSeq(store) + 1 });
    checkPulledRows(store, page.changes);
    const applied = applyPulledPage(store, page, options);
    summary.pages += 1;
    summary.rows += applied.rows;
    summary.rerun += applied.rerun;
    summary.notApplying = applied.failed;
    summary.settledSeq = applied.settledSeq;
    summary.cursors = { ...cursors, ...page.cursors };
    summary.caughtUp = !page.hasMore;
  }
  return summary;
}

/** Commands waiting to settle from which a pull asks for the biggest pages (pageRows). */
const manyUnsettled = 500;

/**
 * Rows to ask for in the next page. Every page runs again each command not settled yet (its
 * effects are in versions the terminal has not pulled), so the pull that follows a push of many
 * commands made offline ran them once per page: a gate back with 10,000 offline scans pulled them
 * back in pages of 2,000 rows and ran scans again 55,000 times, 7 of its 11 s of catch-up. With
 * that many waiting, the biggest page the server gives halves the pages; otherwise the default,
 * which keeps a page's transaction (a scan at a gate waits for it) short.
 */
function pageRows(store: Store): number {
  return unsettledCommandCount(store) >= manyUnsettled ? maxPullRows : defaultPullRows;
}

interface AppliedPage extends Rerun {
  rows: number;
  settledSeq: number;
}

/** One page, one transaction: a crash or an error anywhere leaves the terminal as it was before the page. */
export function applyPulledPage(store: Store, page: PullResponse, options: Pick<PullOptions, 'registry' | 'clock'> = {}): AppliedPage {
  try {
    return applyInTransaction(store, page, options);
  } catch (error) {
    // Foreign keys are checked at the commit: a row naming a parent neither the page nor the terminal holds.
    if ((error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw refused('a row names another (its parent) that neither the page nor this terminal holds');
    throw error;
  }
}

function applyInTransaction(store: Store, page: PullResponse, { registry, clock = systemClock }: Pick<PullOptions, 'registry' | 'clock'>): AppliedPage {
  return store.immediateTransaction(() => {
    // A command's parent and child rows come back from their images in either order; the rows are
    // whole again when the transaction commits.
    store.db.pragma('defer_foreign_keys = ON');
    const touched = new TouchedCustomers();
    undoUnsettledCommands(store, touched);
    const rows = upsertPulledRows(store, page.changes, touched);
    acknowledgeUpTo(store, page.lastSeq);
    // Before the commands run again: what they stamp from now on comes after what the page holds.
    const stamp = newestStamp(page.changes);
    if (stamp !== null) receiveRemoteHlc(store, stamp, clock.now().getTime(), deviceId(store));
    const settled = Math.max(settledSeq(store), page.settledSeq ?? (page.hasMore ? 0 : page.lastSeq));
    recordSettledSeq(store, settled);
    const rerun = rerunUnsettledCommands(store, settled, registry);
    touched.refresh(store);
    recordPullCursors(store, { ...pullCursors(store), ...page.cursors });
    return { rows, settledSeq: settled, ...rerun };
  });
}
