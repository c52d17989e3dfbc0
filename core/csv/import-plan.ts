import type { CustomerProfile } from '../customers/insert.ts';
import { parseGateIds } from '../checkin/verdict.ts';
import { namedId } from '../commands/envelope.ts';
import { query, queryTemplate } from '../commands/query-builder.ts';
import type { Reads } from '../commands/reads.ts';
import { compareCodePoints } from '../customers/code-points.ts';
import type { ImportRow } from './import-row.ts';
import { closestTypeName } from './ticket-type-names.ts';

/**
 * Deciding what each imported row does, apart from writing it. The same planner runs inside the
 * batch command's body (its reads answered by the store the body runs on, then its actions are
 * written) and in a dry run (against the terminal's store plus everything earlier rows of the run
 * would have written, then nothing is written), so a dry run counts exactly what a real run does.
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
  /** `customerId`: the customer the row was imported to (created, or found by e-mail or ticket). */
  | { row: number; outcome: 'imported' | 'updated' | 'unchanged'; customerId: string }
  | { row: number; outcome: 'rejected'; reason: string };

/** The id of the customer or ticket a row of the batch (its index) would create. */
export type ImportedRowId = (kind: 'customer' | 'ticket', index: number) => string;

/**
 * What the import does with ticket type names the event does not have, as the command carries it:
 * `mapTo` (lower-cased file name → an existing type's name) and `create` (lower-cased names to
 * create) as staff chose them, `createAny` when every unknown name is created (an event with no
 * type yet, or `--create-types`). Any other unknown name rejects its rows.
 */
export interface TicketTypeChoices {
  mapTo: Record<string, string>;
  create: string[];
  createAny: boolean;
}

export const createEveryTicketType: TicketTypeChoices = { mapTo: {}, create: [], createAny: true };

/** The rules a type created by the import gets (see ImportState.createdTypeRules). */
export interface CreatedTypeRules {
  validFrom: string | null;
  validUntil: string | null;
  /** JSON array of gate ids, or null for every gate. */
  gateIds: string | null;
}

export type ImportAction =
  | ({ kind: 'createTicketType'; id: string; name: string } & CreatedTypeRules)
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
  /** Type names the event lacks and no choice covered, with their rejected rows and the closest existing type. */
  unknownTicketTypes: UnknownTicketType[];
}

export interface UnknownTicketType {
  name: string;
  rows: number;
  suggestion: string | null;
}

