import type { Store } from '../../db/store.ts';
import type { CustomerProfile } from '../customers/insert.ts';
import { newId } from '../ids.ts';
import type { ImportRow } from './import-row.ts';

/**
 * Deciding what each imported row does, apart from writing it. The same planner runs inside the
 * batch command (against the store, then its actions are written) and in a dry run (against the
 * store plus everything earlier rows of the run would have written, then nothing is written), so
 * a dry run counts exactly what a real run does.
 */

export interface ImportedCustomer extends CustomerProfile {
  id: string;
}

interface KnownTicket {
  id: string;
  customer_id: string | null;
}

interface KnownTicketType {
  id: string;
  name: string;
  deleted: boolean;
}

export type RowOutcome =
  | { row: number; outcome: 'imported' | 'updated' | 'unchanged' }
  | { row: number; outcome: 'rejected'; reason: string };

export type ImportAction =
  | { kind: 'createTicketType'; id: string; name: string }
  | { kind: 'createCustomer'; customer: ImportedCustomer }
  | {
      kind: 'updateCustomer';
      customer: ImportedCustomer;
      before: Partial<CustomerProfile>;
      after: Partial<CustomerProfile>;
    }
  | { kind: 'createTicket'; id: string; reference: string; ticketTypeId: string; customerId: string }
  | { kind: 'assignTicket'; id: string; reference: string; customerId: string };

export interface BatchPlan {
  outcomes: RowOutcome[];
  /** In write order: ticket types and customers before the tickets that refer to them. */
  actions: ImportAction[];
  createdTicketTypes: string[];
}

/** The row's profile columns and the customer columns they fill. */
const profileColumns = [
  ['email', 'email'],
  ['firstName', 'first_name'],
  ['lastName', 'last_name'],
  ['phone', 'phone'],
  ['postcode', 'postcode'],
  ['address', 'address'],
  ['city', 'city'],
  ['country', 'country'],
  ['gender', 'gender'],
] as const satisfies readonly (readonly [keyof ImportRow, keyof CustomerProfile])[];

export const defaultTicketTypeName = 'General admission';

const customerColumns =
  'id, email, first_name, last_name, phone, postcode, address, city, country, gender';

/**
 * What the import knows about the event's customers, tickets and ticket types: looked up in the
 * store in bulk per batch (one indexed query per kind, not one per row), then kept up to date by
 * the planner as rows create and change things.
 */
export class ImportState {
  readonly store: Store;
  readonly eventId: string;
  /** Main email → customer id, or null when no customer has it. */
  private readonly customerIdByEmail = new Map<string, string | null>();
  private readonly customers = new Map<string, ImportedCustomer>();
  /** Ticket reference → ticket, or null when the event has no such ticket. */
  private readonly tickets = new Map<string, KnownTicket | null>();
  private ticketTypes: Map<string, KnownTicketType> | undefined;

  constructor(store: Store, eventId: string) {
    this.store = store;
    this.eventId = eventId;
  }

  /** Loads what these rows refer to and is not known yet. */
  load(rows: readonly ImportRow[]): void {
    const emails = [...new Set(rows.flatMap((row) => (row.email === null ? [] : [row.email])))].filter(
      (email) => !this.customerIdByEmail.has(email),
    );
    if (emails.length > 0) {
      const found = this.store
        .statement(
          `SELECT ${customerColumns} FROM customers
           WHERE email IN (SELECT value FROM json_each(?)) AND email IS NOT NULL AND deleted_at IS NULL`,
        )
        .all(JSON.stringify(emails)) as ImportedCustomer[];
      for (const email of emails) this.customerIdByEmail.set(email, null);
      for (const customer of found) this.remember(customer);
    }

    const references = [
      ...new Set(rows.flatMap((row) => (row.ticketReference === null ? [] : [row.ticketReference]))),
    ].filter((reference) => !this.tickets.has(reference));
    if (references.length > 0) {
      const found = this.store
        .statement(
          `SELECT id, reference, customer_id FROM tickets
           WHERE event_id = ? AND reference IN (SELECT value FROM json_each(?))`,
        )
        .all(this.eventId, JSON.stringify(references)) as (KnownTicket & { reference: string })[];
      for (const reference of references) this.tickets.set(reference, null);
      for (const ticket of found) this.tickets.set(ticket.reference, { id: ticket.id, customer_id: ticket.customer_id });
      const holders = [
        ...new Set(found.flatMap((ticket) => (ticket.customer_id === null ? [] : [ticket.customer_id]))),
      ].filter((id) => !this.customers.has(id));
      if (holders.length > 0) {
        const holderRows = this.store
          .statement(`SELECT ${customerColumns} FROM customers WHERE id IN (SELECT value FROM json_each(?))`)
          .all(JSON.stringify(holders)) as ImportedCustomer[];
        for (const customer of holderRows) this.remember(customer);
      }
    }
  }

  private remember(customer: ImportedCustomer): void {
    this.customers.set(customer.id, customer);
    if (customer.email !== null) this.customerIdByEmail.set(customer.email, customer.id);
  }

  customerByEmail(email: string): ImportedCustomer | undefined {
    const id = this.customerIdByEmail.get(email);
    return id ? this.customers.get(id) : undefined;
  }

  customer(id: string): ImportedCustomer | undefined {
    return this.customers.get(id);
  }

  ticket(reference: string): KnownTicket | null {
    return this.tickets.get(reference) ?? null;
  }

