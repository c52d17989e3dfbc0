import { preparedQuery, sql, type Store } from '../../db/store.ts';
import { moneyInMessage } from '../money/money.ts';
import { formatTagUid } from '../tags/uid-text.ts';
import { actionLabel } from './action-labels.ts';
import { displayName } from './display-name.ts';
import { whoChanged } from './who-changed.ts';
import type { CustomerCard } from './customers.contract.ts';
import { genderLabel } from './genders.ts';

/**
 * The card's history as staff read it (issue 8): who (the operator's name, else "this terminal"),
 * what (a label, not a command name), on what (ticket TCK-1, tag 04:A2:…) and each change with the
 * names of the things it points at (ticket type, customer, event, gate…) instead of their ids.
 * Done here, once, so the card screen and the CLI show the same words.
 */

export const historyLimit = 100;

type HistoryEntry = CustomerCard['history'][number];

/** Kinds of things an audit entry refers to by id, with how each is named. */
type Kind = 'customer' | 'ticket' | 'tag' | 'ticketType' | 'event' | 'gate' | 'order' | 'label' | 'webUser' | 'catalogItem' | 'scan';

/** Audit fields holding ids (one or a list), by the kind of thing they name. */
const idFields: Readonly<Record<string, Kind>> = {
  customerId: 'customer',
  mergedInto: 'customer',
  ticketId: 'ticket',
  tagId: 'tag',
  replacedTagIds: 'tag',
  ticketTypeId: 'ticketType',
  eventId: 'event',
  gateId: 'gate',
  gateIds: 'gate',
  insideGateId: 'gate',
  orderId: 'order',
  labelId: 'label',
  webUserId: 'webUser',
  catalogItemId: 'catalogItem',
  undoneScanId: 'scan',
};

/** Shown when an id points at nothing this store holds (a row not synced yet): never the id. */
const unknownThing: Record<Kind, string> = {
  customer: 'a customer not on this terminal',
  ticket: 'a ticket not on this terminal',
  tag: 'a tag not on this terminal',
  ticketType: 'a ticket type not on this terminal',
  event: 'an event not on this terminal',
  gate: 'a gate not on this terminal',
  order: 'an order not on this terminal',
  label: 'a removed label',
  webUser: 'a web user not on this terminal',
  catalogItem: 'a catalog item not on this terminal',
  scan: 'a scan not on this terminal',
};

