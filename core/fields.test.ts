import { describe, expect, it } from 'vitest';
import { emailSchema, normalizeTagUid, tagUidSchema, ticketReferenceSchema } from './fields.ts';

describe('normalizeTagUid', () => {
  it.each([
    ['04:a2:24:b2:c3:3f:80', '04A224B2C33F80'],
    ['04A224B2C33F80', '04A224B2C33F80'],
    ['04 a2 24 b2 c3 3f 80', '04A224B2C33F80'],
    ['04-A2-24-B2', '04A224B2'],
    ['  0x04a224b2  ', '04A224B2'],
    ['04:A2:24:B2:C3:3F:80:11:22:33', '04A224B2C33F80112233'],
  ])('reads %s as %s', (input, expected) => {
    expect(normalizeTagUid(input)).toBe(expected);
  });

  it.each(['', '04:A2:ZZ:B2', '04A224B', '04A224B2C3', 'hello', '04:A2:24:B2:C3:3F:80:11:22:33:44'])('refuses %j', (input) => {
    expect(normalizeTagUid(input)).toBeUndefined();
  });

  it('gives a message saying what a UID looks like', () => {
    const parsed = tagUidSchema.safeParse('04:A2:ZZ');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/4, 7 or 10 bytes/);
  });
});

describe('emailSchema', () => {
  it('trims and lower-cases', () => {
    expect(emailSchema.parse('  Anna.Berg@Example.COM ')).toBe('anna.berg@example.com');
  });
  it.each(['anna', 'anna@', '@example.com', 'anna berg@example.com', 'anna@example', 'anna..berg@example.com', '.anna@example.com', 'anna@-example.com', 'an"na@example.com', 'anna\u0007@example.com'])('refuses %j', (input) => {
    expect(emailSchema.safeParse(input).success).toBe(false);
  });
  it.each([
    ['chloé.martin@example.fr', 'chloé.martin@example.fr'],
    ['Chloé.Martin@Exämple.DE', 'chloé.martin@exämple.de'],
    ['用户@例子.广告', '用户@例子.广告'],
    ['ivan@xn--e1afmkfd.xn--p1ai', 'ivan@xn--e1afmkfd.xn--p1ai'],
    ["o'brien+tickets@mail.co.uk", "o'brien+tickets@mail.co.uk"],
  ])('accepts the internationalised or unusual address %j', (input, stored) => {
    expect(emailSchema.parse(input)).toBe(stored);
  });
});

describe('ticketReferenceSchema', () => {
  it('keeps the barcode text exactly, without surrounding space', () => {
    expect(ticketReferenceSchema.parse(' BO-aB12 ')).toBe('BO-aB12');
  });
  it('refuses empty, over-long and control characters', () => {
    expect(ticketReferenceSchema.safeParse('  ').success).toBe(false);
    expect(ticketReferenceSchema.safeParse('x'.repeat(129)).success).toBe(false);
    expect(ticketReferenceSchema.safeParse('BO\u0007X').success).toBe(false);
  });
});