  ticketType(name: string): KnownTicketType | undefined {
    if (!this.ticketTypes) {
      const rows = this.store
        .statement('SELECT id, name, deleted_at IS NOT NULL AS deleted FROM ticket_types WHERE event_id = ?')
        .all(this.eventId) as { id: string; name: string; deleted: number }[];
      this.ticketTypes = new Map(
        rows.map((row) => [row.name.toLowerCase(), { id: row.id, name: row.name, deleted: row.deleted === 1 }]),
      );
    }
    return this.ticketTypes.get(name.toLowerCase());
  }

  addCustomer(customer: ImportedCustomer): void {
    this.remember(customer);
  }

  setEmail(customer: ImportedCustomer, email: string): void {
    customer.email = email;
    this.customerIdByEmail.set(email, customer.id);
  }

  setTicket(reference: string, ticket: KnownTicket): void {
    this.tickets.set(reference, ticket);
  }

  addTicketType(type: KnownTicketType): void {
    this.ticketType(type.name);
    this.ticketTypes!.set(type.name.toLowerCase(), type);
  }
}

function holderName(customer: ImportedCustomer | undefined): string {
  if (!customer) return 'another customer';
  return customer.email ? `another customer (${customer.email})` : `another customer (id ${customer.id})`;
}

/**
 * The rules of one row, in order: its customer is the one whose main email equals the row's
 * email, else the holder of its ticket; a ticket held by someone else is never moved; a new
 * customer needs a ticket (seed 000: no customer without a ticket or tag); empty cells never clear
 * a stored value.
 */
export function planBatch(state: ImportState, rows: readonly ImportRow[]): BatchPlan {
  state.load(rows);
  const plan: BatchPlan = { outcomes: [], actions: [], createdTicketTypes: [] };
  for (const row of rows) plan.outcomes.push(planRow(state, row, plan));
  return plan;
}

function planRow(state: ImportState, row: ImportRow, plan: BatchPlan): RowOutcome {
  const reject = (reason: string): RowOutcome => ({ row: row.row, outcome: 'rejected', reason });
  const reference = row.ticketReference;
  const ticket = reference === null ? null : state.ticket(reference);
  const byEmail = row.email === null ? undefined : state.customerByEmail(row.email);
  const holder = ticket?.customer_id ? state.customer(ticket.customer_id) : undefined;

  let customer: ImportedCustomer | undefined;
  if (byEmail) {
    if (ticket?.customer_id && ticket.customer_id !== byEmail.id) {
      return reject(`ticketReference: ticket ${reference} belongs to ${holderName(holder)}; it was not moved`);
    }
    customer = byEmail;
  } else if (ticket?.customer_id) {
    // No customer has the row's email; the ticket's holder is the customer unless they have another email.
    if (row.email !== null && holder?.email) {
      return reject(`ticketReference: ticket ${reference} belongs to ${holderName(holder)}; it was not moved`);
    }
    customer = holder;
    if (!customer) return reject(`ticketReference: ticket ${reference} belongs to ${holderName(undefined)}; it was not moved`);
  } else if (reference === null) {
    return reject('ticketReference: a new customer needs a ticket reference (no customer has this email)');
  }

  // A ticket to create needs its type; a type deleted from the event cannot be reused or recreated.
  const typeName = row.ticketType ?? defaultTicketTypeName;
  const needsTicket = reference !== null && ticket === null;
  const existingType = needsTicket ? state.ticketType(typeName) : undefined;
  if (existingType?.deleted) return reject(`ticketType: ticket type "${existingType.name}" was deleted from this event`);

  let created = false;
  let changed = false;
  if (!customer) {
    customer = { id: newId(), email: null, first_name: null, last_name: null, phone: null, postcode: null, address: null, city: null, country: null, gender: null };
    for (const [field, column] of profileColumns) customer[column] = row[field];
    state.addCustomer(customer);
    plan.actions.push({ kind: 'createCustomer', customer: { ...customer } });
    created = true;
  } else {
    const before: Partial<CustomerProfile> = {};
    const after: Partial<CustomerProfile> = {};
    for (const [field, column] of profileColumns) {
      const value = row[field];
      if (value === null || value === customer[column]) continue;
      before[column] = customer[column];
      after[column] = value;
      if (column === 'email') state.setEmail(customer, value);
      else customer[column] = value;
    }
    if (Object.keys(after).length > 0) {
      plan.actions.push({ kind: 'updateCustomer', customer: { ...customer }, before, after });
      changed = true;
    }
  }

  if (reference !== null) {
    if (ticket === null) {
      let typeId = existingType?.id;
      if (!typeId) {
        typeId = newId();
        state.addTicketType({ id: typeId, name: typeName, deleted: false });
        plan.actions.push({ kind: 'createTicketType', id: typeId, name: typeName });
        plan.createdTicketTypes.push(typeName);
      }
      const id = newId();
      state.setTicket(reference, { id, customer_id: customer.id });
      plan.actions.push({ kind: 'createTicket', id, reference, ticketTypeId: typeId, customerId: customer.id });
      created = true;
    } else if (ticket.customer_id === null) {
      state.setTicket(reference, { id: ticket.id, customer_id: customer.id });
      plan.actions.push({ kind: 'assignTicket', id: ticket.id, reference, customerId: customer.id });
      changed = true;
    }
  }

  return { row: row.row, outcome: created ? 'imported' : changed ? 'updated' : 'unchanged' };
}
