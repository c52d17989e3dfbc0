import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import { emailSchema, tagUidSchema, ticketReferenceSchema } from './fields.ts';
import { wristbandUidSchema } from './tags/tags.contract.ts';
import { fieldLabel, parseInput } from './validation.ts';

function refusal(schema: z.ZodType, input: unknown) {
  try {
    parseInput(schema, input);
  } catch (error) {
    if (error instanceof DomainError) return error.toApiError();
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('validation messages name fields in words, never by their path', () => {
  it('labels paths as staff call the fields, with positions counted from 1', () => {
    expect(fieldLabel(['email']).label).toBe('E-mail address');
    expect(fieldLabel(['references', 2]).label).toBe('Ticket reference 3');
    expect(fieldLabel(['items', 0, 'uid']).label).toBe('UID (item 1)');
    expect(fieldLabel(['ticketTypeId']).label).toBe('Ticket type');
    expect(fieldLabel(['verificationStatus']).label).toBe('Verification status');
    expect(fieldLabel(['columns', 1]).label).toBe('Column 2');
  });

  it('keeps the dotted path in `field` for the UI and puts words in the message', () => {
    const items = z.object({ items: z.array(z.object({ uid: wristbandUidSchema })) });
    expect(refusal(items, { items: [{ uid: '08:1F:2E:3D' }] })).toEqual({
      code: 'VALIDATION',
      field: 'items.0.uid',
      message: 'UID (item 1) is a random UID, not a wristband (phones and bank cards show a new UID on every tap)',
    });
    expect(refusal(z.object({ uid: wristbandUidSchema }), { uid: '08:1F:2E:3D' }).message).toBe(
      'UID is a random UID, not a wristband (phones and bank cards show a new UID on every tap)',
    );
    expect(refusal(z.object({ email: emailSchema }), { email: 'nope' })).toEqual({
      code: 'VALIDATION',
      field: 'email',
      message: 'E-mail address: Invalid email address',
    });
    expect(refusal(z.object({ references: z.array(ticketReferenceSchema) }), { references: ['A1', ' '] })).toEqual({
      code: 'VALIDATION',
      field: 'references.1',
      message: 'Ticket reference 2 is empty',
    });
    expect(refusal(z.object({ uid: tagUidSchema }), { uid: 'zz' }).message).toMatch(/^Tag UID must be/);
    expect(refusal(z.object({ customerId: z.string() }), {}).message).toBe('Customer is required');
  });
});
