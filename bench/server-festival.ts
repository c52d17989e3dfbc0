import { sql } from 'kysely';
import { namedId } from '../core/commands/envelope.ts';
import { sortName } from '../core/customers/search-row.ts';
import { nameKey } from '../core/operators/operators.ts';
import { tagUid, ticketReference } from '../host/seed/credentials.ts';
import { festival, festivalTimeline, gates, ticketTypes } from '../host/seed/festival.ts';
import { EmailBook, syntheticPerson } from '../host/seed/people.ts';
import { createIdSequence, createRandom } from '../host/seed/random.ts';
import type { ServerDatabase } from '../server/db/database.ts';
import { progress } from './timing.ts';

/**
 * The festival the server benchmark runs on, written straight into the server's store: one event
 * (its ticket types and gates), the gate stewards, and the customers, tickets and wristbands of
 * issue 10 (500,000, 1,000,000 and 1,000,000 at full scale). Deterministic for a seed. Only these
 * tables: the benchmark measures what a terminal loads and pushes at a gate, and the synthetic
 * event's orders, ledger and history (host/seed/synthetic-event.ts, 6.4 million rows in all) would
 * triple the loading time on PGlite without changing what is measured.
 *
 * Rows go in with `INSERT … SELECT * FROM unnest(arrays)`, 10,000 a statement, on PostgreSQL and
 * PGlite alike: on PGlite that loads 40,000 ticket rows a second, as fast as its COPY FROM
 * '/dev/blob' (measured, 100,000 rows each), and node-postgres needs no COPY package for it. The
 * stamping trigger and foreign-key checks are off while loading (replica mode); every row is stamped
 * version 1 of its scope, as after one big push.
 */

export interface ServerFestivalOptions {
  customers: number;
  tickets: number;
  tags: number;
  seed: number;
  /** How many credentials (tickets and active wristbands, half each) to hand out for scanning. */
  scannable: number;
}

/** A ticket or an active wristband a gate may scan: what the scan names and the row it updates. */
export interface Credential {
  kind: 'ticket' | 'tag';
  id: string;
  code: string;
}

export interface ServerFestival {
  eventId: string;
  /** The gate the benchmark's scans are made at (every ticket type admits there). */
  gateId: string;
  /** The steward whose name the scans carry (checkin.scan is steward and up). */
  operator: string;
  /** Credentials to scan, each once, in a random order; none of a type that is not valid on the festival's second day. */
  credentials: Credential[];
  /** Rows written in all. */
  rows: number;
}

/** The moment the scans happen: the festival's second day (its Saturday), early afternoon. */
export const scanDay = festivalTimeline(festival.referenceFirstDay).at({ day: 1, time: '13:00' });

type Column = readonly [name: string, type: 'text' | 'integer' | 'bigint'];

const chunkRows = 10_000;
const iso = (ms: number) => new Date(ms).toISOString();

