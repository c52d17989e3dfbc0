import { z } from 'zod';
import { defineCommand } from '../commands/command.ts';
import { query, queryTemplate } from '../commands/query-builder.ts';
import type { AuditEntry, CommandTx } from '../commands/tx.ts';
import { profileFieldOfColumn, type CustomerProfile } from '../customers/insert.ts';
import { sortName } from '../customers/search-row.ts';
import { notFound } from '../errors.ts';
import { idSchema } from '../fields.ts';
import type { ImportRow } from './import-row.ts';
import { firstPlanOf, firstPlanSchema, importedRowIds, matchedRows, reportImportConflicts, stampedUpdates, writeMergedCustomers, type StampedUpdate } from './import-conflicts.ts';
import { ImportState, planBatch, type BatchPlan, type ImportAction, type ImportedCustomer } from './import-plan.ts';
import { rolesFrom } from '../operators/roles.ts';
import { NothingChanged } from '../commands/nothing-changed.ts';

/**
 * Thrown out of the batch command when none of its rows changes anything, so runCommand rolls back
 * and appends no outbox row: re-importing a file writes nothing at all.
 */
export class UnchangedBatch extends NothingChanged {
  readonly plan: BatchPlan;

  constructor(plan: BatchPlan) {
    super('The batch changes nothing');
    this.name = 'UnchangedBatch';
    this.plan = plan;
  }
}

/**
 * One batch of an import: its validated rows are the command's arguments, so the server (or a
 * replay) re-derives every effect from the rows alone, planning them against its own store (the
 * ids of what it creates are derived from the envelope and the row, a created ticket type's from
 * its name). Where that store moved on since the terminal planned, the conflict rules decide
 * (import-conflicts.ts: customers matched by natural key, tickets never moved, last writer wins per
 * field). One transaction, one outbox row per batch.
 */
export const importCustomersBatch = defineCommand({
  name: 'import.customers',
  // Version 2: unknown ticket type names follow `ticketTypes` (rejected unless mapped or created)
  // and created types get the event's window and shared gates; version 1 created any name, open-ended.
  version: 2,
  roles: rolesFrom('admin'),
  // Each batch commits with synchronous=FULL: in WAL mode NORMAL leaves the commit in the OS's
  // cache until the next checkpoint, and the import raises that threshold to ~400 MB, so a power
  // cut after "done" could lose the import (issue 8). FULL syncs the WAL at every commit: ~20
  // fsyncs for 100,000 rows.
  durable: true,
  input: z.object({
    eventId: idSchema,
    ticketTypes: z.object({
      mapTo: z.record(z.string(), z.string()),
      create: z.array(z.string()),
      createAny: z.boolean(),
    }),
    // Rows reach this command only from importCustomers, each already parsed by importRowSchema as
    // it was read (the command is not in the API contract); checking the shape is enough here,
    // re-running every field rule would cost ~7% of an import. The server validates them again.
    rows: z.array(z.custom<ImportRow>((row) => typeof row === 'object' && row !== null, 'Invalid import row')).min(1).max(10_000),
    /** What the terminal's run decided (settled by it): later runs compare with it (import-conflicts.ts). */
    firstPlan: firstPlanSchema.optional(),
  }),
  *body(tx, input) {
    const event = yield* tx.first(query.selectFrom('events').select('id').where('id', '=', input.eventId));
    if (!event) throw notFound(`No event with id ${input.eventId}`, 'eventId');
    const rowIds = importedRowIds(tx.commandId);
    const plan = yield* planBatch(tx, new ImportState(input.eventId, input.ticketTypes), input.rows, rowIds);
    const firstPlan = input.firstPlan ?? firstPlanOf(plan, rowIds);
    if (!input.firstPlan) tx.settle({ firstPlan });
    const matched = matchedRows(plan, firstPlan, rowIds);
    const updates = yield* stampedUpdates(tx, plan.actions);
    reportImportConflicts(tx, input.rows, plan, firstPlan, matched, updates.values());
    // A batch whose rows all were imported already changes nothing; unless a conflict rule acted
    // (a row no longer imported, say): its receipt must say so.
    if (plan.actions.length === 0 && matched.length === 0 && tx.conflicts.length === 0) throw new UnchangedBatch(plan);
    yield* writeImportActions(tx, input.eventId, plan.actions, updates);
    yield* writeMergedCustomers(tx, input.rows, matched);
    return plan;
  },
});

