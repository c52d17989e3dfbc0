import { sql, type Store } from '../../db/store.ts';
import { notFound } from '../errors.ts';
import { scansOf } from '../tickets/scan-history.ts';

/** Every scan of one tag, newest first; the tag's counterpart of tickets.scanHistory. */
export function tagScanHistory(store: Store, tagId: string) {
  const tag = store.first(sql.selectFrom('tags').select(['id', 'uid']).where('id', '=', tagId));
  if (!tag) throw notFound('This tag is not on this terminal', 'tagId');
  return { tag, scans: scansOf(store, { tagId }) };
}
