import type { CustomerCard, EventSummary } from '../api/operations.ts';

export interface TicketTypeChoice {
  id: string;
  name: string;
}

/**
 * Ticket types offered when assigning a tag: first those of the customer's tickets and tags (a
 * wristband usually carries the type of the ticket it stands for), tickets first, in card order;
 * then every other type of the events, by event (seed 000: "Tag UID and Ticket Type").
 */
export function ticketTypeChoices(card: Pick<CustomerCard, 'tickets' | 'tags'>, events: readonly EventSummary[] = []): TicketTypeChoice[] {
  const seen = new Map<string, string>();
  for (const credential of [...card.tickets.filter((ticket) => ticket.status === 'valid'), ...card.tags]) {
    if (!seen.has(credential.ticketTypeId)) seen.set(credential.ticketTypeId, credential.ticketType);
  }
  const severalEvents = events.length > 1;
  for (const event of events) {
    for (const type of event.ticketTypes) {
      if (!seen.has(type.id)) seen.set(type.id, severalEvents ? `${type.name} (${event.name})` : type.name);
    }
  }
  return [...seen].map(([id, name]) => ({ id, name }));
}
