import { describe, expect, it } from 'vitest';
import { describeChanges, describeOperation, humanizeField, showValue } from './history.ts';

describe('history lines', () => {
  it('names operations without their version', () => {
    expect(describeOperation('tickets.setBanned@1')).toBe('Ticket ban toggled');
    expect(describeOperation('customers.update@2')).toBe('Profile edited');
    expect(describeOperation('orders.create@1')).toBe('Order created');
    expect(describeOperation('orders.setStatus@1')).toBe('orders.setStatus');
  });

  it('turns camelCase and snake_case field names into words', () => {
    expect(humanizeField('verificationStatus')).toBe('Verification status');
    expect(humanizeField('inactive_reason')).toBe('Inactive reason');
    expect(humanizeField('banned')).toBe('Banned');
  });

  it('shows values as staff read them', () => {
    expect(showValue(true)).toBe('on');
    expect(showValue(false)).toBe('off');
    expect(showValue(null)).toBe('—');
    expect(showValue('')).toBe('—');
    expect(showValue([])).toBe('—');
    expect(showValue([{ id: 'l-1', name: 'VIP' }, { id: 'l-2', name: 'Press' }])).toBe('VIP, Press');
    expect(showValue({ a: 1 })).toBe('{"a":1}');
  });

  it('lists only the fields that changed', () => {
    expect(describeChanges({ banned: false }, { banned: true })).toEqual([{ field: 'Banned', before: 'off', after: 'on' }]);
    expect(describeChanges({ firstName: 'Ana', city: 'Utrecht' }, { firstName: 'Anna', city: 'Utrecht' })).toEqual([
      { field: 'First name', before: 'Ana', after: 'Anna' },
    ]);
    expect(describeChanges(null, { email: 'a@b.example' })).toEqual([{ field: 'Email', before: '—', after: 'a@b.example' }]);
    expect(describeChanges('junk', 42)).toEqual([]);
  });
});
