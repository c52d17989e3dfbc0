import type { CatalogItemKind } from '../../db/schema.ts';

/**
 * The fixed shape of the synthetic event: a three-day festival with its ticket types, gates,
 * catalog and CRM labels. Prices are integer euro cents.
 */
export const festival = {
  name: 'Zomerlicht Festival 2026',
  startsAt: '2026-07-10T10:00:00.000Z',
  endsAt: '2026-07-12T23:00:00.000Z',
  timeZone: 'Europe/Amsterdam',
  currency: 'EUR',
  /** When the organiser set the event up (created_at of event, types, gates, catalog, labels). */
  setUpAt: '2026-01-05T09:00:00.000Z',
  /** Sales run from here to the day before the festival. */
  salesStartAt: '2026-01-10T08:00:00.000Z',
  salesEndAt: '2026-07-09T20:00:00.000Z',
} as const;

export type GateKey = 'main' | 'north' | 'vip';

export const gates: readonly { key: GateKey; name: string; zone: string }[] = [
  { key: 'main', name: 'Main entrance', zone: 'Festival grounds' },
  { key: 'north', name: 'North gate', zone: 'Festival grounds' },
  { key: 'vip', name: 'VIP entrance', zone: 'VIP area' },
];

export interface TicketTypeSpec {
  name: string;
  price: number;
  /** Share of tickets of this type. */
  weight: number;
  validFrom: string;
  validUntil: string;
  maxEntries: number | null;
  reentryAllowed: boolean;
  /** Gates that admit it; null = every gate. */
  gates: readonly GateKey[] | null;
  /** The day its holders usually arrive (index into the festival's three days). */
  arrivalDay: number;
}

export const ticketTypes: readonly TicketTypeSpec[] = [
  { name: 'Weekend', price: 18900, weight: 45, validFrom: '2026-07-10T08:00:00.000Z', validUntil: '2026-07-12T23:59:00.000Z', maxEntries: null, reentryAllowed: true, gates: ['main', 'north'], arrivalDay: 0 },
  { name: 'Weekend + Camping', price: 23400, weight: 19, validFrom: '2026-07-09T12:00:00.000Z', validUntil: '2026-07-13T12:00:00.000Z', maxEntries: null, reentryAllowed: true, gates: ['main', 'north'], arrivalDay: 0 },
  { name: 'Saturday', price: 9900, weight: 14, validFrom: '2026-07-11T08:00:00.000Z', validUntil: '2026-07-12T04:00:00.000Z', maxEntries: 3, reentryAllowed: true, gates: ['main', 'north'], arrivalDay: 1 },
  { name: 'Sunday', price: 8900, weight: 12, validFrom: '2026-07-12T08:00:00.000Z', validUntil: '2026-07-12T23:59:00.000Z', maxEntries: 1, reentryAllowed: false, gates: ['main', 'north'], arrivalDay: 2 },
  { name: 'VIP Weekend', price: 34900, weight: 7, validFrom: '2026-07-10T08:00:00.000Z', validUntil: '2026-07-12T23:59:00.000Z', maxEntries: null, reentryAllowed: true, gates: null, arrivalDay: 0 },
  { name: 'Crew', price: 0, weight: 3, validFrom: '2026-07-08T06:00:00.000Z', validUntil: '2026-07-14T12:00:00.000Z', maxEntries: null, reentryAllowed: true, gates: null, arrivalDay: 0 },
];

export interface CatalogItemSpec {
  kind: CatalogItemKind;
  name: string;
  price: number;
  /** Units put on the customer's ledger per item (credits in cents, tokens as a count). */
  ledgerAmount: number | null;
  capacity: number | null;
  /** For kinds 'ticket', 'access' and 'subscription': the ticket type of the tickets it issues. */
  ticketType?: string;
  /** For kind 'pack': what one pack issues, by catalog item name. */
  contents?: readonly { name: string; quantity: number }[];
}

export const catalogItems: readonly CatalogItemSpec[] = [
  ...ticketTypes
    .filter((type) => type.price > 0)
    .map((type): CatalogItemSpec => ({ kind: 'ticket', name: `${type.name} ticket`, price: type.price, ledgerAmount: null, capacity: null, ticketType: type.name })),
  { kind: 'pack', name: 'Friends pack (4 × Weekend)', price: 69900, ledgerAmount: null, capacity: 500, contents: [{ name: 'Weekend ticket', quantity: 4 }] },
  // No ticket type admits backstage, and the 2027 pass has no event yet: both stay listed as not
  // sellable (with that reason) until the organiser sets what they issue.
  { kind: 'access', name: 'Backstage access', price: 5000, ledgerAmount: null, capacity: 200 },
  { kind: 'credit', name: 'Credits €25', price: 2500, ledgerAmount: 2500, capacity: null },
  { kind: 'credit', name: 'Credits €50', price: 5000, ledgerAmount: 5000, capacity: null },
  { kind: 'virtual_credit', name: 'Bonus credits €5', price: 0, ledgerAmount: 500, capacity: null },
  { kind: 'token', name: 'Drink tokens ×10', price: 3000, ledgerAmount: 10, capacity: null },
  { kind: 'token', name: 'Drink tokens ×20', price: 5500, ledgerAmount: 20, capacity: null },
  { kind: 'product', name: 'Festival T-shirt', price: 2500, ledgerAmount: null, capacity: 3000 },
  { kind: 'product', name: 'Rain poncho', price: 500, ledgerAmount: null, capacity: null },
  { kind: 'gift_card', name: 'Gift card €50', price: 5000, ledgerAmount: null, capacity: null },
  { kind: 'subscription', name: 'Zomerlicht 2027 early-bird pass', price: 14900, ledgerAmount: null, capacity: 1000 },
];
