import { describe, expect, it } from 'vitest';
import { orderBadge, orderStatusLabel, verificationLabel } from './statuses.ts';
import { formatTagUid } from './tag-uid.ts';

describe('status labels', () => {
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