const moneyFields = new Set(['total', 'amountPaid', 'totalSpent', 'unitPrice', 'price']);
/** Stored codes shown as words: `non_verified` → "non verified". */
const codeFields = new Set(['status', 'verificationStatus', 'invalidReason', 'inactiveReason', 'channel', 'direction', 'verdict', 'reason']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseAuditJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** `ticketTypeId` → "Ticket type", `replacedTagIds` → "Replaced tags", `uid` → "Tag UID". */
export function fieldLabel(key: string): string {
  if (key === 'uid') return 'Tag UID';
  const base = key.replace(/Ids$/, 's').replace(/Id$/, '');
  const words = base
    .replace(/_/g, ' ')
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Every id an audit value mentions, by kind, so all names are read with one query per kind. */
function collectIds(value: unknown, into: Map<Kind, Set<string>>, key?: string): void {
  const kind = key === undefined ? undefined : idFields[key];
  if (kind && (typeof value === 'string' || Array.isArray(value))) {
    const ids = into.get(kind) ?? new Set<string>();
    for (const id of Array.isArray(value) ? value : [value]) if (typeof id === 'string') ids.add(id);
    into.set(kind, ids);
    return;
  }
  if (Array.isArray(value)) for (const item of value) collectIds(item, into);
  else if (isRecord(value)) for (const [child, inner] of Object.entries(value)) collectIds(inner, into, child);
}

type Names = Map<Kind, Map<string, string>>;

/**
 * How each kind of thing is named, one prepared primary-key probe per id: an entry names a few
 * things, and a list (`where id in (…)`) would be a new statement text, built, compiled and
 * prepared again, for every length of list.
 */
const nameLookups: Readonly<Record<Kind, (store: Store, id: string) => string | undefined>> = {
  customer: lookup(
    preparedQuery((id: string) => sql.selectFrom('customers').select(['first_name', 'last_name', 'email']).where('id', '=', id)),
    (row) => displayName({ firstName: row.first_name, lastName: row.last_name, email: row.email }),
  ),
  ticket: lookup(
    preparedQuery((id: string) => sql.selectFrom('tickets').select('reference').where('id', '=', id)),
    (row) => `ticket ${row.reference}`,
  ),
  tag: lookup(
    preparedQuery((id: string) => sql.selectFrom('tags').select('uid').where('id', '=', id)),
    (row) => `tag ${formatTagUid(row.uid)}`,
  ),
  ticketType: nameColumnOf('ticket_types'),
  event: nameColumnOf('events'),
  gate: nameColumnOf('gates'),
  order: lookup(
    preparedQuery((id: string) => sql.selectFrom('orders').select('number').where('id', '=', id)),
    (row) => `order ${row.number}`,
  ),
  label: nameColumnOf('labels'),
  webUser: lookup(
    preparedQuery((id: string) => sql.selectFrom('web_users').select('email').where('id', '=', id)),
    (row) => row.email,
  ),
  catalogItem: nameColumnOf('catalog_items'),
  scan: lookup(
    preparedQuery((id: string) =>
      sql.selectFrom('scans').leftJoin('gates', 'gates.id', 'scans.gate_id').select(['scans.direction', 'gates.name as gate']).where('scans.id', '=', id),
    ),
    (row) => `${row.direction} scan${row.gate ? ` at ${row.gate}` : ''}`,
  ),
};

/** Things named by their own `name` column. */
function nameColumnOf(table: 'ticket_types' | 'events' | 'gates' | 'labels' | 'catalog_items') {
  return lookup(
    preparedQuery((id: string) => sql.selectFrom(table).select('name').where('id', '=', id)),
    (row) => row.name,
  );
}

function lookup<Row>(query: { first(store: Store, id: string): Row | undefined }, name: (row: Row) => string) {
  return (store: Store, id: string) => {
    const row = query.first(store, id);
    return row === undefined ? undefined : name(row);
  };
}

/** The name of every id mentioned, by kind; ids of things this store does not hold are left out. */
function readNames(store: Store, ids: Map<Kind, Set<string>>): Names {
  const names: Names = new Map();
  for (const [kind, set] of ids) {
    const byId = new Map<string, string>();
    for (const id of set) {
      const name = nameLookups[kind](store, id);
      if (name !== undefined) byId.set(id, name);
    }
    names.set(kind, byId);
  }
  return names;
}

interface ValueContext {
  names: Names;
  currency: string;
}

function nameOf(context: ValueContext, kind: Kind, id: unknown): string {
  return (typeof id === 'string' && context.names.get(kind)?.get(id)) || unknownThing[kind];
}

/** One audit value as staff read it; ids become names, money has its currency, flags say yes/no. */
export function showValue(value: unknown, context: ValueContext, key?: string): string {
  const kind = key === undefined ? undefined : idFields[key];
  if (value === null || value === undefined || value === '') return '—';
  if (kind) return (Array.isArray(value) ? value : [value]).map((id) => nameOf(context, kind, id)).join(', ') || '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return key && moneyFields.has(key) ? moneyInMessage(value, context.currency) : String(value);
  if (typeof value === 'string') {
    if (key === 'uid') return formatTagUid(value);
    if (key === 'gender') return genderLabel(value);
    return key && codeFields.has(key) ? value.replace(/_/g, ' ') : value;
  }
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map((item) => showItem(item, context)).join(', ');
  if (isRecord(value)) return showItem(value, context);
  return String(value);
}

/** An element of a list (a label, an order line) or a nested record (a web user, `createdFor`). */
function showItem(item: unknown, context: ValueContext): string {
  if (!isRecord(item)) return showValue(item, context);
  if (typeof item.name === 'string') return item.name;
  if (typeof item.email === 'string' && item.email !== '') return item.email;
  if ('catalogItemId' in item) return `${showValue(item.quantity, context)} × ${nameOf(context, 'catalogItem', item.catalogItemId)}`;
  const parts = Object.entries(item)
    .filter(([key]) => key !== 'id')
    .map(([key, inner]) => (idFields[key] ? showValue(inner, context, key) : `${fieldLabel(key)}: ${showValue(inner, context, key)}`));
  return parts.join(', ') || '—';
}

export function describeChanges(before: unknown, after: unknown, context: ValueContext): HistoryEntry['changes'] {
  const from = isRecord(before) ? before : {};
  const to = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
  return keys
    .filter((key) => JSON.stringify(from[key]) !== JSON.stringify(to[key]))
    .map((key) => ({ field: fieldLabel(key), before: showValue(from[key], context, key), after: showValue(to[key], context, key) }));
}

function subjectOf(entity: string, entityId: string, customerId: string, context: ValueContext): string {
  switch (entity) {
    case 'customer':
      return entityId === customerId ? 'Customer profile' : `Customer ${nameOf(context, 'customer', entityId)}`;
    case 'ticket':
    case 'tag':
    case 'order': {
      const name = nameOf(context, entity, entityId);
      return name.charAt(0).toUpperCase() + name.slice(1);
    }
    default:
      return fieldLabel(entity);
  }
}

/** Who changed what on this card: audit entries of the customer, its tickets, tags and orders. */
const auditOfCard = preparedQuery((customerId: string) =>
  sql
    .selectFrom('audit_log')
    .select(['at', 'operator', 'device_id', 'operation', 'entity', 'entity_id', 'before', 'after'])
    .where((eb) =>
      eb.or([
        eb.and([eb('entity', '=', 'customer'), eb('entity_id', '=', customerId)]),
        eb.and([
          eb('entity', '=', 'ticket'),
          eb('entity_id', 'in', eb.selectFrom('tickets').select('tickets.id').where('tickets.customer_id', '=', customerId)),
        ]),
        eb.and([
          eb('entity', '=', 'tag'),
          eb('entity_id', 'in', eb.selectFrom('tags').select('tags.id').where('tags.customer_id', '=', customerId)),
        ]),
        eb.and([
          eb('entity', '=', 'order'),
          eb('entity_id', 'in', eb.selectFrom('orders').select('orders.id').where('orders.customer_id', '=', customerId)),
        ]),
      ]),
    )
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(historyLimit),
);

/** Who changed what on this card: audit entries of the customer, its tickets, tags and orders. */
export function cardHistory(store: Store, customerId: string, currency: string, thisDeviceId: string | null): HistoryEntry[] {
  const rows = auditOfCard.all(store, customerId);
  const parsed = rows.map((row) => ({ ...row, before: parseAuditJson(row.before), after: parseAuditJson(row.after) }));
  const ids = new Map<Kind, Set<string>>();
  for (const row of parsed) {
    const kind = (['customer', 'ticket', 'tag', 'order'] as const).find((entity) => entity === row.entity);
    if (kind) collectIds(row.entity_id, ids, `${kind}Id`);
    collectIds(row.before, ids);
    collectIds(row.after, ids);
  }
  const context: ValueContext = { names: readNames(store, ids), currency };
  return parsed.map((row) => ({
    at: row.at,
    who: whoChanged(row.operator, row.device_id, thisDeviceId),
    action: actionLabel(row.operation, row.after),
    subject: subjectOf(row.entity, row.entity_id, customerId, context),
    changes: describeChanges(row.before, row.after, context),
    operator: row.operator,
    operation: row.operation,
    entity: row.entity,
    entityId: row.entity_id,
  }));
}
