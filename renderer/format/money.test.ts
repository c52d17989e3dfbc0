import { describe, expect, it } from 'vitest';
import { currencyDigits, formatBalance, formatMoney, minorUnitsToDecimal } from './money.ts';

describe('money formatting', () => {
  it('turns integer minor units into exact decimal text', () => {
    expect(minorUnitsToDecimal(1250, 2)).toBe('12.50');
    expect(minorUnitsToDecimal(5, 2)).toBe('0.05');
    expect(minorUnitsToDecimal(-1999, 2)).toBe('-19.99');
    expect(minorUnitsToDecimal(0, 2)).toBe('0.00');
    expect(minorUnitsToDecimal(1234, 0)).toBe('1234');
    expect(minorUnitsToDecimal(9_007_199_254_740_991, 2)).toBe('90071992547409.91');
  });

  it('uses the currency\'s own number of decimals', () => {
    expect(currencyDigits('EUR')).toBe(2);
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('KWD')).toBe(3);
  });

  it('formats money with the event currency', () => {
    expect(formatMoney(1250, 'EUR', 'en-GB')).toBe('€12.50');
    expect(formatMoney(-500, 'USD', 'en-US')).toBe('-$5.00');
    expect(formatMoney(1500, 'JPY', 'en-US')).toBe('¥1,500');
    expect(formatMoney(123456789, 'EUR', 'de-DE')).toBe('1.234.567,89\u00a0€');
  });

  it('falls back to two decimals for an unknown currency code', () => {
    expect(formatMoney(1250, 'NOT-A-CODE', 'en-GB')).toBe('12.50');
  });

  it('shows credits and virtual credits as money, tokens as counts', () => {
    expect(formatBalance('credit', 2000, 'EUR', 'en-GB')).toBe('€20.00');
    expect(formatBalance('virtual_credit', 150, 'EUR', 'en-GB')).toBe('€1.50');
    expect(formatBalance('token', 12, 'EUR', 'en-GB')).toBe('12');
  });
});
