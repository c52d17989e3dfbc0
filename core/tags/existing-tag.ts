import type { Selectable } from 'kysely';
import type { TagTable } from '../../db/schema.ts';
import { sql, type Store } from '../../db/store.ts';
import { notFound } from '../errors.ts';

export type TagRow = Selectable<TagTable>;

export function requireTag(store: Store, tagId: string): TagRow {
  const tag = store.first(sql.selectFrom('tags').selectAll().where('id', '=', tagId));
  if (!tag) throw notFound('This wristband no longer exists on this terminal: reload the card', 'tagId');
  return tag;
}

export function tagState(tag: Pick<TagRow, 'id' | 'active' | 'banned'>) {
  return { tagId: tag.id, active: tag.active === 1, banned: tag.banned === 1 };
}