export async function loadServerFestival(db: ServerDatabase, options: ServerFestivalOptions): Promise<ServerFestival> {
  const random = createRandom(options.seed);
  const credentialRandom = createRandom(options.seed + 1);
  const nextId = createIdSequence(random);
  const timeline = festivalTimeline(festival.referenceFirstDay);
  const setUp = iso(timeline.setUpAt);
  const eventId = nextId(timeline.setUpAt);
  const gateIds = new Map(gates.map((gate) => [gate.key, namedId('gate', eventId, gate.name)]));
  const typeIds = ticketTypes.map((type) => namedId('ticket_type', eventId, type.name));
  const typeWeights = ticketTypes.map((_, index) => [index, ticketTypes[index]!.weight] as const);
  // A Sunday ticket is refused on Saturday: the benchmark's gates scan only what they admit.
  const scannableType = ticketTypes.map((type) => timeline.at(type.validFrom) <= scanDay && scanDay <= timeline.at(type.validUntil));
  const operator = 'Gate steward';
  let rows = 0;
  const insert = async (table: string, columns: readonly Column[], values: unknown[][]) => {
    await insertRows(db, table, columns, values);
    rows += values.length;
  };

  await insert('events', eventColumns, [[eventId, timeline.name, iso(timeline.startsAt), iso(timeline.endsAt), festival.timeZone, festival.currency, setUp, setUp, 1]]);
  await insert(
    'gates',
    gateColumns,
    gates.map((gate) => [gateIds.get(gate.key), eventId, gate.name, gate.zone, setUp, setUp, 1]),
  );
  await insert(
    'ticket_types',
    ticketTypeColumns,
    ticketTypes.map((type, index) => [
      typeIds[index],
      eventId,
      type.name,
      iso(timeline.at(type.validFrom)),
      iso(timeline.at(type.validUntil)),
      type.maxEntries,
      type.reentryAllowed ? 1 : 0,
      type.gates === null ? null : JSON.stringify(type.gates.map((key) => gateIds.get(key))),
      setUp,
      setUp,
      1,
    ]),
  );
  await insert('operators', operatorColumns, [[nextId(timeline.setUpAt), operator, nameKey(operator), 'steward', 'scrypt$benchmark', setUp, setUp, 1]]);

  // Customers bought from the sales window's start to its end, in id order.
  const salesSpan = timeline.salesEndAt - timeline.salesStartAt;
  const boughtAt = (index: number, of: number) => timeline.salesStartAt + Math.floor((index / of) * salesSpan);
  const customerIds: string[] = [];
  const emails = new EmailBook();
  await inChunks('customers', options.customers, async (start, end) => {
    const chunk: unknown[][] = [];
    for (let c = start; c < end; c++) {
      const at = boughtAt(c, options.customers);
      const person = syntheticPerson(random, emails);
      const id = nextId(at);
      customerIds.push(id);
      const profile = { first_name: person.firstName, last_name: person.lastName, email: person.email };
      chunk.push([id, person.email, person.firstName, person.lastName, person.phone, person.postcode, person.address, person.city, person.country, person.gender, sortName(profile), iso(at), iso(at), 1]);
    }
    await insert('customers', customerColumns, chunk);
  });

  // Ticket t belongs to customer t mod customers (two each at full scale), wristband t to ticket t;
  // a customer's last wristband is the active one, the earlier ones were replaced.
  const want = Math.ceil(options.scannable / 2);
  const credentials: Credential[] = [];
  const pick = (eligible: number) => random.chance(Math.min(1, (1.5 * want) / Math.max(1, eligible)));
  const ticketIds: string[] = [];
  const ticketTypeOf = new Uint8Array(options.tickets);
  const eligibleTickets = options.tickets * scannableType.filter(Boolean).length / ticketTypes.length;
  let pickedTickets = 0;
  await inChunks('tickets', options.tickets, async (start, end) => {
    const chunk: unknown[][] = [];
    for (let t = start; t < end; t++) {
      const at = boughtAt(t, options.tickets);
      const type = random.weighted(typeWeights);
      const id = nextId(at);
      const reference = ticketReference(credentialRandom, t, 12345);
      ticketIds.push(id);
      ticketTypeOf[t] = type;
      if (scannableType[type] && pickedTickets < want * 2 && pick(eligibleTickets)) {
        credentials.push({ kind: 'ticket', id, code: reference });
        pickedTickets++;
      }
      chunk.push([id, eventId, reference, typeIds[type], customerIds[t % customerIds.length], 'valid', iso(at), iso(at), 1]);
    }
    await insert('tickets', ticketColumns, chunk);
  });

  const handedOutFrom = timeline.startsAt - 2 * 3_600_000;
  const activeTags = Math.min(options.tags, customerIds.length);
  let pickedTags = 0;
  await inChunks('tags', options.tags, async (start, end) => {
    const chunk: unknown[][] = [];
    for (let g = start; g < end; g++) {
      const at = handedOutFrom + g * 10;
      const id = nextId(at);
      const uid = tagUid(credentialRandom, g, 777);
      const ticket = g < ticketIds.length ? g : g % ticketIds.length;
      const type = ticketTypeOf[ticket]!;
      const active = g + customerIds.length >= options.tags;
      if (active && scannableType[type] && pickedTags < want * 2 && pick(activeTags)) {
        credentials.push({ kind: 'tag', id, code: uid });
        pickedTags++;
      }
      chunk.push([id, eventId, uid, typeIds[type], customerIds[ticket % customerIds.length], ticketIds[ticket], active ? 1 : 0, active ? null : 'replaced', iso(at), iso(at), 1]);
    }
    await insert('tags', tagColumns, chunk);
  });

  await sql`UPDATE event_versions SET version = 1 WHERE scope = ''`.execute(db);
  await db.insertInto('event_versions').values({ scope: eventId, version: 1 }).execute();
  // What autovacuum would have done by the time terminals load: statistics for the planner, and the
  // visibility map that lets key-order reads skip the heap's visibility checks.
  await sql`VACUUM ANALYZE`.execute(db);

  const tickets = credentials.filter((credential) => credential.kind === 'ticket').slice(0, want);
  const tags = credentials.filter((credential) => credential.kind === 'tag').slice(0, want);
  if (tickets.length + tags.length < options.scannable) {
    throw new Error(`The festival has ${tickets.length + tags.length} scannable credentials picked, fewer than the ${options.scannable} asked: give it more tickets and wristbands`);
  }
  const scannable = [...tickets, ...tags];
  for (let i = scannable.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [scannable[i], scannable[j]] = [scannable[j]!, scannable[i]!];
  }
  return { eventId, gateId: gateIds.get('main')!, operator, credentials: scannable, rows };
}

