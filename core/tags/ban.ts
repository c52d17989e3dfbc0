import { defineCommand } from '../commands/command.ts';
import { query } from '../commands/query-builder.ts';
import { setTagBannedInput } from './tags.contract.ts';
import { requireTag, tagState } from './existing-tag.ts';
import { rolesFrom } from '../operators/roles.ts';

/**
 * Seed 000 "Ban or unban a customer tag". A ban stands on its own: the tag keeps its active flag
 * (check-in refuses banned tags), so unbanning restores the tag exactly as it was.
 */
export const setTagBanned = defineCommand({
  name: 'tags.setBanned',
  version: 1,
  roles: rolesFrom('supervisor'),
  input: setTagBannedInput,
  *body(tx, input) {
    const tag = yield* requireTag(tx, input.tagId);
    const banned = input.banned ? 1 : 0;
    if (tag.banned === banned) return tagState(tag);
    yield* tx.run(query.updateTable('tags').set({ banned, updated_at: tx.now }).where('id', '=', tag.id));
    yield* tx.audit({ entity: 'tag', entityId: tag.id, before: { banned: !input.banned }, after: { banned: input.banned } });
    return tagState({ ...tag, banned });
  },
});
