import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { z } from 'zod';
import type { OwedWrites, Store } from '../../db/store.ts';
import { decideCommand, runCommand, type CoreContext } from '../commands/command.ts';
import type { CheckinVerdict } from './checkin.contract.ts';
import { scanCommand, scanCommandInput, type ScanInput } from './scan.ts';

/**
 * Scans answered before they are recorded: a gate's verdict waits for no commit (DESIGN.md
 * section 6, "a terminal never waits"; a scan is a fact, section 5).
 *
 * A scan records itself in one write transaction, and SQLite lets one connection write at a time.
 * At a gate whose sync worker loads the event, a scan that came during one of the load's
 * transactions waited for the rest of it (db/write-turns.ts), and 1 to 7% of those commits took 10
 * to 40 ms (the thread descheduled behind the server on two cores, or in fsync): the verdict's p99
 * was 16 to 40 ms. Its own commit had a tail too (p99 4.3 to 4.8 ms where the decision alone took
 * 2 ms). So on a store that takes write turns (an app host, whose sync worker writes on a
 * connection of its own), a scan is decided in a read transaction on the committed state
 * (decideCommand: a read needs no lock in WAL mode), answered at once, and recorded as the fact it
 * is (its args carry the verdict: the path the server and a journal replay record it by) right
 * after: once the verdict is on its way and the worker's transaction under way, if any, has ended.
 *
 * - Never lost: before it is answered, the scan is appended to a file beside the store
 *   (`<store file>-answered-scans`, a JSON line of its operator and its fact's args), which the
 *   process's death cannot undo (the write is in the system's page cache, as a commit with
 *   synchronous=NORMAL is). The file is emptied once the scans in it are committed; opening a store
 *   whose file holds lines records them (once: a fact already recorded under its scan id is not
 *   recorded again). A line cut short by a kill is one whose scan was never answered: it is skipped.
 * - Never decided twice on one state: a scan of a ticket or wristband with an answered scan not yet
 *   recorded is not answered this way. It takes the turn, and runs after that one is recorded, so
 *   two scans of one ticket can still never both see it outside.
 * - In order: the store records the answered scans before any other write it makes
 *   (Store.oweWrites), in a transaction of their own, so its outbox holds them in the order staff
 *   saw them, and a later command that fails cannot roll them back.
 */

const lineSchema = z.object({ operator: z.string().nullable(), args: scanCommandInput });

interface AnsweredScan {
  operator: string | null;
  args: ScanInput;
  /** The ticket or wristband it concerns, if any: a later scan of it waits until this one is recorded. */
  credentialId: string | null;
  /** Its line in the file, for one a previous run left behind. */
  line?: number;
}

/** What opening the store found in the file: scans a previous run answered and did not record. */
export interface LeftBehind {
  /** Recorded now (or found recorded already). */
  recorded: number;
  /** Lines that could not be recorded: kept in the file, tried again at the next start. */
  failed: number[];
}

const byStore = new WeakMap<Store, AnsweredScans>();

/** The answered scans of a store in a file are kept in this file: the store's path and this suffix. */
export const answeredScansSuffix = '-answered-scans';

const lineOf = ({ operator, args }: AnsweredScan) => `${JSON.stringify({ operator, args })}\n`;

export class AnsweredScans implements OwedWrites {
  /** What the store's file held when this store was first used here. */
  readonly leftBehind: LeftBehind;
  readonly #context: CoreContext;
  readonly #file: string | null;
  #fd: number | null = null;
  #scans: AnsweredScan[] = [];
  /** Those that failed to record, this run: they stay in the file (every rewrite keeps them), for the next start. */
  #failed: AnsweredScan[] = [];
  /** Those that failed in the transaction under way: failed once it commits (if it rolls back, all are tried again). */
  #failing: AnsweredScan[] = [];
  #recording: Promise<void> | null = null;

  private constructor(context: CoreContext) {
    this.#context = context;
    const { db } = context.store;
    this.#file = db.memory ? null : `${db.name}${answeredScansSuffix}`;
    context.store.oweWrites(this);
    this.leftBehind = this.#recordLeftBehind();
  }

  /** The answered scans of the context's store; made on first use, which records what a previous run left in the file. */
  static of(context: CoreContext): AnsweredScans {
    let answered = byStore.get(context.store);
    if (!answered) {
      answered = new AnsweredScans(context);
      byStore.set(context.store, answered);
    }
    return answered;
  }

  get owed(): boolean {
    return this.#scans.length > 0;
  }

