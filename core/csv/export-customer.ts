import { sql, type Store } from '../../db/store.ts';
import { notFound } from '../errors.ts';
import type { CsvFile } from '../export/export.contract.ts';
import { userText } from './spreadsheet-safety.ts';
import { csvFileName, spreadsheetCsv, spreadsheetTime, yesNo } from './spreadsheet-file.ts';

/**
 * Layout of the customer download (chosen so each part reads as a plain table in a spreadsheet):
 * three sections, each a title row (`Customer`, `Tickets`, `Tags`) followed by its own header row
 * and data rows, separated by one blank row. The profile is a two-column Field/Value table because
 * it is one record with many fields; tickets and tags are one row each. Times are UTC.
 */
export function exportCustomerCsv(store: Store, customerId: string): CsvFile {
  const customer = store.first(
    sql
      .selectFrom('customers')
      .leftJoin('web_users', 'web_users.id', 'customers.web_user_id')
      .select([
        'customers.id',
        'customers.email',
        'customers.first_name',
        'customers.last_name',
        'customers.phone',
        'customers.postcode',
        'customers.address',
        'customers.city',
        'customers.country',
        'customers.gender',
        'customers.verification_status',
        'customers.created_at',
        'customers.description',
        'web_users.email as web_user_email',
      ])
      .where('customers.id', '=', customerId)
      .where('customers.deleted_at', 'is', null),
  );
  if (!customer) throw notFound('This customer is not on this terminal', 'customerId');

  const labels = store
    .all(
      sql
        .selectFrom('customer_labels')
        .innerJoin('labels', 'labels.id', 'customer_labels.label_id')
        .select('labels.name')
        .where('customer_labels.customer_id', '=', customerId)
        .where('customer_labels.deleted_at', 'is', null)
        .orderBy('labels.name'),
    )
    .map((row) => row.name);
  const alternativeEmails = store
    .all(sql.selectFrom('customer_emails').select('email').where('customer_id', '=', customerId).where('deleted_at', 'is', null).orderBy('email'))
    .map((row) => row.email);
  const tickets = store.all(
    sql
      .selectFrom('tickets')
      .innerJoin('ticket_types', 'ticket_types.id', 'tickets.ticket_type_id')
      .innerJoin('events', 'events.id', 'tickets.event_id')
      .leftJoin('gates', 'gates.id', 'tickets.last_scan_gate_id')
      .select([
        'events.name as event_name',
        'tickets.reference',
        'ticket_types.name as ticket_type',
        'tickets.status',
        'tickets.invalid_reason',
        'tickets.redeemed',
        'tickets.banned',
        'tickets.last_scan_at',
        'gates.name as last_scan_gate',
      ])
      .where('tickets.customer_id', '=', customerId)
      .orderBy('events.name')
      .orderBy('tickets.reference'),
  );
  const tags = store.all(
    sql
      .selectFrom('tags')
      .innerJoin('ticket_types', 'ticket_types.id', 'tags.ticket_type_id')
      .innerJoin('events', 'events.id', 'tags.event_id')
      .select(['events.name as event_name', 'tags.uid', 'ticket_types.name as ticket_type', 'tags.active', 'tags.banned'])
      .where('tags.customer_id', '=', customerId)
      .orderBy('events.name')
      .orderBy('tags.created_at')
      .orderBy('tags.id'),
  );

  const rows: string[][] = [
    ['Customer'],
    ['Field', 'Value'],
    ['Customer id', customer.id],
    ['Email', userText(customer.email)],
    ['First name', userText(customer.first_name)],
    ['Last name', userText(customer.last_name)],
    ['Phone', userText(customer.phone)],
    ['Postcode', userText(customer.postcode)],
    ['Address', userText(customer.address)],
    ['City', userText(customer.city)],
    ['Country', userText(customer.country)],
    ['Gender', userText(customer.gender)],
    ['Verification status', customer.verification_status === 'verified' ? 'Verified' : 'Non-verified'],
    ['Created (UTC)', spreadsheetTime(customer.created_at)],
    ['Description', userText(customer.description)],
    ['Labels', userText(labels.join('; '))],
    ['Alternative emails', userText(alternativeEmails.join('; '))],
    ['Web user email', userText(customer.web_user_email)],
    [],
    ['Tickets'],
    ['Event', 'Reference', 'Ticket type', 'Status', 'Invalid reason', 'Redeemed', 'Banned', 'Last scan (UTC)', 'Last scan gate'],
    ...tickets.map((ticket) => [
      userText(ticket.event_name),
      userText(ticket.reference),
      userText(ticket.ticket_type),
      ticket.status === 'valid' ? 'Valid' : 'Invalid',
      ticket.invalid_reason ?? '',
      yesNo(ticket.redeemed),
      yesNo(ticket.banned),
      spreadsheetTime(ticket.last_scan_at),
      userText(ticket.last_scan_gate),
    ]),
    [],
    ['Tags'],
    ['Event', 'UID', 'Ticket type', 'Active', 'Banned'],
    ...tags.map((tag) => [userText(tag.event_name), tag.uid, userText(tag.ticket_type), yesNo(tag.active), yesNo(tag.banned)]),
  ];

  const name = [customer.first_name, customer.last_name].filter(Boolean).join(' ');
  return { fileName: csvFileName('customer', name, customer.id), csv: spreadsheetCsv(rows) };
}
