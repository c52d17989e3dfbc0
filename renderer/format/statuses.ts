/** The words staff see for each stored status, as the seeds spell them. */

export function verificationLabel(status: 'verified' | 'non_verified'): string {
  return status === 'verified' ? 'Verified' : 'Non-verified';
}

export interface TicketStatusInput {
  status: 'valid' | 'invalid';
  invalidReason: string | null;
  used: boolean;
}

/** Seed 002's ticket statuses: "Valid Used", "Valid Un-used", "Invalid:refunded"… */
export function ticketStatusLabel(ticket: TicketStatusInput): string {
  if (ticket.status === 'invalid') return ticket.invalidReason ? `Invalid:${ticket.invalidReason}` : 'Invalid';
  return ticket.used ? 'Valid Used' : 'Valid Un-used';
}

export type StatusTone = 'good' | 'warn' | 'bad' | 'neutral';

export function ticketStatusTone(ticket: TicketStatusInput & { banned: boolean; redeemed: boolean }): StatusTone {
  if (ticket.status === 'invalid' || ticket.banned) return 'bad';
  if (ticket.redeemed) return 'neutral';
  return 'good';
}

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
export function orderBadge(order: { channel: 'online' | 'box_office'; kind: 'sold' | 'reserved'; deletedAt: string | null }): OrderBadge {
  const icon = order.channel === 'online' ? 'globe' : 'person';
  const where = order.channel === 'online' ? 'online' : 'in box office';
  if (order.deletedAt) return { icon, tone: 'grey', label: `Deleted order (${order.kind} ${where})` };
  return order.kind === 'reserved'
    ? { icon, tone: 'yellow', label: `Reserved ${where}` }
    : { icon, tone: 'green', label: `Sold ${where}` };
}

export function tagStateLabel(tag: { active: boolean; banned: boolean; inactiveReason: string | null }): string {
  if (tag.banned) return tag.active ? 'Active, banned' : 'Banned';
  if (tag.active) return 'Active';
  return tag.inactiveReason ? `Inactive (${tag.inactiveReason})` : 'Inactive';
}
