import { invalid } from '../errors.ts';

/**
 * Which column of an imported file holds which customer field. Spreadsheets exported by other
 * systems name columns freely ("E-mail", "Email Address", "first_name", "Barcode"), so names are
 * compared loosely (case, spaces, `_`, `-`, `.` ignored) against a list of synonyms.
 */
export const importFields = [
  'email',
  'firstName',
  'lastName',
  'phone',
  'postcode',
  'address',
  'city',
  'country',
  'gender',
  'ticketReference',
  'ticketType',
] as const;
export type ImportField = (typeof importFields)[number];

/** How staff name each field (error messages, the preview's column choices). */
export const importFieldLabels: Record<ImportField, string> = {
  email: 'Email',
  firstName: 'First name',
  lastName: 'Last name',
  phone: 'Phone',
  postcode: 'Postcode',
  address: 'Address',
  city: 'City',
  country: 'Country',
  gender: 'Gender',
  ticketReference: 'Ticket reference',
  ticketType: 'Ticket type',
};

const synonyms: Record<ImportField, readonly string[]> = {
  email: ['email', 'emailaddress', 'mail', 'mailaddress'],
  firstName: ['firstname', 'givenname', 'forename', 'first', 'voornaam'],
  lastName: ['lastname', 'surname', 'familyname', 'last', 'achternaam'],
  phone: ['phone', 'phonenumber', 'telephone', 'telephonenumber', 'tel', 'mobile', 'mobilephone', 'mobilenumber'],
  postcode: ['postcode', 'zip', 'zipcode', 'postalcode', 'postcodezip'],
  address: ['address', 'street', 'streetaddress', 'address1', 'addressline1'],
  city: ['city', 'town'],
  country: ['country'],
  gender: ['gender', 'sex'],
  ticketReference: ['ticketreference', 'ticket', 'ticketnumber', 'ticketno', 'ticketref', 'reference', 'barcode'],
  ticketType: ['tickettype', 'type'],
};

const fieldBySynonym = new Map<string, ImportField>(
  importFields.flatMap((field) => synonyms[field].map((name) => [name, field] as const)),
);

export function looseHeaderName(name: string): string {
  return name.toLowerCase().replace(/[\s_.-]+/g, '');
}

export interface HeaderMapping {
  /** For each column of the file, the field it holds, or null when ignored. */
  columns: (ImportField | null)[];
  /** Header names as written in the file that matched no field (or repeated a matched one). */
  ignoredColumns: string[];
}

export function mapHeader(header: readonly string[]): HeaderMapping {
  const seen = new Set<ImportField>();
  const ignoredColumns: string[] = [];
  const columns = header.map((name) => {
    const field = fieldBySynonym.get(looseHeaderName(name));
    // A second column for the same field (e.g. "Email" and "E-mail") is ignored rather than
    // silently overwriting the first.
    if (!field || seen.has(field)) {
      if (name.trim() !== '') ignoredColumns.push(name.trim());
      return null;
    }
    seen.add(field);
    return field;
  });
  return { columns, ignoredColumns };
}

/**
 * The mapping staff chose in the preview, for this file's header. Its length must match the
 * header's (a mapping made for another file would put values in the wrong fields); fields chosen
 * twice are refused by the input schema before this runs.
 */
export function chosenMapping(header: readonly string[], columns: readonly (ImportField | null)[]): HeaderMapping {
  if (columns.length !== header.length) {
    throw invalid(
      `The column choices do not fit this file: it has ${header.length} ${header.length === 1 ? 'column' : 'columns'} but ${columns.length} ${columns.length === 1 ? 'choice was' : 'choices were'} given`,
      'columns',
    );
  }
  const ignoredColumns = header.filter((name, index) => columns[index] === null && name.trim() !== '').map((name) => name.trim());
  return { columns: [...columns], ignoredColumns };
}

/** A file can only be matched to customers by email or by ticket reference. */
export function canIdentifyCustomers(mapping: HeaderMapping): boolean {
  return mapping.columns.includes('email') || mapping.columns.includes('ticketReference');
}

export type RawImportRow = Record<ImportField, string | null>;

/** The cells of one record, by field; empty and whitespace-only cells become null. */
export function cellsByField(mapping: HeaderMapping, cells: readonly string[]): RawImportRow {
  const row: RawImportRow = {
    email: null,
    firstName: null,
    lastName: null,
    phone: null,
    postcode: null,
    address: null,
    city: null,
    country: null,
    gender: null,
    ticketReference: null,
    ticketType: null,
  };
  mapping.columns.forEach((field, index) => {
    if (field === null) return;
    const cell = cells[index];
    row[field] = cell === undefined || cell.trim() === '' ? null : cell;
  });
  return row;
}
