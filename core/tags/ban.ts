import { sql } from '../../db/store.ts';
import { defineCommand } from '../commands/command.ts';
import { setTagBannedInput } from './tags.contract.ts';
import { requireTag, tagState } from './existing-tag.ts';

/**
 * Seed 000 "Ban or unban a customer tag". A ban stands on its own: the tag keeps its active flag
 * (check-in refuses banned tags), so unbanning restores the tag exactly as it was.
 */
export const setTagBanned = defineCommand({
  name: 'tags.setBanned',
  version: 1,
  input: setTagBannedInput,
  apply(scope, input) {
    const tag = requireTag(scope.store, input.tagId);
    const banned = input.banned ? 1 : 0;
    if (tag.banned === banned) return tagState(tag);
    scope.store.run(sql.updateTable('tags').set({ banned, updated_at: scope.now }).where('id', '=', tag.id));
    scope.audit({ entity: 'tag', entityId: tag.id, before: { banned: !input.banned }, after: { banned: input.banned } });
    return tagState({ ...tag, banned });
  },
});
