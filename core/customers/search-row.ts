/**
 * What a customer is found and sorted by, as pure functions of their names, e-mails and phone:
 * the rows of the terminal's FTS index (search-index.ts) and the customers.sort_name key, which
 * command bodies set themselves on every store (DESIGN.md section 5).
 */

export interface SearchableCustomer {
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
}

export interface CustomerSearchRow {
  name: string;
  emails: string;
  phone: string;
}

/** Only the digits of a phone number are indexed, so `+31 6-1234` and `3161234` match alike. */
export function phoneDigits(phone: string | null): string {
  return (phone ?? '').replace(/\D/g, '');
}

export function customerSearchRow(customer: SearchableCustomer, alternativeEmails: readonly string[] = []): CustomerSearchRow {
  return {
    name: [customer.first_name, customer.last_name].filter(Boolean).join(' '),
    emails: [customer.email, ...alternativeEmails].filter(Boolean).join(' '),
    phone: phoneDigits(customer.phone),
  };
}

/** Sorts after any name or address (BINARY collation): anonymous customers end the list. */
export const anonymousSortName = '\uffff';

/**
 * Sort key for the customers list: last name, then first name, case- and accent-folded; a
 * customer known only by e-mail sorts by the address, an anonymous one after everybody else.
 */
export function sortName(customer: Pick<SearchableCustomer, 'first_name' | 'last_name' | 'email'>): string {
  const names = [customer.last_name, customer.first_name].filter(Boolean).join(' ') || customer.email || '';
  if (names === '') return anonymousSortName;
  return names.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
