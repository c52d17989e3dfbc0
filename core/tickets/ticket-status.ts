import type { InvalidReason } from '../../db/schema.ts';
import type { CredentialStatus } from '../credentials/credential-status.ts';

/**
 * The one status a ticket shows wherever staff read it (the card's pill, the CLI `card`, the CSV):
 * the first rule that holds, in the check-in verdict's order (DESIGN.md section 7: invalid →
 * banned → redeemed), then seed 002's "Valid Used" / "Valid Un-used". So a pill never says
 * "Valid" for a ticket the gate would refuse (ticket-status.test.ts checks it against decideTicket).
 */
export interface TicketStatusFacts {
  invalidReason: InvalidReason | null;
  banned: boolean;
  redeemed: boolean;
  /** Admitted at a gate at least once. */
  used: boolean;
}

export function ticketStatus(ticket: TicketStatusFacts): CredentialStatus {
  if (ticket.invalidReason !== null) return { code: ticket.invalidReason, label: `Invalid: ${ticket.invalidReason}`, tone: 'bad' };
  if (ticket.banned) return { code: 'banned', label: 'Banned', tone: 'bad' };
  if (ticket.redeemed) return { code: 'redeemed', label: 'Redeemed (exchanged for a wristband)', tone: 'neutral' };
  return ticket.used ? { code: 'used', label: 'Valid Used', tone: 'good' } : { code: 'unused', label: 'Valid Un-used', tone: 'good' };
}
