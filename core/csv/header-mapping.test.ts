import { describe, expect, it } from 'vitest';
import { detectDelimiter } from './delimiter.ts';
import { canIdentifyCustomers, cellsByField, mapHeader } from './header-mapping.ts';
import { parseImportRow } from './import-row.ts';

describe('detectDelimiter', () => {
  it('picks the most frequent of comma, semicolon and tab on the header line', () => {
    expect(detectDelimiter('email,first name,last name\nx;y;z;w;v')).toBe(',');
    expect(detectDelimiter('email;first name;last name, or surname\r\n')).toBe(';');
    expect(detectDelimiter('email\tfirst name\tlast name')).toBe('\t');
  });

  it('ignores delimiters inside quotes, and falls back to comma', () => {
    expect(detectDelimiter('"a;b;c;d",email,"x;y"')).toBe(',');
    expect(detectDelimiter('"multi\nline;;;";email;ticket')).toBe(';');
    expect(detectDelimiter('email')).toBe(',');
    expect(detectDelimiter('')).toBe(',');
  });
});

describe('mapHeader', () => {
  it('matches names loosely and by synonym', () => {
    const header = ['E-mail', 'First Name', 'Surname', 'Mobile', 'Zip', 'Street', 'CITY', 'country', 'Gender', 'Barcode', 'Type'];
    expect(mapHeader(header)).toEqual({
      columns: ['email', 'firstName', 'lastName', 'phone', 'postcode', 'address', 'city', 'country', 'gender', 'ticketReference', 'ticketType'],
      ignoredColumns: [],
    });
    const other = mapHeader(['Email Address', 'first_name', 'FirstName', 'Given name', 'Family name', 'Telephone', 'Postal code', 'Ticket number', 'ticket-type']);
    expect(other.columns).toEqual(['email', 'firstName', null, null, 'lastName', 'phone', 'postcode', 'ticketReference', 'ticketType']);
    expect(other.ignoredColumns).toEqual(['FirstName', 'Given name']);
    expect(mapHeader(['mail', 'Voornaam', 'Ticket Reference', 'Reference']).columns).toEqual(['email', 'firstName', 'ticketReference', null]);
  });

  it('reports unknown columns and says whether customers can be identified', () => {
    const mapping = mapHeader(['Name', 'Age', '', 'Ticket']);
    expect(mapping.ignoredColumns).toEqual(['Name', 'Age']);
    expect(canIdentifyCustomers(mapping)).toBe(true);
    expect(canIdentifyCustomers(mapHeader(['Name', 'Phone']))).toBe(false);
  });

  it('turns empty and blank cells into null', () => {
    const mapping = mapHeader(['Email', 'Unused', 'First name', 'Ticket']);
    expect(cellsByField(mapping, ['a@example.com', 'x', '  ', 'T-1'])).toMatchObject({
      email: 'a@example.com',
      firstName: null,
      ticketReference: 'T-1',
      lastName: null,
    });
  });
});

describe('parseImportRow', () => {
  const mapping = mapHeader(['Email', 'First name', 'Last name', 'Phone', 'Gender', 'Ticket', 'Ticket type']);
  const row = (cells: string[]) => parseImportRow(7, cellsByField(mapping, cells));

  it('normalises a valid row', () => {
    expect(row([' Anna@Example.COM ', ' Anna ', 'de Vries', '', 'f', ' T-1 ', 'Weekend'])).toEqual({
      ok: true,
      row: {
        row: 7,
        email: 'anna@example.com',
        firstName: 'Anna',
        lastName: 'de Vries',
        phone: null,
        postcode: null,
        address: null,
        city: null,
        country: null,
        // The same gender rule as the card's form: a spreadsheet's `f` is the choice Female.
        gender: 'female',
        ticketReference: 'T-1',
        ticketType: 'Weekend',
      },
    });
  });

  it('names every bad field in the reason', () => {
    expect(row(['not-an-email', 'x'.repeat(101), '', '', 'g'.repeat(41), 'T-1', ''])).toEqual({
      ok: false,
      reason: 'email: Invalid email address; firstName: First name is longer than 100 characters; gender: Gender must be one of: Female, Male, Non-binary, Other, Prefers not to say, or not specified',
    });
    expect(row(['a@example.com', '', '', '1'.repeat(41), '', 'T\u0007-1', ''])).toEqual({
      ok: false,
      reason: 'phone: Phone is longer than 40 characters; ticketReference: Ticket reference contains control characters',
    });
  });

  it('refuses a row with neither email nor ticket reference', () => {
    expect(row(['', 'Anna', '', '', '', '', ''])).toEqual({
      ok: false,
      reason: 'the row has neither an email nor a ticket reference',
    });
  });
});
