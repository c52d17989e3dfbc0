import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { openDatabase } from '../db/connection.ts';
import { Store } from '../db/store.ts';
import { customerSearchRow, insertSearchRow, sortName } from '../core/customers/search-index.ts';
import { emailSchema } from '../core/fields.ts';
import { createIdSequence, createRandom } from '../host/seed/random.ts';
import { ticketReference } from '../host/seed/credentials.ts';
import { ticketTypes } from '../host/seed/festival.ts';
import { EmailBook, syntheticPerson } from '../host/seed/people.ts';

const columns = ['Email', 'First Name', 'Last Name', 'Phone', 'Postcode', 'Address', 'City', 'Country', 'Gender', 'Ticket Reference', 'Ticket Type'];

/**
 * A customer import file as an organiser would export it from a ticket shop: one row per ticket,
 * so about 5% of rows repeat the previous buyer's e-mail with another ticket. Every e-mail and
 * reference is new to a fresh store.
 */
export function writeImportCsv(file: string, rows: number, seed: number): void {
  const random = createRandom(seed);
  const emails = new EmailBook();
  const records: string[][] = [columns];
  let previous: string[] | null = null;
  for (let i = 0; i < rows; i++) {
    const type = random.weighted(ticketTypes.map((candidate) => [candidate.name, candidate.weight] as const));
    const reference = ticketReference(random, i, 12345, 'IM-');
    if (previous && random.chance(0.05)) {
      records.push([...previous.slice(0, 9), reference, type]);
      continue;
    }
    const person = syntheticPerson(random, emails);
    previous = [person.email, person.firstName, person.lastName, person.phone ?? '', person.postcode ?? '', person.address ?? '', person.city ?? '', person.country ?? '', person.gender ?? ''];
    records.push([...previous, reference, type]);
  }
  writeFileSync(file, stringify(records, { record_delimiter: 'unix' }), 'utf8');
}

/**
 * The raw baseline of the import: parse the same file, then insert each row's customer (with its
 * search row) and ticket with hand-written prepared statements, 1,000 rows per transaction. No
 * matching against existing data beyond an in-memory map (the store is fresh), no audit, no outbox.
 */
export function rawImport(dataFile: string, csvFile: string): number {
  const store = new Store(openDatabase(dataFile));
  const db = store.db;
  const at = new Date().toISOString();
  const random = createRandom(7);
  const nextId = createIdSequence(random);
  const eventId = nextId(Date.now());
  db.prepare("INSERT INTO events (id, name, time_zone, currency, created_at, updated_at) VALUES (?, 'Imported event', 'UTC', 'EUR', ?, ?)").run(eventId, at, at);
  const typeIds = new Map<string, string>();
  const insertType = db.prepare('INSERT INTO ticket_types (id, event_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
  const insertCustomer = db.prepare(
    `INSERT INTO customers (id, search_rowid, email, first_name, last_name, phone, postcode, address, city, country, gender, sort_name, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertTicket = db.prepare(
    'INSERT INTO tickets (id, event_id, reference, ticket_type_id, customer_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const records = parse(readFileSync(csvFile), { bom: true, from_line: 2 }) as string[][];
  const customers = new Map<string, string>();
  const text = (value: string | undefined) => (value && value.trim() !== '' ? value.trim() : null);
  let rowid = 0;
  const insertRow = (record: string[]) => {
    const email = emailSchema.parse(record[0]);
    let customerId = customers.get(email);
    if (!customerId) {
      customerId = nextId(Date.now());
      customers.set(email, customerId);
      const profile = { email, first_name: text(record[1]), last_name: text(record[2]), phone: text(record[3]) };
      rowid++;
      insertCustomer.run(customerId, rowid, email, profile.first_name, profile.last_name, profile.phone, text(record[4]), text(record[5]), text(record[6]), text(record[7]), text(record[8]), sortName(profile), at, at);
      insertSearchRow(store, rowid, customerSearchRow(profile));
    }
    const typeName = record[10] ?? 'General admission';
    let typeId = typeIds.get(typeName.toLowerCase());
    if (!typeId) {
      typeId = nextId(Date.now());
      insertType.run(typeId, eventId, typeName, at, at);
      typeIds.set(typeName.toLowerCase(), typeId);
    }
    insertTicket.run(nextId(Date.now()), eventId, record[9], typeId, customerId, 'valid', at, at);
  };
  const batch = db.transaction((rows: string[][]) => {
    for (const record of rows) insertRow(record);
  });
  for (let start = 0; start < records.length; start += 1000) batch(records.slice(start, start + 1000));
  store.close();
  return records.length;
}
