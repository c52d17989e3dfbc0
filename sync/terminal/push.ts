import { systemClock, type Clock } from '../../core/clock.ts';
import type { Envelope } from '../../core/commands/envelope.ts';
import type { Store } from '../../db/store.ts';
import { maxPushCommands, maxRequestBytes, type PushResponse } from '../protocol.ts';
import { UnexpectedAnswer, type SyncClient } from './client.ts';
import { commandCount, envelopesFrom, firstPendingSeq, settledCommands, settleReceipts, type SettledCommand } from './outbox.ts';
import { recordPushAt } from './state.ts';

/**
 * The terminal's push (DESIGN.md section 6, "Up"): the outbox's waiting envelopes in seq order,
 * in batches the server takes, each answered with receipts written back onto the outbox. Sending
 * a batch again is harmless (the server answers its stored receipts), so a push cut off at any
 * point is simply run again. A gap (the server holds fewer of this terminal's commands than the
 * terminal thought, say after the server was restored from a backup) is closed by sending again
 * from the server's `lastSeq + 1`, settled commands included.
 */

export interface PushLimits {
  /** Commands per request: at most the protocol's 500. */
  commands: number;
  /** Bytes of JSON per request: the protocol's 1 MiB. One envelope bigger than this travels alone. */
  bytes: number;
}

export const defaultPushLimits: PushLimits = { commands: maxPushCommands, bytes: maxRequestBytes };

export interface PushSummary {
  /** Receipts the server answered: one per command sent (a command sent again after a gap counts again). */
  pushed: number;
  applied: number;
  withConflict: number;
  rejected: number;
  /**
   * Requests sent; at least one, so a push with nothing waiting still checks the server and the
   * clock. None only when a sync for another terminal's push skipped it (sync-now.ts, `skipEmptyPush`).
   */
  batches: number;
  /** The device's last seq the server holds. */
  lastSeq: number;
  /** Commands still waiting (written while the push ran). */
  waiting: number;
  /** The commands this push found rejected, with the server's reason: never dropped silently. */
  rejections: SettledCommand[];
  /** The commands this push found applied with a conflict, with what the rule did. */
  conflicts: SettledCommand[];
}

export interface PushOptions {
  limits?: Partial<PushLimits>;
  /** The terminal's clock: the time of the last successful push. */
  clock?: Clock;
}

export async function pushOutbox(store: Store, client: SyncClient, options: PushOptions = {}): Promise<PushSummary> {
  const limits = { ...defaultPushLimits, ...options.limits };
  const clock = options.clock ?? systemClock;
  const counts = { pushed: 0, applied: 0, withConflict: 0, rejected: 0, batches: 0, lastSeq: 0 };
  const settled = new Set<number>();
  let from = firstPendingSeq(store);
  for (;;) {
    const batch = from === null ? [] : batchOf(envelopesFrom(store, from, limits.commands), limits.bytes);
    if (batch.length === 0 && counts.batches > 0) break;
    const response = await client.push({ envelopes: batch });
    checkReceipts(batch, response);
    settleReceipts(store, response.receipts, response.lastSeq);
    recordPushAt(store, clock.now().toISOString());
    counts.batches += 1;
    counts.lastSeq = response.lastSeq;
    for (const receipt of response.receipts) {
      settled.add(receipt.seq);
      counts.pushed += 1;
      if (receipt.status === 'applied') counts.applied += 1;
      else if (receipt.status === 'applied_with_conflict') counts.withConflict += 1;
      else counts.rejected += 1;
    }
    if (batch.length === 0) break;
    from = nextSeq(batch, response, from!);
  }
  return {
    ...counts,
    waiting: commandCount(store, 'pending'),
    rejections: settledCommands(store, ['rejected'], [...settled]),
    conflicts: settledCommands(store, ['applied_with_conflict'], [...settled]),
  };
}

/** A push that sent no request: nothing waited. `lastSeq` is what the terminal knows the server holds. */
export function nothingPushed(lastSeq: number, waiting: number): PushSummary {
  return { pushed: 0, applied: 0, withConflict: 0, rejected: 0, batches: 0, lastSeq, waiting, rejections: [], conflicts: [] };
}

/** Two pushes' counts as one: the later one's state (last seq, waiting), both pushes' rejections and conflicts. */
export function bothPushes(first: PushSummary, then: PushSummary): PushSummary {
  return {
    pushed: first.pushed + then.pushed,
    applied: first.applied + then.applied,
    withConflict: first.withConflict + then.withConflict,
    rejected: first.rejected + then.rejected,
    batches: first.batches + then.batches,
    lastSeq: then.lastSeq,
    waiting: then.waiting,
    rejections: [...first.rejections, ...then.rejections],
    conflicts: [...first.conflicts, ...then.conflicts],
  };
}

/**
 * The first envelopes that fit in one request of at most `maxBytes` of JSON (`{"envelopes":[…]}`);
 * the first one always goes, so an envelope bigger than the limit travels alone.
 */
function batchOf(envelopes: readonly Envelope[], maxBytes: number): Envelope[] {
  const batch: Envelope[] = [];
  let bytes = Buffer.byteLength('{"envelopes":[]}');
  for (const envelope of envelopes) {
    const added = Buffer.byteLength(JSON.stringify(envelope)) + (batch.length > 0 ? 1 : 0);
    if (batch.length > 0 && bytes + added > maxBytes) break;
    batch.push(envelope);
    bytes += added;
  }
  return batch;
}

/** Receipts name seqs of the batch only: anything else is not an answer to this request. */
function checkReceipts(batch: readonly Envelope[], response: PushResponse): void {
  const sent = new Set(batch.map((envelope) => envelope.seq));
  const stranger = response.receipts.find((receipt) => !sent.has(receipt.seq));
  if (stranger) throw new UnexpectedAnswer(`The server answered a receipt for command #${stranger.seq}, which this push did not send`);
}

/** Where the next batch starts: after this one, or at the server's `lastSeq + 1` after a gap. */
function nextSeq(batch: readonly Envelope[], response: PushResponse, from: number): number {
  const last = batch.at(-1)!.seq!;
  if (response.gap) {
    const resendFrom = response.lastSeq + 1;
    // The batch started at `from`; a gap at an earlier seq means the server misses older commands.
    // Asked again from the same place, it would answer the same gap forever.
    if (resendFrom >= from) {
      throw new UnexpectedAnswer(
        `The server holds this terminal's commands up to #${response.lastSeq} and this terminal has no command #${resendFrom} to send: export the journal (box-office journal export) and ask an administrator`,
      );
    }
    return resendFrom;
  }
  if (response.lastSeq < last) throw new UnexpectedAnswer(`The server took this terminal's commands up to #${response.lastSeq} of a batch ending at #${last}, and named no gap`);
  return last + 1;
}