async function inChunks(table: string, total: number, load: (start: number, end: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < total; start += chunkRows) {
    const end = Math.min(total, start + chunkRows);
    await load(start, end);
    if (end === total || end % 200_000 === 0) progress(`  ${table}: ${end}/${total}`);
  }
}

/** One INSERT of many rows: a typed array per column, unnested side by side. */
async function insertRows(db: ServerDatabase, table: string, columns: readonly Column[], values: readonly unknown[][]): Promise<void> {
  const arrays = columns.map(([, type], index) => sql`${values.map((row) => row[index])}::${sql.raw(type)}[]`);
  await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map(([name]) => sql.ref(name)))}) SELECT * FROM unnest(${sql.join(arrays)})`.execute(trx);
  });
}

const eventColumns: readonly Column[] = [
  ['id', 'text'],
  ['name', 'text'],
  ['starts_at', 'text'],
  ['ends_at', 'text'],
  ['time_zone', 'text'],
  ['currency', 'text'],
  ['created_at', 'text'],
  ['updated_at', 'text'],
  ['server_version', 'bigint'],
];
const gateColumns: readonly Column[] = [
  ['id', 'text'],
  ['event_id', 'text'],
  ['name', 'text'],
  ['zone', 'text'],
  ['created_at', 'text'],
  ['updated_at', 'text'],
  ['server_version', 'bigint'],
];
const ticketTypeColumns: readonly Column[] = [
  ['id', 'text'],
  ['event_id', 'text'],
  ['name', 'text'],
  ['valid_from', 'text'],
  ['valid_until', 'text'],
  ['max_entries', 'integer'],
  ['reentry_allowed', 'integer'],
  ['gate_ids', 'text'],
  ['created_at', 'text'],
  ['updated_at', 'text'],
  ['server_version', 'bigint'],
];
const operatorColumns: readonly Column[] = [
  ['id', 'text'],
  ['name', 'text'],
  ['name_key', 'text'],
  ['role', 'text'],
  ['pin_hash', 'text'],
  ['created_at', 'text'],
  ['updated_at', 'text'],
  ['server_version', 'bigint'],
];
const customerColumns: readonly Column[] = [
  ['id', 'text'],
  ['email', 'text'],
  ['first_name', 'text'],
  ['last_name', 'text'],
  ['phone', 'text'],
  ['postcode', 'text'],
  ['address', 'text'],
  ['city', 'text'],
  ['country', 'text'],
  ['gender', 'text'],
  ['sort_name', 'text'],
  ['created_at', 'text'],
  ['updated_at', 'text'],
  ['server_version', 'bigint'],
];
const ticketColumns: readonly Column[] = [
  ['id', 'text'],
  ['event_id', 'text'],
  ['reference', 'text'],
  ['ticket_type_id', 'text'],
  ['customer_id', 'text'],
  ['status', 'text'],
  ['created_at', 'text'],
  ['updated_at', 'text'],
  ['server_version', 'bigint'],
];
const tagColumns: readonly Column[] = [
  ['id', 'text'],
  ['event_id', 'text'],
  ['uid', 'text'],
  ['ticket_type_id', 'text'],
  ['customer_id', 'text'],
  ['ticket_id', 'text'],
  ['active', 'integer'],
  ['inactive_reason', 'text'],
  ['created_at', 'text'],
  ['updated_at', 'text'],
  ['server_version', 'bigint'],
];
