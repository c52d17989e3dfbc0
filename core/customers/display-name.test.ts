import { describe, expect, it } from 'vitest';
import { anonymousCustomerName, displayName, fullName } from './display-name.ts';

describe('customer names', () => {
  it('join first and last name, skipping blanks', () => {
    expect(fullName('Anna', 'Berg')).toBe('Anna Berg');
    expect(fullName(null, 'Berg')).toBe('Berg');
    expect(fullName('Anna', ' ')).toBe('Anna');
    expect(fullName(null, null)).toBeNull();
  });

  it('fall back to the e-mail, then to "Anonymous customer"', () => {
    expect(displayName({ firstName: 'Anna', lastName: null, email: 'a@x.nl' })).toBe('Anna');
    expect(displayName({ firstName: null, lastName: null, email: 'a@x.nl' })).toBe('a@x.nl');
    expect(displayName({ firstName: null, lastName: null, email: null })).toBe(anonymousCustomerName);
  });
});