  /** Whether an answered scan of this ticket or wristband waits to be recorded. */
  waitsFor(credentialId: string | null): boolean {
    return credentialId !== null && this.#scans.some((scan) => scan.credentialId === credentialId);
  }

  /** Keeps a scan answered now (in the file before anything else), and records it once the turn is free. */
  add(operator: string | null, args: ScanInput, credentialId: string | null): void {
    const scan: AnsweredScan = { operator, args, credentialId };
    if (this.#file !== null) writeSync((this.#fd ??= openSync(this.#file, 'a')), lineOf(scan));
    this.#scans.push(scan);
    this.#recordSoon();
  }

  /** Resolves once every scan answered so far is recorded (tests; a host closing). */
  async recorded(): Promise<void> {
    while (this.#recording) await this.#recording;
  }

  /** OwedWrites: records each scan, in the transaction the store opened, each in a savepoint of its own. */
  readonly record = (): void => {
    this.#failing = [];
    for (const scan of this.#scans) {
      try {
        runCommand({ ...this.#context, operator: scan.operator }, scanCommand, scan.args);
      } catch {
        // Its savepoint rolled back, the others stand. It stays in the file, and the next start tries again.
        this.#failing.push(scan);
      }
    }
  };

  /**
   * OwedWrites: the transaction committed; the file keeps only those that failed. It is open only
   * while scans wait (a store closed meanwhile leaves no descriptor behind).
   */
  readonly committed = (): void => {
    this.#scans = [];
    this.#failed.push(...this.#failing);
    this.#failing = [];
    if (this.#file === null) return;
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
    writeFileSync(this.#file, this.#failed.map(lineOf).join(''));
  };

  #recordSoon(): void {
    const { store } = this.#context;
    const turns = store.writeTurns;
    if (this.#recording || turns === null || !store.db.open) return;
    // After this turn of the event loop, so the verdict is on its way first; then as soon as the
    // sync worker's transaction under way (if any) ends.
    this.#recording = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => turns.whenFree(() => store.recordOwedWrites()))
      // The store stayed locked (a worker stuck in a transaction): the scans wait, in the file, and are tried again.
      .catch(() => new Promise<void>((resolve) => setTimeout(resolve, 1000)))
      .finally(() => {
        this.#recording = null;
        if (this.owed) this.#recordSoon();
      });
  }

  #recordLeftBehind(): LeftBehind {
    if (this.#file === null) return { recorded: 0, failed: [] };
    let text: string;
    try {
      text = readFileSync(this.#file, 'utf8');
    } catch {
      return { recorded: 0, failed: [] };
    }
    this.#scans = text.split('\n').flatMap((content, index): AnsweredScan[] => {
      if (content === '') return [];
      let parsed;
      try {
        parsed = lineSchema.safeParse(JSON.parse(content));
      } catch {
        parsed = undefined;
      }
      // Only the last line can be cut short (a kill during its write), and its scan was never answered.
      if (!parsed?.success) return [];
      return [{ ...parsed.data, credentialId: null, line: index + 1 }];
    });
    const found = this.#scans.length;
    if (found === 0) {
      if (text !== '') writeFileSync(this.#file, '');
      return { recorded: 0, failed: [] };
    }
    this.#context.store.recordOwedWrites();
    return { recorded: found - this.#failed.length, failed: this.#failed.map((scan) => scan.line ?? 0) };
  }
}

/**
 * One scan at this terminal. While a sync worker writes beside this store (a background writer
 * takes its write turns) it is decided on the committed state, answered at once and recorded right
 * after (AnsweredScans): its verdict waits for no commit, the worker's (a first load's
 * transaction, a pull page) nor its own. A scan of a credential whose answered scan is not recorded
 * yet, or one that cannot be decided without its writes, is decided and recorded in one
 * transaction, as every scan is on a store with no writer beside it (the CLI, a terminal not enrolled).
 */
export function scanAtTerminal(context: CoreContext, args: ScanInput): CheckinVerdict {
  if (!context.store.writeTurns?.hasBackgroundWriters()) return runCommand(context, scanCommand, args);
  const answered = AnsweredScans.of(context);
  const decided = decideCommand(context, scanCommand, args);
  const credentialId = decided ? (decided.result.ticket?.id ?? decided.result.tag?.id ?? null) : null;
  if (!decided || answered.waitsFor(credentialId)) return runCommand(context, scanCommand, args);
  answered.add(context.operator, decided.args, credentialId);
  return decided.result;
}
