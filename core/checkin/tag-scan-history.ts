import { sql, type Store } from '../../db/store.ts';
import { notFound } from '../errors.ts';

/** Every scan of one tag, newest first, through the (tag_id, scanned_at) index; like tickets.scanHistory. */
export function tagScanHistory(store: Store, tagId: string) {
  const tag = store.first(sql.selectFrom('tags').select(['id', 'uid']).where('id', '=', tagId));
  if (!tag) throw notFound(`No tag with id ${tagId}`, 'tagId');
  const scans = store.all(
    sql
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
      ])
      .where('scans.tag_id', '=', tagId)
      .orderBy('scans.scanned_at', 'desc')
      .orderBy('scans.id', 'desc'),
  );
  return {
    tag,
    scans: scans.map((scan) => ({
      id: scan.id,
      at: scan.scanned_at,
      gate: scan.gate,
      zone: scan.zone,
      direction: scan.direction,
      verdict: scan.verdict,
      reason: scan.reason,
      deviceId: scan.device_id,
      operator: scan.operator,
    })),
  };
}
