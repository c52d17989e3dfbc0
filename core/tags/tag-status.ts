import type { CredentialStatus } from '../credentials/credential-status.ts';

/**
 * The one status a tag shows wherever staff read it, in the check-in verdict's order for tags
 * (DESIGN.md section 7: banned → not the active tag): a banned tag says "Banned" even while it is
 * the customer's active one, because no gate admits it (tag-status.test.ts checks it against decideTag).
 */
export interface TagStatusFacts {
  banned: boolean;
  active: boolean;
  /** Why it stopped being active ('replaced', 'deactivated'), when it did. */
  inactiveReason: string | null;
}

export function tagStatus(tag: TagStatusFacts): CredentialStatus {
  if (tag.banned) return { code: 'banned', label: tag.active ? 'Banned (still the active tag)' : 'Banned', tone: 'bad' };
  if (!tag.active) return { code: 'inactive', label: tag.inactiveReason ? `Inactive (${tag.inactiveReason})` : 'Inactive', tone: 'neutral' };
  return { code: 'active', label: 'Active', tone: 'good' };
}