const profileKeys = ['email', 'first_name', 'last_name', 'phone', 'postcode', 'address', 'city', 'country', 'gender'] as const;
const searchedKeys = new Set<string>(['email', 'first_name', 'last_name', 'phone']);

/** Audit payloads name fields the way the API does (camelCase). */
function auditFields(profile: Partial<CustomerProfile>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const key of profileKeys) if (key in profile) out[profileFieldOfColumn[key]] = profile[key] ?? null;
  return out;
}

/** A new customer's audit entry lists the fields the row filled. */
function filledFields(customer: ImportedCustomer): Partial<CustomerProfile> {
  const filled: Partial<CustomerProfile> = {};
  for (const key of profileKeys) if (customer[key] !== null) filled[key] = customer[key];
  return filled;
}

// The batch's writes, each a template built and compiled once per dialect: an import of 100,000
// rows must not build or compile SQL per row. New customers and tickets go in `rowsPerInsert` to a
// statement (the rest of a batch one by one): fewer statements, and fewer steps for the driver.
const rowsPerInsert = 32;

const insertTicketType = queryTemplate(
  (id: string, eventId: string, name: string, validFrom: string | null, validUntil: string | null, gateIds: string | null, now: string) =>
    query.insertInto('ticket_types').values({
      id,
      event_id: eventId,
      name,
      valid_from: validFrom,
      valid_until: validUntil,
      max_entries: null,
      gate_ids: gateIds,
      created_at: now,
      updated_at: now,
      server_version: null,
      deleted_at: null,
    }),
);

/** A new customer's values as a template takes them: id, the profile, the sort key. */
type CustomerValues = [id: string, ...ProfileValues, sortKey: string];

function customerValues(customer: ImportedCustomer): CustomerValues {
  return [customer.id, ...profileValues(customer), sortName(customer)];
}

/**
 * `count` new customers in one statement; the time last. No search_rowid: SQLite gives each row
 * the next one, in the order given (the FTS row's key); PostgreSQL has none.
 */
function insertCustomers(count: number) {
  const width = 11;
  return queryTemplate((...args: (string | null)[]) => {
    const now = args[count * width]!;
    return query.insertInto('customers').values(
      Array.from({ length: count }, (_, row) => {
        const [id, email, firstName, lastName, phone, postcode, address, city, country, gender, sortKey] = args.slice(row * width, row * width + width);
        return {
          id: id!,
          email: email ?? null,
          first_name: firstName ?? null,
          last_name: lastName ?? null,
          phone: phone ?? null,
          postcode: postcode ?? null,
          address: address ?? null,
          city: city ?? null,
          country: country ?? null,
          gender: gender ?? null,
          verification_status: 'non_verified' as const,
          description: null,
          web_user_id: null,
          sort_name: sortKey!,
          created_at: now,
          updated_at: now,
          server_version: null,
          deleted_at: null,
        };
      }),
    );
  });
}

type ProfileValues = [
  email: string | null,
  firstName: string | null,
  lastName: string | null,
  phone: string | null,
  postcode: string | null,
  address: string | null,
  city: string | null,
  country: string | null,
  gender: string | null,
];

function profileValues(customer: ImportedCustomer): ProfileValues {
  return [customer.email, customer.first_name, customer.last_name, customer.phone, customer.postcode, customer.address, customer.city, customer.country, customer.gender];
}

function profileColumnValues([email, firstName, lastName, phone, postcode, address, city, country, gender]: ProfileValues) {
  return { email, first_name: firstName, last_name: lastName, phone, postcode, address, city, country, gender };
}

