import { z } from 'zod';
import { envelopeOfOutboxRow } from '../../core/commands/command.ts';
import { conflictSchema, type Conflict } from '../../core/commands/conflict.ts';
import type { Envelope } from '../../core/commands/envelope.ts';
import { sql, type Store } from '../../db/store.ts';
import type { OutboxStatus } from '../../core/enumerations.ts';
import type { Receipt } from '../protocol.ts';
import { settledSeq } from './state.ts';

/**
 * The outbox as sync sees it: the envelopes to send from a seq on, the server's receipts written
 * back onto them, and what staff are shown (commands waiting, rejected ones with their reason).
 * Rows are never deleted here: a rejected command stays until staff have seen it, and an
 * acknowledged one stays for the journal.
 */

/** A command the server settled, as the CLI and the Sync screen show it. */
export interface SettledCommand {
  id: string;
  seq: number;
  /** `checkin.scan@1` */
  command: string;
  at: string;
  operator: string | null;
  status: OutboxStatus;
  /** Why the server refused it (its message); null unless rejected. */
  reason: string | null;
  conflicts: Conflict[];
}

/** The oldest command still waiting for the server, or null when none waits. */
export function firstPendingSeq(store: Store): number | null {
  const row = store.first(sql.selectFrom('outbox').select((eb) => eb.fn.min('seq').as('seq')).where('status', '=', 'pending'));
  return row?.seq ?? null;
}

/** Up to `limit` envelopes from seq `from` on, whatever their status (a resend after a gap takes settled ones too). */
export function envelopesFrom(store: Store, from: number, limit: number): Envelope[] {
  return store.all(sql.selectFrom('outbox').selectAll().where('seq', '>=', from).orderBy('seq').limit(limit)).map(envelopeOfOutboxRow);
}

/**
 * Writes the server's receipts onto their commands, and marks `acknowledged` the commands still
 * pending that the server's `lastSeq` covers without a receipt. One transaction: a crash leaves
 * the batch pending, and sending it again only brings the stored receipts back.
 */
export function settleReceipts(store: Store, receipts: readonly Receipt[], lastSeq: number): void {
  store.immediateTransaction(() => {
    for (const receipt of receipts) {
      store.run(
        sql
          .updateTable('outbox')
          .set({
            status: receipt.status,
            rejection: receipt.status === 'rejected' ? (receipt.message ?? receipt.code ?? 'Refused by the server') : null,
            conflicts: receipt.conflicts && receipt.conflicts.length > 0 ? JSON.stringify(receipt.conflicts) : null,
          })
          // By seq: a receipt the server kept for this seq under another envelope id (a terminal
          // that renumbered after losing an acknowledgement) settles this command all the same.
          .where('seq', '=', receipt.seq),
      );
    }
    acknowledgeUpTo(store, lastSeq);
  });
}

/** Marks `acknowledged` the commands still pending that the server's `lastSeq` covers (a push's answer, a pull page's). */
export function acknowledgeUpTo(store: Store, lastSeq: number): void {
  store.run(sql.updateTable('outbox').set({ status: 'acknowledged' }).where('status', '=', 'pending').where('seq', '<=', lastSeq));
}

/** How many commands have this status (`pending`: waiting for the server). */
export function commandCount(store: Store, status: OutboxStatus): number {
  return Number(store.first(sql.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).where('status', '=', status))?.n ?? 0);
}

/**
 * Commands whose effects are not in the rows this terminal pulled yet (after the settled seq, not
 * rejected): each pull page runs them again (sync/terminal/rebase.ts).
 */
export function unsettledCommandCount(store: Store): number {
  return Number(store.first(sql.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).where('seq', '>', settledSeq(store)).where('status', '<>', 'rejected'))?.n ?? 0);
}

/** Commands with the given statuses, oldest first (the first `limit` of them), as staff see them. */
export function settledCommands(store: Store, statuses: readonly OutboxStatus[], seqs?: readonly number[], limit?: number): SettledCommand[] {
  let query = sql.selectFrom('outbox').select(['id', 'seq', 'name', 'version', 'at', 'operator', 'status', 'rejection', 'conflicts']).where('status', 'in', statuses);
  if (seqs) query = query.where('seq', 'in', seqs.length > 0 ? seqs : [0]);
  if (limit !== undefined) query = query.limit(limit);
  return store.all(query.orderBy('seq')).map((row) => ({
    id: row.id,
    seq: row.seq,
    command: `${row.name}@${row.version}`,
    at: row.at,
    operator: row.operator,
    status: row.status,
    reason: row.rejection,
    conflicts: row.conflicts === null ? [] : storedConflicts.parse(JSON.parse(row.conflicts)),
  }));
}

const storedConflicts = z.array(conflictSchema);
