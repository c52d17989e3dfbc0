import { describe, expect, it } from 'vitest';
import { decideTag, decideTicket, parseGateIds, verdictMessage, type MessageDetails, type Situation, type TypeRules } from './verdict.ts';
import { presenceFromScans } from './presence.ts';

const open: TypeRules = { validFrom: null, validUntil: null, maxEntries: null, reentryAllowed: true, gateIds: null };
const fresh = { invalidReason: null, banned: false, redeemed: false, entryCount: 0, insideSince: null };
const at = (iso: string, values: Partial<Situation> = {}): Situation => ({
  direction: 'entry',
  gateId: 'gate-main',
  nowMs: Date.parse(iso),
  timeZone: 'Europe/Amsterdam',
  ...values,
});
const noon = at('2026-07-11T12:00:00.000Z');

describe('decideTicket: the order of DESIGN.md section 7', () => {
  it('admits a valid, unused ticket', () => {
    expect(decideTicket(fresh, open, noon)).toEqual({ reason: 'admitted', warning: null });
  });

  it.each(['canceled', 'refunded', 'transferred'] as const)('refuses an invalid (%s) ticket with that reason, before anything else', (invalidReason) => {
    const worst = { invalidReason, banned: true, redeemed: true, entryCount: 5, insideSince: '2026-07-11T10:00:00.000Z' };
    expect(decideTicket(worst, { ...open, maxEntries: 1, gateIds: [] }, noon).reason).toBe(invalidReason);
  });

  it('banned comes before redeemed, redeemed before the type rules', () => {
    const rules: TypeRules = { ...open, validFrom: '2026-07-12T00:00:00.000Z', gateIds: [] };
    expect(decideTicket({ ...fresh, banned: true, redeemed: true }, rules, noon).reason).toBe('banned');
    expect(decideTicket({ ...fresh, redeemed: true }, rules, noon).reason).toBe('redeemed');
    expect(decideTicket(fresh, rules, noon).reason).toBe('not_yet_valid');
  });

  it('the validity window comes before the gate, the gate before the entry rules', () => {
    const inside = { ...fresh, entryCount: 1, insideSince: '2026-07-11T10:00:00.000Z' };
    expect(decideTicket(inside, { ...open, validUntil: '2026-07-11T11:00:00.000Z', gateIds: [] }, noon).reason).toBe('expired');
    expect(decideTicket(inside, { ...open, gateIds: ['gate-vip'] }, noon).reason).toBe('wrong_gate');
    expect(decideTicket(inside, { ...open, gateIds: ['gate-vip', 'gate-main'] }, noon).reason).toBe('already_inside');
  });

  it('entry rules: already inside, then max entries, then re-entry', () => {
    const inside = { ...fresh, entryCount: 3, insideSince: '2026-07-11T10:00:00.000Z' };
    expect(decideTicket(inside, { ...open, maxEntries: 3, reentryAllowed: false }, noon).reason).toBe('already_inside');
    const wentOut = { ...fresh, entryCount: 3 };
    expect(decideTicket(wentOut, { ...open, maxEntries: 3, reentryAllowed: false }, noon).reason).toBe('max_entries_reached');
    expect(decideTicket(wentOut, { ...open, maxEntries: 4, reentryAllowed: false }, noon).reason).toBe('reentry_not_allowed');
    expect(decideTicket(wentOut, { ...open, maxEntries: 4 }, noon)).toEqual({ reason: 'admitted', warning: 're_entry' });
    expect(decideTicket(wentOut, open, noon)).toEqual({ reason: 'admitted', warning: 're_entry' });
  });

  it('a ticket type with max entries 0 admits nobody', () => {
    expect(decideTicket(fresh, { ...open, maxEntries: 0 }, noon).reason).toBe('max_entries_reached');
  });

  it('applies gate restrictions only when the scan has a gate', () => {
    expect(decideTicket(fresh, { ...open, gateIds: ['gate-vip'] }, at('2026-07-11T12:00:00.000Z', { gateId: null })).reason).toBe('admitted');
  });

  it('exits: admitted when inside, otherwise not_inside, whatever the ticket', () => {
    const exit = at('2026-07-11T12:00:00.000Z', { direction: 'exit' });
    expect(decideTicket({ ...fresh, banned: true, entryCount: 1, insideSince: '2026-07-11T10:00:00.000Z' }, open, exit).reason).toBe('admitted');
    expect(decideTicket({ ...fresh, entryCount: 1 }, open, exit).reason).toBe('not_inside');
    expect(decideTicket(fresh, open, exit).reason).toBe('not_inside');
  });
});

describe('validity windows at their edges', () => {
  // Saturday 10:00 to Sunday 04:00 in Amsterdam (UTC+2 in July), stored as instants.
  const saturday: TypeRules = { ...open, validFrom: '2026-07-11T08:00:00.000Z', validUntil: '2026-07-12T02:00:00.000Z' };
  it.each([
    ['2026-07-11T07:59:59.999Z', 'not_yet_valid'],
    ['2026-07-11T08:00:00.000Z', 'admitted'],
    ['2026-07-12T02:00:00.000Z', 'admitted'],
    ['2026-07-12T02:00:00.001Z', 'expired'],
  ])('at %s: %s', (now, reason) => {
    expect(decideTicket(fresh, saturday, at(now)).reason).toBe(reason);
  });

  it("reads a bound without an offset as the event's local time", () => {
    const local: TypeRules = { ...open, validFrom: '2026-07-11T10:00:00', validUntil: '2026-07-12T04:00' };
    expect(decideTicket(fresh, local, at('2026-07-11T07:59:59.999Z')).reason).toBe('not_yet_valid');
    expect(decideTicket(fresh, local, at('2026-07-11T08:00:00.000Z')).reason).toBe('admitted');
    expect(decideTicket(fresh, local, at('2026-07-12T02:00:00.001Z')).reason).toBe('expired');
    // The same local window in New York opens six hours later.
    expect(decideTicket(fresh, local, at('2026-07-11T13:59:59.999Z', { timeZone: 'America/New_York' })).reason).toBe('not_yet_valid');
    expect(decideTicket(fresh, local, at('2026-07-11T14:00:00.000Z', { timeZone: 'America/New_York' })).reason).toBe('admitted');
  });
});

