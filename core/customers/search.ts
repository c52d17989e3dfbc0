import type { Store } from '../../db/store.ts';
import { query, queryTemplate } from '../commands/query-builder.ts';
import type { VerificationStatus } from '../../db/schema.ts';
import { exactElseIgnoringCase, referenceIgnoringCase } from '../tickets/reference.ts';
import { fullName } from './display-name.ts';
import type { CustomerSearchResult } from './customers.contract.ts';
import { describeTextMatch, parseSearchTerms, type SearchTerms } from './search-terms.ts';

/**
 * The customers search box. Exact credential hits come first (a scanned ticket, a presented tag,
 * a whole e-mail address: each one index probe), then full-text matches on names, e-mails and
 * phone digits by bm25 rank, then name. Deleted customers never appear.
 */

/**
 * Full-text candidates fetched per round. bm25 and the sort run over these rows only: ordering
 * every match of a broad prefix ("ber", "gmail") by rank costs time proportional to the matches
 * (130 ms for a token in every row at 500,000 customers), while a capped candidate set keeps a
 * keystroke to an index walk of a few hundred rows. Queries with fewer matches than this, which
 * is where staff are after a few characters, are ranked exactly; broader ones rank the first
 * matches in index order.
 */
export const ftsCandidateLimit = 200;

interface CustomerColumns {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  verification_status: VerificationStatus;
  total_spent: number;
}

const customerColumns = [
  'customers.id',
  'customers.first_name',
  'customers.last_name',
  'customers.email',
  'customers.phone',
  'customers.verification_status',
  'customers.total_spent',
] as const;

interface FtsRow extends CustomerColumns {
  deleted_at: string | null;
}

/*
 * The FTS subquery carries its own LIMIT so SQLite walks at most that many index entries; its rowid
 * is customers.search_rowid (a UNIQUE index), so each candidate costs one index probe. The limit is
 * `+?` like the query builder's (core/commands/query-builder.ts): SQLite marks a statement whose
 * plan read a `LIMIT ?` value to be prepared again, and better-sqlite3's clearing of its bindings
 * after each run made every keystroke parse and plan this query again.
 */
const ftsQuery = `
  SELECT c.id, c.first_name, c.last_name, c.email, c.phone, c.verification_status, c.total_spent, c.deleted_at
  FROM (SELECT rowid, rank FROM customer_search WHERE customer_search MATCH ? LIMIT +?) AS m
  JOIN customers AS c ON c.search_rowid = m.rowid
  ORDER BY m.rank, c.sort_name, c.id`;

export function searchCustomers(store: Store, input: { query: string; limit: number }): CustomerSearchResult[] {
  const terms = parseSearchTerms(input.query);
  const results: CustomerSearchResult[] = [];
  const seen = new Set<string>();
  const add = (row: CustomerColumns, matchedBy: CustomerSearchResult['matchedBy'], matchedValue: string | null) => {
    if (seen.has(row.id) || results.length >= input.limit) return;
    seen.add(row.id);
    results.push({
      customerId: row.id,
      name: fullName(row.first_name, row.last_name),
      email: row.email,
      phone: row.phone,
      verificationStatus: row.verification_status,
      totalSpent: row.total_spent,
      matchedBy,
      matchedValue,
    });
  };

  for (const row of customersByTicketReference(store, terms.ticketReferences)) add(row, 'ticket', row.reference);
  if (terms.tagUid !== null) {
    for (const row of store.all(customersByTagUid.with(terms.tagUid))) add(row, 'tag', row.uid);
  }
  let exactEmailFound = false;
  if (terms.email !== null) {
    for (const row of customersByEmail(store, terms.email)) {
      exactEmailFound = true;
      add(row, 'email', terms.email);
    }
  }
  // A scanned ticket, a presented tag or a whole address that exists is answered exactly: fuzzy
  // matches under it would only be noise. An address that does not exist yet (still being typed,
  // "anna@example.co") falls through to the prefix search so results do not vanish mid-word.
  const exactHit = exactEmailFound || results.length > 0;
  if (terms.match !== null && !exactHit && results.length < input.limit) {
    for (const row of fullTextMatches(store, terms.match, input.limit - results.length, seen)) {
      const match = describeMatch(store, terms, row);
      add(row, match.matchedBy, match.matchedValue);
    }
  }
  return results;
}

