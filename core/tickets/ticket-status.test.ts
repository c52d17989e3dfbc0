import { describe, expect, it } from 'vitest';
import type { InvalidReason } from '../../db/schema.ts';
import { decideTicket, type TypeRules } from '../checkin/verdict.ts';
import { ticketStatus } from './ticket-status.ts';

const valid = { invalidReason: null, banned: false, redeemed: false, used: false };
const openRules: TypeRules = { validFrom: null, validUntil: null, maxEntries: null, reentryAllowed: true, gateIds: null };

describe('ticketStatus: one status per ticket', () => {
  it('names a valid ticket as seed 002 does', () => {
    expect(ticketStatus(valid)).toEqual({ code: 'unused', label: 'Valid Un-used', tone: 'good' });
    expect(ticketStatus({ ...valid, used: true })).toEqual({ code: 'used', label: 'Valid Used', tone: 'good' });
  });

  it('says banned (red) for a banned ticket, never "Valid Un-used"', () => {
    expect(ticketStatus({ ...valid, banned: true })).toEqual({ code: 'banned', label: 'Banned', tone: 'bad' });
    expect(ticketStatus({ ...valid, banned: true, redeemed: true, used: true })).toMatchObject({ code: 'banned', tone: 'bad' });
  });

  it('says redeemed (grey) for a ticket exchanged for a wristband', () => {
    expect(ticketStatus({ ...valid, redeemed: true, used: true })).toEqual({
      code: 'redeemed',
      label: 'Redeemed (exchanged for a wristband)',
      tone: 'neutral',
    });
  });

  it('puts an invalid reason before everything', () => {
    expect(ticketStatus({ invalidReason: 'refunded', banned: true, redeemed: true, used: true })).toEqual({
      code: 'refunded',
      label: 'Invalid: refunded',
      tone: 'bad',
    });
  });

  it('agrees with the check-in verdict for every combination of facts', () => {
    const reasons: (InvalidReason | null)[] = [null, 'transferred', 'canceled', 'refunded'];
    for (const invalidReason of reasons) {
      for (const banned of [false, true]) {
        for (const redeemed of [false, true]) {
          const status = ticketStatus({ invalidReason, banned, redeemed, used: false });
          const verdict = decideTicket({ invalidReason, banned, redeemed, entryCount: 0, insideSince: null }, openRules, {
            direction: 'entry',
            gateId: null,
            nowMs: Date.parse('2026-07-11T12:00:00.000Z'),
            timeZone: 'Europe/Amsterdam',
          });
          // A good status is a ticket the gate admits; any other names the gate's own reason.
          expect(verdict.reason).toBe(status.tone === 'good' ? 'admitted' : status.code);
        }
      }
    }
  });
});
