/** The words staff see for each stored status, as the seeds spell them. */
import type { OrderChannel, VerificationStatus } from '../../core/enumerations.ts';

export function verificationLabel(status: VerificationStatus): string {
  return status === 'verified' ? 'Verified' : 'Non-verified';
}

// Ticket and tag statuses come with the card (credentialStatus, built by core/tickets/ticket-status.ts
// and core/tags/tag-status.ts), so the card, the CLI and check-in share one rule.

/** Seed 002's order-level statuses: `refund_error` → "Refund error". */
export function orderStatusLabel(status: string): string {
  const words = status.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface OrderBadge {
  icon: 'globe' | 'person';
  tone: 'green' | 'yellow' | 'grey';
  label: string;
}

/**
 * Seed 004's order-card icons: green globe = sold online, green person = sold at the box office,
 * yellow person = reserved at the box office. Deleted orders are grey whatever their channel.
 */
export function orderBadge(order: { channel: OrderChannel; kind: 'sold' | 'reserved'; deletedAt: string | null }): OrderBadge {
  const icon = order.channel === 'online' ? 'globe' : 'person';
  const where = order.channel === 'online' ? 'online' : 'in box office';
  if (order.deletedAt) return { icon, tone: 'grey', label: `Deleted order (${order.kind} ${where})` };
  return order.kind === 'reserved'
    ? { icon, tone: 'yellow', label: `Reserved ${where}` }
    : { icon, tone: 'green', label: `Sold ${where}` };
}