const updateProfile = queryTemplate((...[id, now, fieldHlcs, ...profile]: [id: string, now: string, fieldHlcs: string, ...ProfileValues]) =>
  query
    .updateTable('customers')
    .set({ ...profileColumnValues(profile), field_hlcs: fieldHlcs, updated_at: now })
    .where('id', '=', id),
);

/** A change of the names, e-mail or phone: the sort key follows (the FTS row is the terminal's projection). */
const updateSearchedProfile = queryTemplate(
  (...[id, now, fieldHlcs, sortKey, ...profile]: [id: string, now: string, fieldHlcs: string, sortKey: string, ...ProfileValues]) =>
    query
      .updateTable('customers')
      .set({ ...profileColumnValues(profile), field_hlcs: fieldHlcs, sort_name: sortKey, updated_at: now })
      .where('id', '=', id),
);

/** A new ticket's values as a template takes them. */
type TicketValues = [id: string, reference: string, ticketTypeId: string, customerId: string];

/** `count` new tickets of the event in one statement; the event and the time last. */
function insertTickets(count: number) {
  const width = 4;
  return queryTemplate((...args: string[]) => {
    const eventId = args[count * width]!;
    const now = args[count * width + 1]!;
    return query.insertInto('tickets').values(
      Array.from({ length: count }, (_, row) => {
        const [id, reference, ticketTypeId, customerId] = args.slice(row * width, row * width + width);
        return {
          id: id!,
          event_id: eventId,
          reference: reference!,
          ticket_type_id: ticketTypeId!,
          customer_id: customerId!,
          order_id: null,
          status: 'valid' as const,
          invalid_reason: null,
          redeemed: 0,
          banned: 0,
          first_scan_at: null,
          last_scan_at: null,
          last_scan_gate_id: null,
          created_at: now,
          updated_at: now,
          server_version: null,
        };
      }),
    );
  });
}

const insertCustomer = insertCustomers(1);
const insertCustomersChunk = insertCustomers(rowsPerInsert);
const insertTicket = insertTickets(1);
const insertTicketsChunk = insertTickets(rowsPerInsert);

/** The rows in statements of `rowsPerInsert` (then one by one): each statement's arguments. */
function* inChunks<V extends readonly (string | null)[]>(rows: readonly V[], trailing: readonly string[]) {
  let start = 0;
  for (; start + rowsPerInsert <= rows.length; start += rowsPerInsert) {
    yield { chunk: true, args: [...rows.slice(start, start + rowsPerInsert).flat(), ...trailing] };
  }
  for (; start < rows.length; start++) yield { chunk: false, args: [...rows[start]!, ...trailing] };
}

const assignTicket = queryTemplate((id: string, customerId: string, now: string) =>
  query.updateTable('tickets').set({ customer_id: customerId, updated_at: now }).where('id', '=', id).where('customer_id', 'is', null),
);

