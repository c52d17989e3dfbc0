import { sql, type Store } from '../../db/store.ts';
import { notFound } from '../errors.ts';
import type { ScanHistory } from './tickets.contract.ts';

type ScanEntry = ScanHistory['scans'][number];

/**
 * Every scan attempt of one credential, newest first (seed 002 "Scan History": where, when and
 * with what result), read from the append-only scans table through its (ticket_id, scanned_at) or
 * (tag_id, scanned_at) index.
 */
export function scansOf(store: Store, credential: { ticketId: string } | { tagId: string }): ScanEntry[] {
  const base = sql
    .selectFrom('scans')
    .leftJoin('gates', 'gates.id', 'scans.gate_id')
    .select([
      'scans.id',
      'scans.scanned_at',
      'gates.name as gate',
      'gates.zone',
      'scans.direction',
      'scans.verdict',
      'scans.reason',
      'scans.device_id',
      'scans.operator',
    ]);
  const scans = store.all(
    ('ticketId' in credential ? base.where('scans.ticket_id', '=', credential.ticketId) : base.where('scans.tag_id', '=', credential.tagId))
      .orderBy('scans.scanned_at', 'desc')
      .orderBy('scans.id', 'desc'),
  );
  return scans.map((scan) => ({
    id: scan.id,
    at: scan.scanned_at,
    gate: scan.gate,
    zone: scan.zone,
    direction: scan.direction,
    verdict: scan.verdict,
    reason: scan.reason,
    deviceId: scan.device_id,
    operator: scan.operator,
  }));
}

export function ticketScanHistory(store: Store, ticketId: string): ScanHistory {
  const ticket = store.first(sql.selectFrom('tickets').select(['id', 'reference']).where('id', '=', ticketId));
  if (!ticket) throw notFound('This ticket no longer exists on this terminal: reload the card', 'ticketId');
  return { ticket, scans: scansOf(store, { ticketId }) };
}
