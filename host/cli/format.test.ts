import { describe, expect, it } from 'vitest';
import { formatMoney, formatTable, formatTime, oneLine } from './format.ts';

describe('formatMoney', () => {
  it('prints integer minor units in the currency, exactly', () => {
    expect(formatMoney(123450, 'EUR')).toBe('€1,234.50');
    expect(formatMoney(5, 'EUR')).toBe('€0.05');
    expect(formatMoney(0, 'GBP')).toBe('£0.00');
    expect(formatMoney(-2550, 'USD')).toBe('-$25.50');
    expect(formatMoney(1500, 'JPY')).toBe('¥1,500');
    expect(formatMoney(900719925474099, 'EUR')).toBe('€9,007,199,254,740.99');
  });

  it('prints a currency without a symbol by its code', () => {
    expect(formatMoney(1000, 'CHF')).toBe('CHF 10.00');
  });
});

describe('formatTable', () => {
  it('aligns columns by characters, accents included', () => {
    expect(formatTable(['Name', 'City'], [['Zoë Müller', 'Köln'], ['Al', 'Paris']])).toBe('Name        City\nZoë Müller  Köln\nAl          Paris\n');
  });
});

describe('formatTime and oneLine', () => {
  it('shortens timestamps and flattens messages', () => {
    expect(formatTime('2026-07-10T14:05:09.123Z')).toBe('2026-07-10 14:05');
    expect(formatTime(null)).toBe('—');
    expect(oneLine('first\n  second\r\nthird')).toBe('first second third');
  });
});
