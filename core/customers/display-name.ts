/**
 * How a customer is named on screen. Customers may be anonymous (seed 000: profiles created by tag
 * activation carry no name and no e-mail), so every caller needs the same fallbacks.
 */

/** "First Last", or null when the customer has neither name. */
export function fullName(firstName: string | null, lastName: string | null): string | null {
  const name = [firstName, lastName].filter((part) => part !== null && part.trim() !== '').join(' ');
  return name === '' ? null : name;
}

export const anonymousCustomerName = 'Anonymous customer';

/** The card's header: the full name, else the e-mail, else "Anonymous customer". */
export function displayName(customer: { firstName: string | null; lastName: string | null; email: string | null }): string {
  return fullName(customer.firstName, customer.lastName) ?? customer.email ?? anonymousCustomerName;
}
