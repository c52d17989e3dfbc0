import { describe, expect, it } from 'vitest';
import { createTestCore, insertEvent, insertTicketType } from '../../test/fixtures/store.ts';
import { describeRejection, rejectedRowsCsv, rejectedRowsFileName } from './import-rejected.ts';

describe('rejected rows file', () => {
  it('holds the original header and cells, the row number and the reason, ready to fix and import again', async () => {
    const { store, core } = createTestCore();
    insertTicketType(store, insertEvent(store), 'Weekend');
    const text = 'Email;First name;Phone;Ticket\nok@example.com;Ok;;T-1\nnot-an-email;"Bad, Row";+31 6 12345678;T-2\nextra@example.com;X;;T-3;surplus\n';
    const first = await core.invoke('import.customers', { source: { text } });
    if (!first.ok) throw new Error(first.error.message);
    const csv = rejectedRowsCsv(first.value);
    expect(csv).toBe(
      '\uFEFFEmail,First name,Phone,Ticket,,Row in the original file,Why it was not imported\r\n' +
        'not-an-email,"Bad, Row",+31 6 12345678,T-2,,3,Email: Invalid email address\r\n' +
        'extra@example.com,X,,T-3,surplus,4,the row has 5 fields but the header has 4\r\n',
    );
    // The file imports again as it is: the reason and row columns are ignored, each row is judged anew.
    const again = await core.invoke('import.customers', { source: { text: csv }, dryRun: true });
    expect(again).toMatchObject({ ok: true, value: { rowsRead: 2, ignoredColumns: ['Row in the original file', 'Why it was not imported'] } });
    if (again.ok) expect(again.value.rejected.map((rejection) => rejection.row)).toEqual([2]);
  });

  it('names the field as staff read it and the file after the original', () => {
    expect(describeRejection('ticketReference: ticket T-1 belongs to another customer')).toBe('Ticket reference: ticket T-1 belongs to another customer');
    expect(describeRejection('the row has 6 fields but the header has 5')).toBe('the row has 6 fields but the header has 5');
    // Every bad field of a row is named, not only the first.
    expect(describeRejection('email: Invalid email address; phone: Phone must have at least 6 digits')).toBe(
      'Email: Invalid email address; Phone: Phone must have at least 6 digits',
    );
    expect(rejectedRowsFileName('Guests May.csv')).toBe('Guests May-rejected-rows.csv');
  });
});
