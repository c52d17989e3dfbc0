import type { z } from 'zod';
import { defineCommand, type CoreContext } from '../commands/command.ts';
import { query, queryTemplate } from '../commands/query-builder.ts';
import type { CommandTx } from '../commands/tx.ts';
import { conflict, notFound } from '../errors.ts';
import { searchWebUsersInput, webUserSummary } from '../web-users/web-users.contract.ts';
import { connectWebUserInput, disconnectWebUserInput } from './customers.contract.ts';
import { displayName } from './display-name.ts';
import { describeCustomer, loadCustomer, type CustomerRow } from './existing-customer.ts';
import { decideStampedEdit } from './last-writer-wins.ts';
import { reportOverwrittenFields } from './overwritten-fields.ts';
import { ftsPrefixPhrase, searchTokens } from './search-terms.ts';
import { rolesFrom } from '../operators/roles.ts';

/**
 * Seed 004 "Web user": the customer's online login, searched by name, e-mail or phone and then
 * connected to (or disconnected from) the customer card. A web user belongs to one customer, so
 * each search result says who holds it already.
 */

type WebUserSummary = z.output<typeof webUserSummary>;

const searchLimit = 20;

type WebUserRow = Omit<WebUserSummary, 'connectedTo'>;

const webUserColumns = 'w.id, w.email, w.first_name AS firstName, w.last_name AS lastName, w.phone';

/**
 * Word prefixes in names and e-mail through web_user_search (migration 0007): case and accents are
 * ignored as in the customers search box, because both use the same tokenizer ("zoe" finds "Zoë").
 */
const webUsersByWords = `
  SELECT ${webUserColumns}
  FROM web_user_search JOIN web_users AS w ON w.rowid = web_user_search.rowid
  WHERE web_user_search MATCH ?
  ORDER BY w.last_name, w.first_name, w.email
  LIMIT ${searchLimit}`;

/**
 * Phones match on their digits, whatever punctuation either side typed. web_users holds only the
 * organiser's online logins (a few per hundred customers), so reading its phones is cheap.
 */
const webUsersByPhone = `
  SELECT ${webUserColumns}
  FROM web_users AS w
  WHERE replace(replace(replace(replace(replace(replace(w.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', '') LIKE ? || '%'
  ORDER BY w.last_name, w.first_name, w.email
  LIMIT ${searchLimit}`;

/** The (not deleted) customer a web user is connected to: for the search results, and the check before connecting. */
const connectedCustomer = queryTemplate((webUserId: string) =>
  query
    .selectFrom('customers')
    .select(['id', 'first_name', 'last_name', 'email'])
    .where('web_user_id', '=', webUserId)
    .where('deleted_at', 'is', null)
    .limit(1),
);

/**
 * The FTS expression: each word a prefix phrase. Several words ("anna b") are a name, so they must
 * all be in the first and last name; one word may also be the start of a word of the e-mail.
 */
function webUserMatch(query: string): string | null {
  const words = query.split(/\s+/).filter((word) => searchTokens(word).length > 0);
  if (words.length === 0) return null;
  const phrases = words.map(ftsPrefixPhrase).join(' ');
  return words.length === 1 ? phrases : `{first_name last_name} : (${phrases})`;
}

export function searchWebUsers(
  context: CoreContext,
  input: z.output<typeof searchWebUsersInput>,
): { webUsers: WebUserSummary[] } {
  const { store } = context;
  const digits = input.query.replace(/\D/g, '');
  // Only a query that looks like a phone number searches phones: "anna 2" must not match every
  // phone starting with 2.
  const phoneLike = digits.length >= 3 && /^[\d\s+\-().]+$/.test(input.query);
  const match = webUserMatch(input.query);
  const rows = [
    ...(match === null ? [] : (store.statement(webUsersByWords).all(match) as WebUserRow[])),
    ...(phoneLike ? (store.statement(webUsersByPhone).all(digits) as WebUserRow[]) : []),
  ];
  const unique = [...new Map(rows.map((row) => [row.id, row])).values()]
    .sort((a, b) => compareNullable(a.lastName, b.lastName) || compareNullable(a.firstName, b.firstName) || compareNullable(a.email, b.email))
    .slice(0, searchLimit);
  const webUsers = unique.map((row) => {
    const customer = store.first(connectedCustomer.with(row.id));
    const connectedTo = customer
      ? { customerId: customer.id, name: displayName({ firstName: customer.first_name, lastName: customer.last_name, email: customer.email }) }
      : null;
    return { ...row, connectedTo };
  });
  return { webUsers };
}

