import { z } from 'zod';
import { defineCommand, type CommandScope } from '../commands/command.ts';
import { insertSearchRow, customerSearchRow, nextSearchRowid, reindexCustomer, sortName } from '../customers/search-index.ts';
import type { CustomerProfile } from '../customers/insert.ts';
import { notFound } from '../errors.ts';
import { idSchema } from '../fields.ts';
import type { ImportRow } from './import-row.ts';
import { ImportState, planBatch, type BatchPlan, type ImportAction, type ImportedCustomer } from './import-plan.ts';

/**
 * Thrown out of the batch command when none of its rows changes anything, so runCommand rolls back
 * and appends no outbox row: re-importing a file writes nothing at all.
 */
export class UnchangedBatch extends Error {
  readonly plan: BatchPlan;

  constructor(plan: BatchPlan) {
    super('The batch changes nothing');
    this.name = 'UnchangedBatch';
    this.plan = plan;
  }
}

/**
 * One batch of an import: its validated rows are the command's arguments, so the server (or a
 * replay) re-derives every effect from the rows alone. One transaction, one outbox row per batch.
 */
export const importCustomersBatch = defineCommand({
  name: 'import.customers',
  // Version 2: unknown ticket type names follow `ticketTypes` (rejected unless mapped or created)
  // and created types get the event's window and shared gates; version 1 created any name, open-ended.
  version: 2,
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
  }),
  apply(scope, input): BatchPlan {
    const event = scope.store.statement('SELECT id FROM events WHERE id = ?').get(input.eventId);
    if (!event) throw notFound(`No event with id ${input.eventId}`, 'eventId');
    const plan = planBatch(new ImportState(scope.store, input.eventId, input.ticketTypes), input.rows, scope.nextId);
    if (plan.actions.length === 0) throw new UnchangedBatch(plan);
    writeImportActions(scope, input.eventId, plan.actions);
    return plan;
  },
});

const profileKeys = ['email', 'first_name', 'last_name', 'phone', 'postcode', 'address', 'city', 'country', 'gender'] as const;
const searchedKeys = new Set<string>(['email', 'first_name', 'last_name', 'phone']);

const apiNames: Record<keyof CustomerProfile, string> = {
  email: 'email',
  first_name: 'firstName',
  last_name: 'lastName',
  phone: 'phone',
  postcode: 'postcode',
  address: 'address',
  city: 'city',
  country: 'country',
  gender: 'gender',
};

/** Audit payloads name fields the way the API does (camelCase). */
function auditFields(profile: Partial<CustomerProfile>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const key of profileKeys) if (key in profile) out[apiNames[key]] = profile[key] ?? null;
  return out;
}

/** A new customer's audit entry lists the fields the row filled. */
function filledFields(customer: ImportedCustomer): Partial<CustomerProfile> {
  const filled: Partial<CustomerProfile> = {};
  for (const key of profileKeys) if (customer[key] !== null) filled[key] = customer[key];
  return filled;
}

/**
 * Writes a batch's actions with statements prepared once per shape (an import of 100,000 rows
 * must not compile SQL per row); the FTS row and sort key are written here as insertCustomer
 * would, with the search rowids of the batch handed out from one MAX lookup.
 */
