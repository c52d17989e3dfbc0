import { describe, expect, it } from 'vitest';
import { derivedId } from '../commands/envelope.ts';
import { firstPlanOf, importedRowIds, matchedRows } from './import-conflicts.ts';
import type { BatchPlan } from './import-plan.ts';

const envelopeId = '01970000-0000-7000-8000-000000000000';
const ids = importedRowIds(envelopeId);

function planOf(outcomes: BatchPlan['outcomes']): BatchPlan {
  return { outcomes, actions: [], createdTicketTypes: [], unknownTicketTypes: [] };
}

describe('an import batch’s conflict rules', () => {
  it('gives each row its own customer and ticket ids, whatever the other rows decide', () => {
    expect([ids('customer', 0), ids('ticket', 0), ids('customer', 3), ids('ticket', 3)]).toEqual([
      derivedId(envelopeId, 0),
      derivedId(envelopeId, 1),
      derivedId(envelopeId, 6),
      derivedId(envelopeId, 7),
    ]);
  });

  it('remembers the rows the first run created customers for and those it rejected', () => {
    const plan = planOf([
      { row: 2, outcome: 'imported', customerId: ids('customer', 0) },
      { row: 3, outcome: 'updated', customerId: 'known' },
      { row: 4, outcome: 'rejected', reason: 'ticketType: unknown' },
      // Imported to a customer an earlier row of the batch created: not a new customer of its own.
      { row: 5, outcome: 'imported', customerId: ids('customer', 0) },
    ]);
    expect(firstPlanOf(plan, ids)).toEqual({ newCustomerRows: [0], rejectedRows: [2] });
  });

  it('finds the rows a later run imported to a customer already known instead of the one the first run created', () => {
    const later = planOf([
      { row: 2, outcome: 'updated', customerId: 'anna' },
      { row: 3, outcome: 'imported', customerId: ids('customer', 1) },
      { row: 4, outcome: 'rejected', reason: 'ticketReference: ticket T-3 belongs to another customer; it was not moved' },
    ]);
    expect(matchedRows(later, { newCustomerRows: [0, 1, 2], rejectedRows: [] }, ids)).toEqual([{ index: 0, createdId: ids('customer', 0), customerId: 'anna' }]);
  });
});