/** SQLite's ORDER BY for text: NULL first, then by code point. */
function compareNullable(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

const webUserById = queryTemplate((webUserId: string) => query.selectFrom('web_users').select(['id', 'email']).where('id', '=', webUserId));

function* webUserRef(tx: CommandTx, webUserId: string | null) {
  if (webUserId === null) return null;
  return (yield* tx.first(webUserById.with(webUserId))) ?? { id: webUserId, email: '' };
}

/**
 * Last writer wins for the link as for the profile's fields (customers.update): when another
 * terminal connected or disconnected a web user later (by HLC), that stays; this change is audited
 * under `notApplied` and reported. True when it lost.
 */
function* webUserLinkOverwritten(tx: CommandTx, customer: CustomerRow, webUser: { id: string; email: string } | null) {
  if (decideStampedEdit(customer.field_hlcs, tx.envelope.hlc, ['web_user_id']).overwritten.length === 0) return false;
  yield* tx.audit({ entity: 'customer', entityId: customer.id, before: {}, after: { notApplied: { webUser } } });
  reportOverwrittenFields(tx, customer, ['webUser']);
  return true;
}

export const connectWebUser = defineCommand({
  name: 'customers.connectWebUser',
  version: 1,
  roles: rolesFrom('box_office'),
  input: connectWebUserInput,
  *body(tx, input) {
    const customer = yield* loadCustomer(tx, input.customerId);
    const webUser = yield* tx.first(webUserById.with(input.webUserId));
    if (!webUser) throw notFound('This web user no longer exists on this terminal: search again', 'webUserId');
    if (customer.web_user_id === webUser.id) return { customerId: customer.id };
    const holder = yield* tx.first(connectedCustomer.with(webUser.id));
    if (holder) {
      throw conflict(`Web user ${webUser.email} is already connected to ${describeCustomer(holder)}`, 'webUserId');
    }
    if (yield* webUserLinkOverwritten(tx, customer, webUser)) return { customerId: customer.id };
    const { fieldHlcs } = decideStampedEdit(customer.field_hlcs, tx.envelope.hlc, ['web_user_id']);
    yield* tx.run(query.updateTable('customers').set({ web_user_id: webUser.id, field_hlcs: fieldHlcs, updated_at: tx.now }).where('id', '=', customer.id));
    yield* tx.audit({
      entity: 'customer',
      entityId: customer.id,
      before: { webUser: yield* webUserRef(tx, customer.web_user_id) },
      after: { webUser },
    });
    return { customerId: customer.id };
  },
});

export const disconnectWebUser = defineCommand({
  name: 'customers.disconnectWebUser',
  version: 1,
  roles: rolesFrom('box_office'),
  input: disconnectWebUserInput,
  *body(tx, input) {
    const customer = yield* loadCustomer(tx, input.customerId);
    if (customer.web_user_id === null) return { customerId: customer.id };
    if (yield* webUserLinkOverwritten(tx, customer, null)) return { customerId: customer.id };
    const { fieldHlcs } = decideStampedEdit(customer.field_hlcs, tx.envelope.hlc, ['web_user_id']);
    yield* tx.run(query.updateTable('customers').set({ web_user_id: null, field_hlcs: fieldHlcs, updated_at: tx.now }).where('id', '=', customer.id));
    yield* tx.audit({
      entity: 'customer',
      entityId: customer.id,
      before: { webUser: yield* webUserRef(tx, customer.web_user_id) },
      after: { webUser: null },
    });
    return { customerId: customer.id };
  },
});