function writeImportActions(scope: CommandScope, eventId: string, actions: readonly ImportAction[]): void {
  const { store, now } = scope;
  let searchRowid: number | undefined;
  // One audit entry per customer a row touches (its profile and the tickets it gained), not one
  // per row written: the card's history reads "imported" once per row, and an import of 100,000
  // rows writes half as many audit rows (~7% of its time).
  let pending: { customerId: string; before?: Record<string, unknown>; after: Record<string, unknown> } | undefined;
  const auditFor = (customerId: string) => {
    if (pending?.customerId !== customerId) {
      flushAudit();
      pending = { customerId, after: {} };
    }
    return pending;
  };
  const flushAudit = () => {
    if (!pending) return;
    scope.audit({ entity: 'customer', entityId: pending.customerId, before: pending.before, after: pending.after });
    pending = undefined;
  };
  for (const action of actions) {
    switch (action.kind) {
      case 'createTicketType': {
        store
          .statement(
            `INSERT INTO ticket_types (id, event_id, name, valid_from, valid_until, max_entries, gate_ids,
               created_at, updated_at, server_version, deleted_at)
             VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, NULL, NULL)`,
          )
          .run(action.id, eventId, action.name, action.validFrom, action.validUntil, action.gateIds, now, now);
        scope.audit({
          entity: 'ticket_type',
          entityId: action.id,
          after: { eventId, name: action.name, validFrom: action.validFrom, validUntil: action.validUntil, gateIds: action.gateIds === null ? null : (JSON.parse(action.gateIds) as unknown) },
        });
        break;
      }
      case 'createCustomer': {
        const customer = action.customer;
        searchRowid = (searchRowid ?? nextSearchRowid(store) - 1) + 1;
        store
          .statement(
            `INSERT INTO customers (id, search_rowid, email, first_name, last_name, phone, postcode, address,
               city, country, gender, verification_status, description, web_user_id, sort_name,
               created_at, updated_at, server_version, deleted_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'non_verified', NULL, NULL, ?, ?, ?, NULL, NULL)`,
          )
          .run(
            customer.id,
            searchRowid,
            customer.email,
            customer.first_name,
            customer.last_name,
            customer.phone,
            customer.postcode,
            customer.address,
            customer.city,
            customer.country,
            customer.gender,
            sortName(customer),
            now,
            now,
          );
        insertSearchRow(store, searchRowid, customerSearchRow(customer));
        Object.assign(auditFor(customer.id).after, auditFields(filledFields(customer)));
        break;
      }
      case 'updateCustomer': {
        const customer = action.customer;
        store
          .statement(
            `UPDATE customers SET email = ?, first_name = ?, last_name = ?, phone = ?, postcode = ?,
               address = ?, city = ?, country = ?, gender = ?, updated_at = ?
             WHERE id = ?`,
          )
          .run(
            customer.email,
            customer.first_name,
            customer.last_name,
            customer.phone,
            customer.postcode,
            customer.address,
            customer.city,
            customer.country,
            customer.gender,
            now,
            customer.id,
          );
        if (Object.keys(action.after).some((key) => searchedKeys.has(key))) reindexCustomer(store, action.customer.id);
        const entry = auditFor(action.customer.id);
        entry.before = { ...entry.before, ...auditFields(action.before) };
        Object.assign(entry.after, auditFields(action.after));
        break;
      }
      case 'createTicket': {
        store
          .statement(
            `INSERT INTO tickets (id, event_id, reference, ticket_type_id, customer_id, order_id, status,
               invalid_reason, redeemed, banned, first_scan_at, last_scan_at, last_scan_gate_id,
               created_at, updated_at, server_version)
             VALUES (?, ?, ?, ?, ?, NULL, 'valid', NULL, 0, 0, NULL, NULL, NULL, ?, ?, NULL)`,
          )
          .run(action.id, eventId, action.reference, action.ticketTypeId, action.customerId, now, now);
        addTicket(auditFor(action.customerId).after, 'ticketsCreated', action.reference);
        break;
      }
      case 'assignTicket': {
        store
          .statement('UPDATE tickets SET customer_id = ?, updated_at = ? WHERE id = ? AND customer_id IS NULL')
          .run(action.customerId, now, action.id);
        addTicket(auditFor(action.customerId).after, 'ticketsAssigned', action.reference);
        break;
      }
    }
  }
  flushAudit();
}

function addTicket(after: Record<string, unknown>, key: 'ticketsCreated' | 'ticketsAssigned', reference: string): void {
  const list = (after[key] as string[] | undefined) ?? [];
  list.push(reference);
  after[key] = list;
}