const ticketHolders = () =>
  query
    .selectFrom('tickets')
    .innerJoin('customers', 'customers.id', 'tickets.customer_id')
    .select([...customerColumns, 'tickets.reference'])
    // Probes tickets_event_reference (or its folded twin) once per event: there is no index on
    // reference alone.
    .where('tickets.event_id', 'in', query.selectFrom('events').select('events.id'))
    .where('customers.deleted_at', 'is', null)
    .orderBy('customers.sort_name')
    .orderBy('customers.id');

const holdersOfExactReference = queryTemplate((reference: string) => ticketHolders().where('tickets.reference', '=', reference));
const holdersOfReferenceIgnoringCase = queryTemplate((reference: string) => ticketHolders().where(referenceIgnoringCase(reference)));

/**
 * Holders of the reference as scanned, then of its trimmed form; when neither spelling exists,
 * holders of it in another case (each a prepared index probe). Two tickets differing only in case
 * both show, each with its own reference, so staff see the ambiguity instead of a guess.
 */
function customersByTicketReference(store: Store, references: string[]) {
  return exactElseIgnoringCase(
    () => references.flatMap((reference) => store.all(holdersOfExactReference.with(reference))),
    () => references.flatMap((reference) => store.all(holdersOfReferenceIgnoringCase.with(reference))),
  );
}

/** Live customers holding a tag with this (normalised) UID, in any event. */
export const customersByTagUid = queryTemplate((uid: string) =>
  query
    .selectFrom('tags')
    .innerJoin('customers', 'customers.id', 'tags.customer_id')
    .select([...customerColumns, 'tags.uid'])
    .where('tags.uid', '=', uid)
    .where('customers.deleted_at', 'is', null)
    .orderBy('customers.sort_name')
    .orderBy('customers.id'),
);

const customersByMainEmail = queryTemplate((email: string) =>
  query.selectFrom('customers').select(customerColumns).where('customers.email', '=', email).where('customers.deleted_at', 'is', null),
);

const customersByAlternativeEmail = queryTemplate((email: string) =>
  query
    .selectFrom('customer_emails')
    .innerJoin('customers', 'customers.id', 'customer_emails.customer_id')
    .select(customerColumns)
    .where('customer_emails.email', '=', email)
    .where('customer_emails.deleted_at', 'is', null)
    .where('customers.deleted_at', 'is', null)
    .orderBy('customers.sort_name')
    .orderBy('customers.id'),
);

/** Main e-mail first (unique among live customers), then customers holding it as an alternative. */
export function customersByEmail(store: Store, email: string): CustomerColumns[] {
  return [...store.all(customersByMainEmail.with(email)), ...store.all(customersByAlternativeEmail.with(email))];
}

/** The customer's live alternative e-mails, by address (a search match's description, the card). */
export const alternativeEmailsOf = queryTemplate((customerId: string) =>
  query.selectFrom('customer_emails').select('email').where('customer_id', '=', customerId).where('deleted_at', 'is', null).orderBy('email'),
);

/**
 * Live customers matching the FTS expression, best first, skipping those already listed. Deleted
 * customers may still hold search rows, so when they crowd the candidates out a wider round runs.
 */
function fullTextMatches(store: Store, match: string, wanted: number, exclude: ReadonlySet<string>): CustomerColumns[] {
  const statement = store.statement(ftsQuery);
  for (let candidates = ftsCandidateLimit; ; candidates *= 4) {
    const rows = statement.all(match, candidates) as FtsRow[];
    const live = rows.filter((row) => row.deleted_at === null && !exclude.has(row.id));
    if (live.length >= wanted || rows.length < candidates) return live.slice(0, wanted);
  }
}

function describeMatch(store: Store, terms: SearchTerms, row: CustomerColumns) {
  const customer = { name: fullName(row.first_name, row.last_name), email: row.email, phone: row.phone };
  const match = describeTextMatch(terms, customer);
  if (match.complete) return match;
  // Only now is it worth reading the alternative e-mails (one primary-key range).
  const alternatives = store.all(alternativeEmailsOf.with(row.id)).map((entry) => entry.email);
  return describeTextMatch(terms, customer, alternatives);
}
