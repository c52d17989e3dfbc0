import type { z } from 'zod';
import { sql, type Store } from '../../db/store.ts';
import { defineCommand, type CoreContext } from '../commands/command.ts';
import { conflict, notFound } from '../errors.ts';
import {
  connectWebUserInput,
  disconnectWebUserInput,
  searchWebUsersInput,
  webUserSummary,
} from './commands.contract.ts';
import { describeCustomer, requireCustomer } from './existing-customer.ts';

/**
 * Seed 004 "Web user": the customer's online login, searched by name, e-mail or phone and then
 * connected to (or disconnected from) the customer card. A web user belongs to one customer.
 */

type WebUserSummary = z.output<typeof webUserSummary>;

const searchLimit = 20;

/** LIKE pattern for "starts with text", with LIKE's own wildcards taken literally. */
function startsWith(text: string): string {
  return `${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * Prefix search over web_users. The table holds only the organiser's online logins (thousands, not
 * the 500k customers), so a few prefix LIKEs over it are cheap. LIKE folds ASCII case; phones
 * match on their digits, whatever punctuation either side typed.
 */
const searchWebUsersSql = `
  SELECT id, email, first_name AS firstName, last_name AS lastName, phone
  FROM web_users
  WHERE email LIKE @prefix ESCAPE '\\'
     OR first_name LIKE @prefix ESCAPE '\\'
     OR last_name LIKE @prefix ESCAPE '\\'
     OR (first_name || ' ' || last_name) LIKE @prefix ESCAPE '\\'
     OR (@digits <> '' AND replace(replace(replace(replace(replace(replace(
          phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', '') LIKE @digits || '%')
  ORDER BY last_name, first_name, email
  LIMIT ${searchLimit}`;

export function searchWebUsers(
  context: CoreContext,
  input: z.output<typeof searchWebUsersInput>,
): { webUsers: WebUserSummary[] } {
  const digits = input.query.replace(/\D/g, '');
  // Only a query that looks like a phone number searches phones: "anna 2" must not match every
  // phone starting with 2.
  const phoneDigits = digits.length >= 3 && /^[\d\s+\-().]+$/.test(input.query) ? digits : '';
  const webUsers = context.store
    .statement(searchWebUsersSql)
    .all({ prefix: startsWith(input.query), digits: phoneDigits }) as WebUserSummary[];
  return { webUsers };
}

function webUserRef(store: Store, webUserId: string | null): { id: string; email: string } | null {
  if (webUserId === null) return null;
  return store.first(sql.selectFrom('web_users').select(['id', 'email']).where('id', '=', webUserId)) ?? {
    id: webUserId,
    email: '',
  };
}

export const connectWebUser = defineCommand({
  name: 'customers.connectWebUser',
  version: 1,
  input: connectWebUserInput,
  apply(scope, input) {
    const customer = requireCustomer(scope.store, input.customerId);
    const webUser = scope.store.first(
      sql.selectFrom('web_users').select(['id', 'email']).where('id', '=', input.webUserId),
    );
    if (!webUser) throw notFound(`No web user with id ${input.webUserId}`, 'webUserId');
    if (customer.web_user_id === webUser.id) return { customerId: customer.id };
    const holder = scope.store.first(
      sql
        .selectFrom('customers')
        .select(['id', 'first_name', 'last_name', 'email'])
        .where('web_user_id', '=', webUser.id)
        .where('deleted_at', 'is', null),
    );
    if (holder) {
      throw conflict(`Web user ${webUser.email} is already connected to ${describeCustomer(holder)}`, 'webUserId');
    }
    scope.store.run(
      sql.updateTable('customers').set({ web_user_id: webUser.id, updated_at: scope.now }).where('id', '=', customer.id),
    );
    scope.audit({
      entity: 'customer',
      entityId: customer.id,
      before: { webUser: webUserRef(scope.store, customer.web_user_id) },
      after: { webUser },
    });
    return { customerId: customer.id };
  },
});

export const disconnectWebUser = defineCommand({
  name: 'customers.disconnectWebUser',
  version: 1,
  input: disconnectWebUserInput,
  apply(scope, input) {
    const customer = requireCustomer(scope.store, input.customerId);
    if (customer.web_user_id === null) return { customerId: customer.id };
    scope.store.run(
      sql.updateTable('customers').set({ web_user_id: null, updated_at: scope.now }).where('id', '=', customer.id),
    );
    scope.audit({
      entity: 'customer',
      entityId: customer.id,
      before: { webUser: webUserRef(scope.store, customer.web_user_id) },
      after: { webUser: null },
    });
    return { customerId: customer.id };
  },
});
