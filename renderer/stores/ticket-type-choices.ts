import type { CustomerCard } from '../api/operations.ts';

export interface TicketTypeChoice {
  id: string;
  name: string;
}

/**
 * Ticket types offered when assigning a tag: those of the customer's tickets and tags (a wristband
 * carries the type of the ticket it stands for), tickets first, each once, in card order.
 */
export function ticketTypeChoices(card: Pick<CustomerCard, 'tickets' | 'tags'>): TicketTypeChoice[] {
  const seen = new Map<string, string>();
  for (const credential of [...card.tickets.filter((ticket) => ticket.status === 'valid'), ...card.tags]) {
    if (!seen.has(credential.ticketTypeId)) seen.set(credential.ticketTypeId, credential.ticketType);
  }
  return [...seen].map(([id, name]) => ({ id, name }));
}
