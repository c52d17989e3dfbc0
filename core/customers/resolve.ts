import { sql, type Store } from '../../db/store.ts';
import { conflict, notFound } from '../errors.ts';
import { normalizeTagUid } from '../fields.ts';
import { displayName } from './display-name.ts';
import type { CustomerResolution } from './customers.contract.ts';
import { exactElseIgnoringCase, referenceIgnoringCase } from '../tickets/reference.ts';
import { customersByEmail, customersByTagUid } from './search.ts';

/**
 * Turns what staff type after `card` or `export customer` into one customer: a customer id, an
 * e-mail (main or alternative), a ticket reference or a tag UID in any spelling. Tried in that
 * order; each is one index lookup (the e-mail and tag lookups are the search box's own). A key
 * that fits several customers is refused, never guessed.
 */

interface Owner {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
}

const ownerColumns = ['customers.id', 'customers.first_name', 'customers.last_name', 'customers.email'] as const;

export function resolveCustomer(store: Store, key: string): CustomerResolution {
  const trimmed = key.trim();

  const byId = store.first(sql.selectFrom('customers').select(['id', 'deleted_at', 'merged_into']).where('id', '=', trimmed));
  if (byId && byId.deleted_at === null) return { customerId: byId.id, matchedBy: 'id' };
  // A customer matched to an earlier one by e-mail (email-match.ts) is that customer.
  if (byId?.merged_into) {
    const merged = store.first(sql.selectFrom('customers').select('id').where('id', '=', byId.merged_into).where('deleted_at', 'is', null));
    if (merged) return { customerId: merged.id, matchedBy: 'id' };
  }

  if (trimmed.includes('@')) {
    const owners = distinctOwners(customersByEmail(store, trimmed.toLowerCase()));
    if (owners.length > 0) return single(owners, `E-mail ${trimmed.toLowerCase()}`, 'email');
  }

  const references = [...new Set([key, trimmed])];
  const ticketsWithOwners = () =>
    sql
      .selectFrom('tickets')
      .leftJoin('customers', (join) =>
        join.onRef('customers.id', '=', 'tickets.customer_id').on('customers.deleted_at', 'is', null),
      )
      .select([...ownerColumns, 'tickets.reference'])
      // Probes tickets_event_reference (or its folded twin) once per event: there is no index on
      // reference alone.
      .where('tickets.event_id', 'in', sql.selectFrom('events').select('events.id'))
      .orderBy('customers.sort_name')
      .orderBy('customers.id');
  // As typed first; else in another case (two such tickets with two holders are refused below).
  const tickets = exactElseIgnoringCase(
    () => store.all(ticketsWithOwners().where('tickets.reference', 'in', references)),
    () => store.all(ticketsWithOwners().where((eb) => eb.or(references.map(referenceIgnoringCase)))),
  );
  const ticketOwners = distinctOwners(
    tickets.flatMap(({ id, first_name, last_name, email }) => (id === null ? [] : [{ id, first_name, last_name, email }])),
  );
  if (ticketOwners.length > 0) return single(ticketOwners, `Ticket ${trimmed}`, 'ticket');

  const uid = normalizeTagUid(trimmed);
  if (uid !== undefined) {
    const tagOwners = distinctOwners(store.all(customersByTagUid.with(uid)));
    if (tagOwners.length > 0) return single(tagOwners, `Tag UID ${uid}`, 'tag');
  }

  if (tickets.length > 0) throw notFound(`Ticket ${trimmed} is not assigned to a customer`, 'key');
  if (byId) throw notFound(`Customer ${trimmed} was deleted`, 'key');
  throw notFound(`No customer id, e-mail, ticket reference or tag UID matches "${trimmed}"`, 'key');
}

function distinctOwners(owners: Owner[]): Owner[] {
  const byId = new Map<string, Owner>();
  for (const owner of owners) if (!byId.has(owner.id)) byId.set(owner.id, owner);
  return [...byId.values()];
}

function single(owners: Owner[], what: string, matchedBy: CustomerResolution['matchedBy']): CustomerResolution {
  if (owners.length === 1) return { customerId: owners[0]!.id, matchedBy };
  // Named as staff know them (an e-mail tells two namesakes apart); the id goes in the --json output only.
  const names = owners
    .map((owner) => {
      const name = displayName({ firstName: owner.first_name, lastName: owner.last_name, email: owner.email });
      return owner.email !== null && owner.email !== name ? `${name} <${owner.email}>` : name;
    })
    .join(', ');
  throw conflict(`${what} belongs to ${owners.length} customers: ${names}. Open the card by e-mail, or find the customer id with box-office search.`, 'key');
}