interface PendingAudit {
  customerId: string;
  before?: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** The customer whose audit entry an action adds to; none for a ticket type, which has its own entry. */
function auditedCustomer(action: ImportAction): string | undefined {
  switch (action.kind) {
    case 'createTicketType':
      return undefined;
    case 'createCustomer':
    case 'updateCustomer':
      return action.customer.id;
    case 'createTicket':
    case 'assignTicket':
      return action.customerId;
  }
}

/**
 * Writes a batch's actions: ticket types, then new customers, profile changes, new tickets and
 * assigned tickets, each kind in the plan's order (so every row a write refers to exists before
 * it), then the audit entries in the plan's order. A customer's names, e-mails and phone feed the
 * terminal's search index: the body sets the sort key itself and asks for the index to be
 * refreshed (`customer-search`), once per customer, after the customer's last write.
 */
function* writeImportActions(tx: CommandTx, eventId: string, actions: readonly ImportAction[], stamped: ReadonlyMap<ImportAction, StampedUpdate>) {
  const { now } = tx;
  const types: Extract<ImportAction, { kind: 'createTicketType' }>[] = [];
  const customers: CustomerValues[] = [];
  const updates: StampedUpdate[] = [];
  const tickets: TicketValues[] = [];
  const assigned: Extract<ImportAction, { kind: 'assignTicket' }>[] = [];
  const reindexed = new Set<string>();
  // One audit entry per customer a row touches (its profile and the tickets it gained), not one
  // per row written: the card's history reads "imported" once per row, and an import of 100,000
  // rows writes half as many audit rows (~7% of its time).
  const audits: AuditEntry[] = [];
  let pending: PendingAudit | undefined;
  for (const action of actions) {
    const customerId = auditedCustomer(action);
    if (customerId !== undefined && pending?.customerId !== customerId) {
      if (pending) audits.push({ entity: 'customer', entityId: pending.customerId, before: pending.before, after: pending.after });
      pending = { customerId, after: {} };
    }
    switch (action.kind) {
      case 'createTicketType':
        types.push(action);
        audits.push({
          entity: 'ticket_type',
          entityId: action.id,
          after: { eventId, name: action.name, validFrom: action.validFrom, validUntil: action.validUntil, gateIds: action.gateIds === null ? null : (JSON.parse(action.gateIds) as unknown) },
        });
        break;
      case 'createCustomer':
        customers.push(customerValues(action.customer));
        reindexed.add(action.customer.id);
        Object.assign(pending!.after, auditFields(filledFields(action.customer)));
        break;
      case 'updateCustomer': {
        // Fields a later edit holds (last writer wins) are left out of the write and kept in the audit.
        const update = stamped.get(action)!;
        if (Object.keys(update.after).length > 0) updates.push(update);
        if (Object.keys(update.after).some((key) => searchedKeys.has(key))) reindexed.add(action.customer.id);
        pending!.before = { ...pending!.before, ...auditFields(update.before) };
        Object.assign(pending!.after, auditFields(update.after));
        if (Object.keys(update.notApplied).length > 0) {
          pending!.after.notApplied = { ...(pending!.after.notApplied as object | undefined), ...auditFields(update.notApplied) };
        }
        break;
      }
      case 'createTicket':
        tickets.push([action.id, action.reference, action.ticketTypeId, action.customerId]);
        addTicket(pending!.after, 'ticketsCreated', action.reference);
        break;
      case 'assignTicket':
        assigned.push(action);
        addTicket(pending!.after, 'ticketsAssigned', action.reference);
        break;
    }
  }
  if (pending) audits.push({ entity: 'customer', entityId: pending.customerId, before: pending.before, after: pending.after });

  for (const type of types) {
    yield* tx.run(insertTicketType.with(type.id, eventId, type.name, type.validFrom, type.validUntil, type.gateIds, now));
  }
  for (const { chunk, args } of inChunks(customers, [now])) yield* tx.run((chunk ? insertCustomersChunk : insertCustomer).with(...args));
  for (const { customer, after, fieldHlcs } of updates) {
    if (Object.keys(after).some((key) => searchedKeys.has(key))) {
      yield* tx.run(updateSearchedProfile.with(customer.id, now, fieldHlcs, sortName(customer), ...profileValues(customer)));
    } else {
      yield* tx.run(updateProfile.with(customer.id, now, fieldHlcs, ...profileValues(customer)));
    }
  }
  for (const customerId of reindexed) yield* tx.project('customer-search', customerId);
  for (const { chunk, args } of inChunks(tickets, [eventId, now])) yield* tx.run((chunk ? insertTicketsChunk : insertTicket).with(...(args as string[])));
  for (const ticket of assigned) yield* tx.run(assignTicket.with(ticket.id, ticket.customerId, now));
  for (const entry of audits) yield* tx.audit(entry);
}

function addTicket(after: Record<string, unknown>, key: 'ticketsCreated' | 'ticketsAssigned', reference: string): void {
  const list = (after[key] as string[] | undefined) ?? [];
  list.push(reference);
  after[key] = list;
}
