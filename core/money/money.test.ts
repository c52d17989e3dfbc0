import { describe, expect, it } from 'vitest';
import { formatMinorUnits } from '../csv/money-text.ts';
import { moneyInMessage } from './money.ts';

describe('money in core messages and files', () => {
  it('reads as money in English whatever the host locale, with the currency’s own decimals', () => {
    expect(moneyInMessage(80000, 'EUR')).toBe('€800.00');
    expect(moneyInMessage(88900, 'EUR')).toBe('€889.00');
    expect(moneyInMessage(1500, 'JPY')).toBe('¥1,500');
    expect(moneyInMessage(1250, 'NOT-A-CODE')).toBe('12.50');
  });

  it('writes files with the same digits and no sign', () => {
    expect(formatMinorUnits(1250, 'EUR')).toBe('12.50');
    expect(formatMinorUnits(-5, 'EUR')).toBe('-0.05');
    expect(formatMinorUnits(1500, 'JPY')).toBe('1500');
    expect(formatMinorUnits(1234, 'KWD')).toBe('1.234');
  });
});
