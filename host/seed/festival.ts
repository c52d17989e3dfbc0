import type { CatalogItemKind } from '../../db/schema.ts';

/**
 * The shape of the synthetic event: a three-day festival with its ticket types, gates, catalog and
 * CRM labels. Prices are integer euro cents. Every date is an offset from the festival's first day
 * (UTC), so the same festival can be placed around today for a demo or on a fixed day for
 * reproducible data.
 */
export const festival = {
  baseName: 'Zomerlicht Festival',
  timeZone: 'Europe/Amsterdam',
  currency: 'EUR',
  /** The first day used when none is given: the festival as it was first written (tests, benchmarks). */
  referenceFirstDay: '2026-07-10',
} as const;

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** A moment relative to the first day's midnight (UTC): `day` may be negative (before the festival). */
export interface DayTime {
  day: number;
  /** HH:MM, UTC. */
  time: string;
}

const firstDayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight (UTC) of a first day given as YYYY-MM-DD; undefined when it is not a real date. */
export function firstDayMidnight(firstDay: string): number | undefined {
  const match = firstDayPattern.exec(firstDay);
  if (!match) return undefined;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Date.UTC rolls 2026-02-31 over to March: a date that does not round-trip does not exist.
  return new Date(time).toISOString().slice(0, 10) === firstDay ? time : undefined;
}

/**
 * The first day a festival needs for `now` to fall on its second day: the ticket types valid for
 * the whole weekend (most tickets) admit all day, and the first day's history (sales, wristband
 * exchanges, admissions) lies in the past.
 */
export function firstDayAroundToday(now: Date): string {
  return new Date(now.getTime() - day).toISOString().slice(0, 10);
}

export interface FestivalTimeline {
  firstDay: string;
  name: string;
  startsAt: number;
  endsAt: number;
  /** When the organiser set the event up (created_at of event, types, gates, catalog, labels). */
  setUpAt: number;
  /** Sales run from here to the evening before the festival. */
  salesStartAt: number;
  salesEndAt: number;
  /**
   * The data is the festival as it stands at this moment (midnight after the first day): every
   * order, wristband, scan and bar purchase happened before it, and nothing after it.
   */
  historyUntil: number;
  at(moment: DayTime): number;
}

export function festivalTimeline(firstDay: string): FestivalTimeline {
  const midnight = firstDayMidnight(firstDay);
  if (midnight === undefined) throw new RangeError(`not a date: ${firstDay}`);
  const at = (moment: DayTime) => {
    const [hours, minutes] = moment.time.split(':').map(Number) as [number, number];
    return midnight + moment.day * day + hours * hour + minutes * minute;
  };
  return {
    firstDay,
    name: `${festival.baseName} ${firstDay.slice(0, 4)}`,
    startsAt: at({ day: 0, time: '10:00' }),
    endsAt: at({ day: 2, time: '23:00' }),
    setUpAt: at({ day: -186, time: '09:00' }),
    salesStartAt: at({ day: -181, time: '08:00' }),
    salesEndAt: at({ day: -1, time: '20:00' }),
    historyUntil: at({ day: 1, time: '00:00' }),
    at,
  };
}

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
  validFrom: DayTime;
  validUntil: DayTime;
  maxEntries: number | null;
  reentryAllowed: boolean;
  /** Gates that admit it; null = every gate. */
  gates: readonly GateKey[] | null;
  /** The day its holders usually arrive (index into the festival's three days). */
  arrivalDay: number;
  /** Campers and crew stay on the grounds at night; everyone else leaves by closing time. */
  staysOvernight: boolean;
}

export const ticketTypes: readonly TicketTypeSpec[] = [
  { name: 'Weekend', price: 18900, weight: 45, validFrom: { day: 0, time: '08:00' }, validUntil: { day: 2, time: '23:59' }, maxEntries: null, reentryAllowed: true, gates: ['main', 'north'], arrivalDay: 0, staysOvernight: false },
  { name: 'Weekend + Camping', price: 23400, weight: 19, validFrom: { day: -1, time: '12:00' }, validUntil: { day: 3, time: '12:00' }, maxEntries: null, reentryAllowed: true, gates: ['main', 'north'], arrivalDay: 0, staysOvernight: true },
  { name: 'Saturday', price: 9900, weight: 14, validFrom: { day: 1, time: '08:00' }, validUntil: { day: 2, time: '04:00' }, maxEntries: 3, reentryAllowed: true, gates: ['main', 'north'], arrivalDay: 1, staysOvernight: false },
  { name: 'Sunday', price: 8900, weight: 12, validFrom: { day: 2, time: '08:00' }, validUntil: { day: 2, time: '23:59' }, maxEntries: 1, reentryAllowed: false, gates: ['main', 'north'], arrivalDay: 2, staysOvernight: false },
  { name: 'VIP Weekend', price: 34900, weight: 7, validFrom: { day: 0, time: '08:00' }, validUntil: { day: 2, time: '23:59' }, maxEntries: null, reentryAllowed: true, gates: null, arrivalDay: 0, staysOvernight: false },
  { name: 'Crew', price: 0, weight: 3, validFrom: { day: -2, time: '06:00' }, validUntil: { day: 4, time: '12:00' }, maxEntries: null, reentryAllowed: true, gates: null, arrivalDay: 0, staysOvernight: true },
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
  { kind: 'subscription', name: 'Zomerlicht early-bird pass for next year', price: 14900, ledgerAmount: null, capacity: 1000 },
];