/** The row's profile columns and the customer columns they fill. */
export const profileColumns = [
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

const customerColumns = ['id', 'email', 'first_name', 'last_name', 'phone', 'postcode', 'address', 'city', 'country', 'gender'] as const;

/**
 * Lookups take their keys this many at a time, padded with repeats of the last: one statement
 * per kind, prepared once (an import batch may hold 10,000 rows; SQLite and PostgreSQL both cap
 * a statement's parameters).
 */
const lookupWidth = 256;

const customersByEmail = queryTemplate((...emails: string[]) =>
  query.selectFrom('customers').select(customerColumns).where('email', 'in', emails).where('email', 'is not', null).where('deleted_at', 'is', null),
);

const customersById = queryTemplate((...ids: string[]) => query.selectFrom('customers').select(customerColumns).where('id', 'in', ids));

const ticketsByReference = queryTemplate((eventId: string, ...references: string[]) =>
  query.selectFrom('tickets').select(['id', 'reference', 'customer_id']).where('event_id', '=', eventId).where('reference', 'in', references),
);

/** The keys in slices of exactly `lookupWidth`, the last one padded by repeating its last key. */
export function* slices(keys: readonly string[]): Generator<string[]> {
  for (let start = 0; start < keys.length; start += lookupWidth) {
    const slice = keys.slice(start, start + lookupWidth);
    while (slice.length < lookupWidth) slice.push(slice[slice.length - 1]!);
    yield slice;
  }
}

/**
 * What the import knows about the event's customers, tickets and ticket types: looked up in bulk
 * per batch (a few indexed queries per kind, not one per row), then kept up to date by the planner
 * as rows create and change things. It holds no store: `load` reads through the read steps it is
 * handed (a command body's transaction, or the terminal's store in a dry run).
 */
export class ImportState {
  readonly eventId: string;
  /** Main email → customer id, or null when no customer has it. */
  private readonly customerIdByEmail = new Map<string, string | null>();
  private readonly customers = new Map<string, ImportedCustomer>();
  /** Ticket reference → ticket, or null when the event has no such ticket. */
  private readonly tickets = new Map<string, KnownTicket | null>();
  /** The event's ticket types by lower-cased name; loaded with the first rows. */
  private ticketTypes: Map<string, KnownTicketType> | undefined;
  private typeRules: CreatedTypeRules | undefined;
  readonly typeChoices: TicketTypeChoices;

  constructor(eventId: string, typeChoices: TicketTypeChoices) {
    this.eventId = eventId;
    this.typeChoices = typeChoices;
  }

  /** Loads what these rows refer to and is not known yet (the event's ticket types, the first time). */
  *load(reads: Reads, rows: readonly ImportRow[]) {
    if (!this.ticketTypes) yield* this.loadTicketTypes(reads);

    const emails = [...new Set(rows.flatMap((row) => (row.email === null ? [] : [row.email])))].filter(
      (email) => !this.customerIdByEmail.has(email),
    );
    for (const email of emails) this.customerIdByEmail.set(email, null);
    for (const slice of slices(emails)) {
      for (const customer of yield* reads.all(customersByEmail.with(...slice))) this.remember(customer);
    }

    const references = [
      ...new Set(rows.flatMap((row) => (row.ticketReference === null ? [] : [row.ticketReference]))),
    ].filter((reference) => !this.tickets.has(reference));
    const found: (KnownTicket & { reference: string })[] = [];
    for (const reference of references) this.tickets.set(reference, null);
    for (const slice of slices(references)) found.push(...(yield* reads.all(ticketsByReference.with(this.eventId, ...slice))));
    for (const ticket of found) this.tickets.set(ticket.reference, { id: ticket.id, customer_id: ticket.customer_id });
    const holders = [
      ...new Set(found.flatMap((ticket) => (ticket.customer_id === null ? [] : [ticket.customer_id]))),
    ].filter((id) => !this.customers.has(id));
    for (const slice of slices(holders)) {
      for (const customer of yield* reads.all(customersById.with(...slice))) this.remember(customer);
    }
  }

  /**
   * The event's types, and the rules a type the import creates gets. Such a type may admit no more
   * than the event's existing types already do, so a misspelt or new name never opens a gate or a
   * day the organiser kept closed: it is valid from the event's start to its end (issue 8: "Wekend"
   * tickets were admitted after the event), and admitted only at the gates every existing type may
   * use (the VIP gate stays VIP only), listed in id order; with no type yet, at every gate.
   */
  private *loadTicketTypes(reads: Reads) {
    const event = yield* reads.first(query.selectFrom('events').select(['starts_at', 'ends_at']).where('id', '=', this.eventId));
    const rows = yield* reads.all(
      query.selectFrom('ticket_types').select(['id', 'name', 'deleted_at', 'gate_ids']).where('event_id', '=', this.eventId),
    );
    this.ticketTypes = new Map(
      rows.map((row) => [row.name.toLowerCase(), { id: row.id, name: row.name, deleted: row.deleted_at !== null }]),
    );
    const lists = rows
      .filter((row) => row.deleted_at === null)
      .flatMap((row) => (row.gate_ids === null ? [] : [parseGateIds(row.gate_ids) ?? []]));
    const shared = lists.length === 0 ? null : lists.reduce((common, list) => common.filter((id) => list.includes(id)));
    this.typeRules = {
      validFrom: event?.starts_at ?? null,
      validUntil: event?.ends_at ?? null,
      gateIds: shared === null ? null : JSON.stringify([...shared].sort(compareCodePoints)),
    };
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
    return this.loadedTicketTypes().get(name.toLowerCase());
  }

  /** Names of the event's types that are not deleted, for suggestions. */
  ticketTypeNames(): string[] {
    return [...this.loadedTicketTypes().values()].filter((type) => !type.deleted).map((type) => type.name);
  }

  /** The rules a type the import creates gets (see loadTicketTypes). */
  createdTypeRules(): CreatedTypeRules {
    if (!this.typeRules) throw new Error('ImportState: load the rows before planning them');
    return this.typeRules;
  }

  private loadedTicketTypes(): Map<string, KnownTicketType> {
    if (!this.ticketTypes) throw new Error('ImportState: load the rows before planning them');
    return this.ticketTypes;
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
    this.loadedTicketTypes().set(type.name.toLowerCase(), type);
  }
}

type TypeDecision =
  | { kind: 'use'; type: KnownTicketType }
  | { kind: 'create'; name: string }
  | { kind: 'reject'; reason: string; unknown?: UnknownTicketType };

/**
 * Which type a new ticket gets for the name in its row, by the event's types and staff's choices.
 * A row with no type gets "General admission", created when missing: nothing was mistyped, and a
 * created type admits no more than the event's types do (createdTypeRules).
 */
function decideTicketType(state: ImportState, rowType: string | null): TypeDecision {
  const name = rowType ?? defaultTicketTypeName;
  const existing = state.ticketType(name);
  if (existing?.deleted) return { kind: 'reject', reason: `ticketType: ticket type "${existing.name}" was deleted from this event` };
  if (existing) return { kind: 'use', type: existing };
  const key = name.toLowerCase();
  const mapped = state.typeChoices.mapTo[key];
  if (mapped !== undefined) {
    const target = state.ticketType(mapped);
    if (target && !target.deleted) return { kind: 'use', type: target };
    return { kind: 'reject', reason: `ticketType: "${name}" was to be imported as "${mapped}", which is not a ticket type of this event` };
  }
  if (rowType === null || state.typeChoices.createAny || state.typeChoices.create.includes(key)) return { kind: 'create', name };
  const suggestion = closestTypeName(name, state.ticketTypeNames());
  const hint = suggestion ? ` (did you mean "${suggestion}"?)` : '';
  return {
    kind: 'reject',
    reason: `ticketType: "${name}" is not a ticket type of this event${hint}; choose an existing type for it or create it, and import these rows again`,
    unknown: { name, rows: 1, suggestion },
  };
}

function holderName(customer: ImportedCustomer | undefined): string {
  if (!customer) return 'another customer';
  return customer.email ? `another customer (${customer.email})` : `another customer (id ${customer.id})`;
}

/**
 * The rules of one row, in order: its customer is the one whose main email equals the row's
 * email, else the holder of its ticket; a ticket held by someone else is never moved; a new
 * customer needs a ticket (seed 000: no customer without a ticket or tag); empty cells never clear
 * a stored value. `idOf` gives the ids of the customers and tickets it creates, by row (the
 * command's envelope-derived ids, the same for a row whatever the other rows decide; fresh ones for
 * a dry run); a created ticket type's id follows from the event and its name, so two terminals
 * importing "Weekend" create one type.
 */
export function* planBatch(reads: Reads, state: ImportState, rows: readonly ImportRow[], idOf: ImportedRowId) {
  yield* state.load(reads, rows);
  const plan: BatchPlan = { outcomes: [], actions: [], createdTicketTypes: [], unknownTicketTypes: [] };
  rows.forEach((row, index) => plan.outcomes.push(planRow(state, row, plan, (kind) => idOf(kind, index))));
  return plan;
}

function planRow(state: ImportState, row: ImportRow, plan: BatchPlan, nextId: (kind: 'customer' | 'ticket') => string): RowOutcome {
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

  // A ticket to create needs its type, decided before anything of the row is planned.
  const needsTicket = reference !== null && ticket === null;
  const typeDecision = needsTicket ? decideTicketType(state, row.ticketType) : undefined;
  if (typeDecision?.kind === 'reject') {
    if (typeDecision.unknown) addUnknownType(plan.unknownTicketTypes, typeDecision.unknown);
    return reject(typeDecision.reason);
  }

  const isNew = !customer;
  let changed = false;
  if (!customer) {
    customer = { id: nextId('customer'), email: null, first_name: null, last_name: null, phone: null, postcode: null, address: null, city: null, country: null, gender: null };
    for (const [field, column] of profileColumns) customer[column] = row[field];
    state.addCustomer(customer);
    plan.actions.push({ kind: 'createCustomer', customer: { ...customer } });
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
      let typeId: string;
      if (typeDecision?.kind === 'use') typeId = typeDecision.type.id;
      else {
        const name = typeDecision?.kind === 'create' ? typeDecision.name : (row.ticketType ?? defaultTicketTypeName);
        typeId = namedId('ticket_type', state.eventId, name);
        state.addTicketType({ id: typeId, name, deleted: false });
        plan.actions.push({ kind: 'createTicketType', id: typeId, name, ...state.createdTypeRules() });
        plan.createdTicketTypes.push(name);
      }
      const id = nextId('ticket');
      state.setTicket(reference, { id, customer_id: customer.id });
      plan.actions.push({ kind: 'createTicket', id, reference, ticketTypeId: typeId, customerId: customer.id });
      changed = true;
    } else if (ticket.customer_id === null) {
      state.setTicket(reference, { id: ticket.id, customer_id: customer.id });
      plan.actions.push({ kind: 'assignTicket', id: ticket.id, reference, customerId: customer.id });
      changed = true;
    }
  }

  // "imported" is a customer new to the store; a known customer whose row changed anything
  // (profile or tickets) is "updated" (issue 8: a renamed customer who gained a ticket counted as imported).
  return { row: row.row, outcome: isNew ? 'imported' : changed ? 'updated' : 'unchanged', customerId: customer.id };
}

/** Counts an unknown type's rows into a list, one entry per name ignoring case (the first spelling met). */
export function addUnknownType(list: UnknownTicketType[], unknown: UnknownTicketType): void {
  const key = unknown.name.toLowerCase();
  const known = list.find((entry) => entry.name.toLowerCase() === key);
  if (known) known.rows += unknown.rows;
  else list.push({ ...unknown });
}
