import type { ScanReason } from '../api/operations.ts';

/** Short names of scan outcomes for counts and lists (the verdict itself shows the host's full message). */
export const scanReasonLabels: Record<ScanReason, string> = {
  admitted: 'Admitted',
  unknown: 'Unknown code',
  other_event: 'Other event',
  canceled: 'Canceled',
  refunded: 'Refunded',
  transferred: 'Transferred',
  banned: 'Banned',
  redeemed: 'Exchanged for a wristband',
  not_yet_valid: 'Not valid yet',
  expired: 'No longer valid',
  wrong_gate: 'Wrong gate',
  already_inside: 'Already inside',
  max_entries_reached: 'Entries used up',
  reentry_not_allowed: 'No re-entry',
  tag_inactive: 'Inactive wristband',
  not_inside: 'Not inside',
};

export function scanReasonLabel(reason: string): string {
  return Object.hasOwn(scanReasonLabels, reason) ? scanReasonLabels[reason as ScanReason] : reason;
}
