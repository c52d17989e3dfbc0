import { describe, expect, it } from 'vitest';
import { orderBadge, orderStatusLabel, tagStateLabel, ticketStatusLabel, ticketStatusTone, verificationLabel } from './statuses.ts';
import { formatTagUid } from './tag-uid.ts';

describe('status labels', () => {
  it('names ticket statuses as seed 002 does', () => {
    expect(ticketStatusLabel({ status: 'valid', invalidReason: null, used: false })).toBe('Valid Un-used');
    expect(ticketStatusLabel({ status: 'valid', invalidReason: null, used: true })).toBe('Valid Used');
    expect(ticketStatusLabel({ status: 'invalid', invalidReason: 'refunded', used: true })).toBe('Invalid:refunded');
    expect(ticketStatusLabel({ status: 'invalid', invalidReason: null, used: false })).toBe('Invalid');
  });

  it('colours a ticket bad when invalid or banned, neutral when redeemed', () => {
    const valid = { status: 'valid' as const, invalidReason: null, used: false, banned: false, redeemed: false };
    expect(ticketStatusTone(valid)).toBe('good');
    expect(ticketStatusTone({ ...valid, banned: true })).toBe('bad');
    expect(ticketStatusTone({ ...valid, redeemed: true })).toBe('neutral');
    expect(ticketStatusTone({ ...valid, status: 'invalid', invalidReason: 'canceled' })).toBe('bad');
  });

  it('names verification and order statuses', () => {
    expect(verificationLabel('verified')).toBe('Verified');
    expect(verificationLabel('non_verified')).toBe('Non-verified');
    expect(orderStatusLabel('refund_error')).toBe('Refund error');
    expect(orderStatusLabel('paid')).toBe('Paid');
  });

  it('gives order cards seed 004\'s icons', () => {
    expect(orderBadge({ channel: 'online', kind: 'sold', deletedAt: null })).toEqual({ icon: 'globe', tone: 'green', label: 'Sold online' });
    expect(orderBadge({ channel: 'box_office', kind: 'sold', deletedAt: null })).toEqual({ icon: 'person', tone: 'green', label: 'Sold in box office' });
    expect(orderBadge({ channel: 'box_office', kind: 'reserved', deletedAt: null })).toEqual({ icon: 'person', tone: 'yellow', label: 'Reserved in box office' });
    expect(orderBadge({ channel: 'online', kind: 'reserved', deletedAt: '2026-01-01T00:00:00.000Z' }).tone).toBe('grey');
  });

  it('describes a tag\'s state', () => {
    expect(tagStateLabel({ active: true, banned: false, inactiveReason: null })).toBe('Active');
    expect(tagStateLabel({ active: true, banned: true, inactiveReason: null })).toBe('Active, banned');
    expect(tagStateLabel({ active: false, banned: true, inactiveReason: 'replaced' })).toBe('Banned');
    expect(tagStateLabel({ active: false, banned: false, inactiveReason: 'replaced' })).toBe('Inactive (replaced)');
    expect(tagStateLabel({ active: false, banned: false, inactiveReason: null })).toBe('Inactive');
  });
});

describe('formatTagUid', () => {
  it('groups stored hex in bytes', () => {
    expect(formatTagUid('04A224B2C33F80')).toBe('04:A2:24:B2:C3:3F:80');
    expect(formatTagUid('04a224b2')).toBe('04:A2:24:B2');
  });

  it('leaves anything that is not whole hex bytes as it is', () => {
    expect(formatTagUid('04A')).toBe('04A');
    expect(formatTagUid('ZZ11')).toBe('ZZ11');
    expect(formatTagUid('')).toBe('');
  });
});
