import { describe, expect, it } from 'vitest';
import { decideTag, type TypeRules } from '../checkin/verdict.ts';
import { tagStatus } from './tag-status.ts';

const openRules: TypeRules = { validFrom: null, validUntil: null, maxEntries: null, reentryAllowed: true, gateIds: null };
const verdictReasons: Record<string, string> = { active: 'admitted', banned: 'banned', inactive: 'tag_inactive' };

describe('tagStatus: one status per tag', () => {
  it('says banned for a banned tag, even when it is the active one', () => {
    expect(tagStatus({ banned: true, active: true, inactiveReason: null })).toEqual({
      code: 'banned',
      label: 'Banned (still the active tag)',
      tone: 'bad',
    });
    expect(tagStatus({ banned: true, active: false, inactiveReason: 'replaced' })).toEqual({ code: 'banned', label: 'Banned', tone: 'bad' });
  });

  it('says why an inactive tag is inactive', () => {
    expect(tagStatus({ banned: false, active: false, inactiveReason: 'replaced' })).toEqual({
      code: 'inactive',
      label: 'Inactive (replaced)',
      tone: 'neutral',
    });
    expect(tagStatus({ banned: false, active: false, inactiveReason: null }).label).toBe('Inactive');
  });

  it('says active only for an active, unbanned tag', () => {
    expect(tagStatus({ banned: false, active: true, inactiveReason: null })).toEqual({ code: 'active', label: 'Active', tone: 'good' });
  });

  it('agrees with the check-in verdict for every combination of facts', () => {
    for (const banned of [false, true]) {
      for (const active of [false, true]) {
        const status = tagStatus({ banned, active, inactiveReason: null });
        const verdict = decideTag({ banned, active, entryCount: 0, insideSince: null }, openRules, {
          direction: 'entry',
          gateId: null,
          nowMs: Date.parse('2026-07-11T12:00:00.000Z'),
          timeZone: 'Europe/Amsterdam',
        });
        expect(verdict.reason).toBe(verdictReasons[status.code]);
      }
    }
  });
});