describe('decideTag', () => {
  const tag = { banned: false, active: true, entryCount: 0, insideSince: null };
  it('banned, then not the active tag, then the type rules, then the entry rules', () => {
    expect(decideTag({ ...tag, banned: true, active: false }, { ...open, gateIds: [] }, noon).reason).toBe('banned');
    expect(decideTag({ ...tag, active: false }, { ...open, gateIds: [] }, noon).reason).toBe('tag_inactive');
    expect(decideTag(tag, { ...open, validFrom: '2026-07-12T00:00:00.000Z' }, noon).reason).toBe('not_yet_valid');
    expect(decideTag(tag, { ...open, gateIds: [] }, noon).reason).toBe('wrong_gate');
    expect(decideTag({ ...tag, entryCount: 1, insideSince: '2026-07-11T10:00:00.000Z' }, open, noon).reason).toBe('already_inside');
    expect(decideTag({ ...tag, entryCount: 1 }, { ...open, maxEntries: 1 }, noon).reason).toBe('max_entries_reached');
    expect(decideTag({ ...tag, entryCount: 1 }, { ...open, reentryAllowed: false }, noon).reason).toBe('reentry_not_allowed');
    expect(decideTag({ ...tag, entryCount: 1 }, open, noon)).toEqual({ reason: 'admitted', warning: 're_entry' });
    expect(decideTag(tag, open, noon)).toEqual({ reason: 'admitted', warning: null });
  });
});

describe('parseGateIds', () => {
  it('reads the JSON array; null admits everywhere; garbage admits nowhere', () => {
    expect(parseGateIds(null)).toBeNull();
    expect(parseGateIds('["a","b"]')).toEqual(['a', 'b']);
    expect(parseGateIds('[1,"b"]')).toEqual(['b']);
    expect(parseGateIds('{"a":1}')).toEqual([]);
    expect(parseGateIds('not json')).toEqual([]);
  });
});

describe('verdictMessage', () => {
  const details: MessageDetails = {
    credential: 'Ticket TCK-1',
    direction: 'entry',
    timeZone: 'Europe/Amsterdam',
    ticketType: 'Saturday',
    rules: { ...open, validFrom: '2026-07-11T08:00:00.000Z', validUntil: '2026-07-12T02:00:00.000Z', maxEntries: 1 },
    entryCount: 1,
    insideSince: '2026-07-11T08:30:00.000Z',
    insideGate: 'Main entrance',
    gate: 'VIP entrance',
    otherEventName: 'Winter Fair',
    inactiveReason: 'replaced',
  };
  it('names the credential, and local times in the event time zone', () => {
    expect(verdictMessage('admitted', null, details)).toBe('Admitted: Ticket TCK-1 (Saturday)');
    expect(verdictMessage('admitted', 're_entry', details)).toBe('Re-entry: Ticket TCK-1 was inside before (entry 2)');
    expect(verdictMessage('admitted', null, { ...details, direction: 'exit' })).toBe('Exit: Ticket TCK-1 is out');
    expect(verdictMessage('not_yet_valid', null, details)).toBe('Ticket TCK-1 is not valid yet: valid from Sat, 11 Jul 2026, 10:00');
    expect(verdictMessage('expired', null, details)).toBe('Ticket TCK-1 is no longer valid: valid until Sun, 12 Jul 2026, 04:00');
    expect(verdictMessage('already_inside', null, details)).toBe('Already inside: Ticket TCK-1 entered Sat, 11 Jul 2026, 10:30 at Main entrance');
    expect(verdictMessage('wrong_gate', null, details)).toBe('Ticket TCK-1 (Saturday) is not admitted at VIP entrance');
    expect(verdictMessage('max_entries_reached', null, details)).toBe('Ticket TCK-1 has used all its 1 entry');
    expect(verdictMessage('other_event', null, details)).toBe('Ticket TCK-1 is for another event (Winter Fair)');
    expect(verdictMessage('tag_inactive', null, { ...details, credential: 'Wristband 04A1A1A1' })).toBe('Wristband 04A1A1A1 is not the active wristband: it was replaced');
    for (const reason of ['unknown', 'canceled', 'banned', 'redeemed', 'reentry_not_allowed', 'not_inside'] as const) {
      expect(verdictMessage(reason, null, details)).not.toBe('');
    }
  });
});

describe('presenceFromScans', () => {
  it('counts entries and keeps the entry not followed by an exit', () => {
    expect(presenceFromScans([])).toEqual({ entryCount: 0, insideSince: null, insideGateId: null, firstEntryAt: null });
    expect(
      presenceFromScans([
        { id: 's1', direction: 'entry', at: 'T1', gateId: 'a' },
        { id: 's2', direction: 'exit', at: 'T2', gateId: 'b' },
        { id: 's3', direction: 'entry', at: 'T3', gateId: 'b' },
      ]),
    ).toEqual({ entryCount: 2, insideSince: 'T3', insideGateId: 'b', firstEntryAt: 'T1' });
    expect(presenceFromScans([{ id: 's1', direction: 'entry', at: 'T1', gateId: null }, { id: 's2', direction: 'exit', at: 'T2', gateId: null }])).toMatchObject({
      entryCount: 1,
      insideSince: null,
    });
  });
});
