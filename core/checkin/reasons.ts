/**
 * The stable codes of scan verdicts (stored in scans.reason, shown by the check-in screen, counted
 * by reason). Pure data: the contract and the renderer import it.
 */
export const rejectionReasons = [
  'unknown',
  'other_event',
  'canceled',
  'refunded',
  'transferred',
  'banned',
  'redeemed',
  'not_yet_valid',
  'expired',
  'wrong_gate',
  'already_inside',
  'max_entries_reached',
  'reentry_not_allowed',
  'tag_inactive',
  'not_inside',
] as const;
export type RejectionReason = (typeof rejectionReasons)[number];

export const scanReasons = ['admitted', ...rejectionReasons] as const;
export type ScanReason = (typeof scanReasons)[number];

/** Admitted, but staff should look: the credential was inside before and went out. */
export const scanWarnings = ['re_entry'] as const;
export type ScanWarning = (typeof scanWarnings)[number];

export type { ScanDirection as Direction } from '../enumerations.ts';
