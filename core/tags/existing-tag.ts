import type { Selectable } from 'kysely';
import type { TagTable } from '../../db/schema.ts';
import { query, queryTemplate } from '../commands/query-builder.ts';
import type { CommandTx } from '../commands/tx.ts';
import { notFound } from '../errors.ts';

export type TagRow = Selectable<TagTable>;

const tagById = queryTemplate((tagId: string) => query.selectFrom('tags').selectAll().where('id', '=', tagId));

/** The tag a command body works on; NOT_FOUND (field `tagId`) when this store does not have it. */
export function* requireTag(tx: Pick<CommandTx, 'first'>, tagId: string) {
  const tag: TagRow | undefined = yield* tx.first(tagById.with(tagId));
  if (!tag) throw notFound('This wristband no longer exists on this terminal: reload the card', 'tagId');
  return tag;
}

export function tagState(tag: Pick<TagRow, 'id' | 'active' | 'banned'>) {
  return { tagId: tag.id, active: tag.active === 1, banned: tag.banned === 1 };
}
