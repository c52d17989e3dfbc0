import { describe, expect, it } from 'vitest';
import type { CheckinCounts, CheckinVerdict, StationStatus } from '../api/operations.ts';
import { cardFixture, createFakeHost, ok, settle } from '../test-support/fake-host.ts';
import { createActivationStore } from './activation-store.ts';
import { createCheckinStore, describeVerdict } from './checkin-store.ts';
import { createStationStore } from './station-store.ts';

const gates = [
  { id: 'g-main', name: 'Main entrance', zone: null },
  { id: 'g-north', name: 'North gate', zone: null },
];

function verdict(overrides: Partial<CheckinVerdict> = {}): CheckinVerdict {
  return {
    scanId: 's-1',
    at: '2026-07-10T12:00:00.000Z',
    timeZone: 'Europe/Amsterdam',
    code: 'TCK-1',
    verdict: 'admitted',
    reason: 'admitted',
    message: 'Admitted: Ticket TCK-1 (Weekend)',
    warning: null,
    direction: 'entry',
    gate: { id: 'g-main', name: 'Main entrance' },
    credential: 'ticket',
    ticket: { id: 't-1', reference: 'TCK-1', ticketType: 'Weekend', status: 'valid', invalidReason: null, redeemed: false, banned: false },
    tag: null,
    customer: { id: 'c-1', displayName: 'Anna Berg' },
    entries: 1,
    maxEntries: null,
    firstAdmission: null,
    ...overrides,
  };
}

const counts: CheckinCounts = {
  eventId: 'e-1',
  day: '2026-07-10',
  timeZone: 'Europe/Amsterdam',
  from: '2026-07-09T22:00:00.000Z',
  to: '2026-07-10T22:00:00.000Z',
  insideNow: 1,
  admittedToday: 1,
  exitsToday: 0,
  rejectedToday: 0,
  undoneToday: 0,
  doubleAdmissionsToday: 0,
  perGate: [],
  per15Minutes: [],
  rejectedByReason: [],
};

function memoryPreferences(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  return { values, getItem: (key: string) => values.get(key) ?? null, setItem: (key: string, value: string) => void values.set(key, value) };
}

describe('describeVerdict', () => {
  it('colours and names each kind of verdict', () => {
    expect(describeVerdict(verdict(), 1)).toMatchObject({ tone: 'admit', headline: 'ADMIT', customer: 'Anna Berg', ticketType: 'Weekend', credential: 'Ticket TCK-1', gate: 'Main entrance' });
    expect(describeVerdict(verdict({ warning: 're_entry', message: 'Re-entry: Ticket TCK-1 was inside before (entry 2)' }), 2)).toMatchObject({ tone: 'warn', headline: 'RE-ENTRY' });
    expect(describeVerdict(verdict({ direction: 'exit' }), 3)).toMatchObject({ tone: 'admit', headline: 'EXIT' });
    const duplicate = verdict({ verdict: 'rejected', reason: 'already_inside', firstAdmission: { at: '2026-07-10T11:00:00.000Z', gate: 'North gate' } });
    expect(describeVerdict(duplicate, 4)).toMatchObject({ tone: 'reject', headline: 'REJECT', firstAdmission: { at: '2026-07-10T11:00:00.000Z', gate: 'North gate' } });
    const tag = verdict({ code: '04:a2:24:b2', credential: 'tag', ticket: null, tag: { id: 'tg-1', uid: '04A224B2', ticketType: 'VIP', active: true, banned: false, inactiveReason: null } });
    expect(describeVerdict(tag, 5)).toMatchObject({ credential: 'Wristband 04:A2:24:B2', ticketType: 'VIP' });
    const unknown = verdict({ code: 'NOPE', verdict: 'rejected', reason: 'unknown', credential: null, ticket: null, customer: null, message: 'Unknown code NOPE' });
    expect(describeVerdict(unknown, 6)).toMatchObject({ tone: 'reject', credential: 'NOPE', customer: null, ticketType: null });
  });
});

describe('check-in store', () => {
  it('scans at the chosen gate and direction, shows the verdict, remembers the admission and refreshes the counts', async () => {
    const host = createFakeHost({ 'gates.list': () => ok({ gates }), 'checkin.scan': () => ok(verdict()), 'checkin.counts': () => ok(counts) });
    const preferences = memoryPreferences({ 'box-office.checkin.gate': 'g-north' });
    const checkin = createCheckinStore(host.client, { preferences });
    await checkin.getState().loadGates();
    expect(checkin.getState().gateId).toBe('g-north');
    checkin.getState().setDirection('exit');
    checkin.getState().setDirection('entry');
    checkin.getState().selectGate('g-main');
    expect(preferences.values.get('box-office.checkin.gate')).toBe('g-main');

    await checkin.getState().scan('  TCK-1 ');
    await settle();
    expect(host.callsTo('checkin.scan')).toEqual([{ code: 'TCK-1', gateId: 'g-main', direction: 'entry' }]);
    expect(checkin.getState().display).toMatchObject({ seq: 1, tone: 'admit', headline: 'ADMIT' });
    expect(checkin.getState().lastAdmission).toEqual({ scanId: 's-1', at: '2026-07-10T12:00:00.000Z', credential: 'Ticket TCK-1' });
    expect(checkin.getState().counts).toEqual(counts);
    expect(await checkin.getState().scan('   ')).toBeNull();
    expect(host.callsTo('checkin.scan')).toHaveLength(1);
  });

  it('falls back to the first gate when the remembered one is gone', async () => {
    const host = createFakeHost({ 'gates.list': () => ok({ gates }) });
    const checkin = createCheckinStore(host.client, { preferences: memoryPreferences({ 'box-office.checkin.gate': 'g-deleted', 'box-office.checkin.direction': 'exit' }) });
    await checkin.getState().loadGates();
    expect(checkin.getState()).toMatchObject({ gateId: 'g-main', direction: 'exit' });
  });

  it('shows a scan the host could not record as such, and never lets a late answer hide a newer verdict', async () => {
    const host = createFakeHost({ 'checkin.counts': () => ok(counts) });
    const checkin = createCheckinStore(host.client);
    host.answer('checkin.scan', () => ({ ok: false, error: { code: 'VALIDATION', message: 'code: Code contains control characters', field: 'code' } }));
    await checkin.getState().scan('BAD');
    expect(checkin.getState().display).toMatchObject({ tone: 'error', headline: 'NOT RECORDED', message: 'code: Code contains control characters. Scan again.' });

    const first = host.hold('checkin.scan');
    const slow = checkin.getState().scan('TCK-1');
    await first.started;
    host.answer('checkin.scan', () => ok(verdict({ scanId: 's-2', verdict: 'rejected', reason: 'banned', message: 'Ticket TCK-2 is banned' })));
    await checkin.getState().scan('TCK-2');
    first.resolve(ok(verdict({ scanId: 's-1' })));
    await slow;
    expect(checkin.getState().display).toMatchObject({ tone: 'reject', message: 'Ticket TCK-2 is banned' });
    // The late admission still counts as this terminal's last one (it may be undone).
    expect(checkin.getState().lastAdmission?.scanId).toBe('s-1');
  });

  it('undoes the last admission within 60 s, and refuses without asking the host after that', async () => {
    let now = Date.parse('2026-07-10T12:00:30.000Z');
    const host = createFakeHost({
      'checkin.scan': () => ok(verdict()),
      'checkin.counts': () => ok(counts),
      'checkin.undo': () => ok({ scanId: 's-1', undoneAt: '2026-07-10T12:00:30.000Z', ticketId: 't-1', tagId: null, entries: 0, inside: false }),
    });
    const checkin = createCheckinStore(host.client, { now: () => now });
    await checkin.getState().scan('TCK-1');
    expect(checkin.getState().undoSecondsLeft(now)).toBe(30);
    expect(await checkin.getState().undoLast()).toBe(true);
    expect(host.callsTo('checkin.undo')).toEqual([{ scanId: 's-1' }]);
    expect(checkin.getState().display).toMatchObject({ tone: 'undone', headline: 'UNDONE', message: 'Admission of Ticket TCK-1 undone: it can be scanned again' });
    expect(checkin.getState().lastAdmission).toBeNull();
    expect(await checkin.getState().undoLast()).toBe(false);

    await checkin.getState().scan('TCK-1');
    now = Date.parse('2026-07-10T12:01:00.001Z');
    expect(checkin.getState().undoSecondsLeft(now)).toBe(0);
    expect(await checkin.getState().undoLast()).toBe(false);
    expect(host.callsTo('checkin.undo')).toHaveLength(1);
    expect(checkin.getState().undoError?.message).toBe('The admission of Ticket TCK-1 is older than 60 seconds: it can no longer be undone');
  });

  it('keeps the host’s refusal of an undo', async () => {
    const host = createFakeHost({
      'checkin.scan': () => ok(verdict({ at: new Date().toISOString() })),
      'checkin.counts': () => ok(counts),
      'checkin.undo': () => ({ ok: false, error: { code: 'CONFLICT', message: 'This scan was made at another terminal; only that terminal can undo it' } }),
    });
    const checkin = createCheckinStore(host.client);
    await checkin.getState().scan('TCK-1');
    expect(await checkin.getState().undoLast()).toBe(false);
    expect(checkin.getState().undoError).toEqual({ code: 'CONFLICT', message: 'This scan was made at another terminal; only that terminal can undo it' });
    expect(checkin.getState().lastAdmission).toBeNull();
  });

  it('refreshes the counts on verdict events once the panel has loaded them', async () => {
    const host = createFakeHost({ 'checkin.counts': () => ok(counts) });
    const checkin = createCheckinStore(host.client);
    host.client.emit({ type: 'checkin.verdict', verdict: verdict() });
    await settle();
    expect(host.callsTo('checkin.counts')).toHaveLength(0);
    await checkin.getState().refreshCounts();
    host.client.emit({ type: 'checkin.verdict', verdict: verdict() });
    host.client.emit({ type: 'checkin.undone', scanId: 's-1', undoneAt: '2026-07-10T12:00:30.000Z', ticketId: 't-1', tagId: null, entries: 0, inside: false });
    await settle();
    await settle();
    // The two events while a refresh runs cost one more refresh, not two.
    expect(host.callsTo('checkin.counts')).toHaveLength(3);
  });

  it('creates a gate and selects it; shows the host’s refusal', async () => {
    const host = createFakeHost({ 'gates.list': () => ok({ gates: [...gates, { id: 'g-west', name: 'West gate', zone: null }] }), 'checkin.counts': () => ok(counts) });
    const checkin = createCheckinStore(host.client);
    host.answer('gates.create', () => ({ ok: false, error: { code: 'CONFLICT', message: 'Summer Festival already has a gate named Main entrance', field: 'name' } }));
    expect(await checkin.getState().createGate('Main entrance', '')).toBe(false);
    expect(checkin.getState().gateError?.field).toBe('name');
    host.answer('gates.create', () => ok({ id: 'g-west', name: 'West gate', zone: null }));
    expect(await checkin.getState().createGate('West gate', ' ')).toBe(true);
    expect(host.callsTo('gates.create')).toEqual([{ name: 'Main entrance', zone: null }, { name: 'West gate', zone: null }]);
    expect(checkin.getState().gateId).toBe('g-west');
  });

  it('manual check-in: finds the customer, checks a ticket in through checkin.scan and reloads the tickets', async () => {
    const host = createFakeHost({
      'customers.search': () => ok({ results: [{ customerId: 'c-1', name: 'Anna Berg', email: 'anna@example.com', phone: null, verificationStatus: 'verified', totalSpent: 0, matchedBy: 'name', matchedValue: null }] }),
      'customers.card': () => ok(cardFixture()),
      'checkin.scan': () => ok(verdict({ ticket: { id: 't-1', reference: 'BO-1', ticketType: 'Weekend', status: 'valid', invalidReason: null, redeemed: false, banned: false } })),
      'checkin.counts': () => ok(counts),
    });
    const checkin = createCheckinStore(host.client);
    await checkin.getState().searchManual('anna');
    expect(checkin.getState().manual.results.map((result) => result.customerId)).toEqual(['c-1']);
    await checkin.getState().openManualCustomer('c-1');
    expect(checkin.getState().manual.customer).toMatchObject({ id: 'c-1', name: 'Anna Berg', tickets: [{ reference: 'BO-1' }] });
    await checkin.getState().checkInManually('BO-1');
    expect(host.callsTo('checkin.scan')).toEqual([{ code: 'BO-1', gateId: null, direction: 'entry' }]);
    expect(host.callsTo('customers.card')).toHaveLength(2);
    expect(checkin.getState().display).toMatchObject({ tone: 'admit', credential: 'Ticket BO-1' });
    await checkin.getState().searchManual(' ');
    expect(checkin.getState().manual).toMatchObject({ phase: 'idle', results: [] });
  });
});

describe('station store', () => {
  const status = (overrides: Partial<StationStatus> = {}): StationStatus => ({ pinSet: true, locked: false, lockedAt: null, lockoutUntil: null, failedAttempts: 0, maxAttempts: 5, lockoutSeconds: 30, ...overrides });

  it('locks, keeps the host’s refusal of a wrong PIN with the attempts counted, and unlocks', async () => {
    const host = createFakeHost({
      'station.status': () => ok(status()),
      'station.lock': () => ok(status({ locked: true, lockedAt: '2026-07-10T12:00:00.000Z' })),
    });
    const station = createStationStore(host.client);
    await station.getState().load();
    expect(station.getState()).toMatchObject({ phase: 'ready', status: { locked: false } });
    expect(await station.getState().lock()).toBe(true);
    expect(station.getState().status?.locked).toBe(true);

    host.answer('station.unlock', () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'Wrong PIN (4 tries left before a 30 s lockout)', field: 'pin' } }));
    host.answer('station.status', () => ok(status({ locked: true, failedAttempts: 1 })));
    expect(await station.getState().unlock('1111')).toBe(false);
    expect(station.getState()).toMatchObject({ error: { code: 'FORBIDDEN', field: 'pin' }, status: { locked: true, failedAttempts: 1 } });

    host.answer('station.unlock', () => ok(status()));
    expect(await station.getState().unlock('2468')).toBe(true);
    expect(station.getState()).toMatchObject({ error: null, status: { locked: false } });
    expect(host.callsTo('station.unlock')).toEqual([{ pin: '1111' }, { pin: '2468' }]);
  });

  it('sends the current PIN only when changing one', async () => {
    const host = createFakeHost({ 'station.setPin': () => ok(status()) });
    const station = createStationStore(host.client);
    await station.getState().setPin('2468', null);
    await station.getState().setPin('1357', '2468');
    expect(host.callsTo('station.setPin')).toEqual([{ pin: '2468' }, { pin: '1357', currentPin: '2468' }]);
  });
});

describe('activation store', () => {
  const activated = { customerId: 'c-1', tagId: 'tg-1', ticketId: 't-1', replacedTagIds: [], customerCreated: false };

  it('exchanges once both steps are there, in either order, leaves one line each and starts over', async () => {
    const host = createFakeHost({ 'tags.activateForTicket': () => ok(activated), 'customers.card': () => ok(cardFixture()) });
    const activation = createActivationStore(host.client);
    await activation.getState().presentTicket('BO-1');
    expect(host.callsTo('tags.activateForTicket')).toEqual([]);
    expect(activation.getState().ticket).toBe('BO-1');
    await activation.getState().presentTag('04a224b2c33f80');
    expect(host.callsTo('tags.activateForTicket')).toEqual([{ ticketReference: 'BO-1', uid: '04a224b2c33f80' }]);
    expect(activation.getState()).toMatchObject({ ticket: '', tag: '', pending: false });
    expect(activation.getState().lines).toEqual([{ id: 1, ok: true, mode: 'activate', text: 'Anna Berg · Ticket BO-1 (Weekend) · Wristband 04:A2:24:B2:C3:3F:80', presented: 'Ticket BO-1 · Wristband 04:A2:24:B2:C3:3F:80' }]);

    host.answer('tags.activateForTicket', () => ({ ok: false, error: { code: 'CONFLICT', message: 'Ticket BO-1 is already exchanged for a wristband', field: 'ticketReference' } }));
    await activation.getState().presentTag('04E2E0C0FFEE77');
    await activation.getState().presentTicket('BO-1');
    expect(activation.getState().lines[0]).toEqual({ id: 2, ok: false, mode: 'activate', text: 'Ticket BO-1 is already exchanged for a wristband', presented: 'Ticket BO-1 · Wristband 04:E2:E0:C0:FF:EE:77' });
    expect(activation.getState().lines).toHaveLength(2);
  });

  it('names a newly created anonymous customer and does nothing while a step is empty', async () => {
    const anonymous = cardFixture();
    anonymous.profile = { ...anonymous.profile, displayName: 'Anonymous customer', anonymous: true };
    const host = createFakeHost({ 'tags.activateForTicket': () => ok({ ...activated, customerCreated: true }), 'customers.card': () => ok(anonymous) });
    const activation = createActivationStore(host.client);
    activation.getState().setTicket('BO-1');
    expect(await activation.getState().submit()).toBe(false);
    activation.getState().setTag('04A224B2C33F80');
    expect(await activation.getState().submit()).toBe(true);
    expect(activation.getState().lines[0]?.text).toBe('Anonymous customer (new anonymous customer) · Ticket BO-1 (Weekend) · Wristband 04:A2:24:B2:C3:3F:80');
  });

  it('replace mode: the first tag is the lost one, the second the new one', async () => {
    const host = createFakeHost({ 'tags.replace': () => ok({ customerId: 'c-1', tagId: 'tg-2', replacedTagIds: ['tg-1'] }), 'customers.card': () => ok(cardFixture()) });
    const activation = createActivationStore(host.client);
    activation.getState().setMode('replace');
    await activation.getState().presentTicket('BO-1');
    await activation.getState().presentTag('04A224B2C33F80');
    expect(activation.getState().oldTag).toBe('04A224B2C33F80');
    await activation.getState().presentTag('04E2E0C0FFEE77');
    expect(host.callsTo('tags.replace')).toEqual([{ oldUid: '04A224B2C33F80', newUid: '04E2E0C0FFEE77' }]);
    expect(activation.getState().lines[0]).toMatchObject({ ok: true, mode: 'replace', text: 'Anna Berg · Wristband 04:A2:24:B2:C3:3F:80 replaced by 04:E2:E0:C0:FF:EE:77' });
    expect(activation.getState()).toMatchObject({ oldTag: '', tag: '' });
  });
});

describe('check-in store: the host decides reader scans', () => {
  const mode = (gateId: string | null, direction: 'entry' | 'exit', active = true) => ({ active, gateId, direction });

  it('entering check-in puts the station in check-in mode at the gate and direction, and shows the latest verdict', async () => {
    const host = createFakeHost({
      'gates.list': () => ok({ gates }),
      'station.setCheckinMode': (input) => ok(input),
      'checkin.latestVerdict': () => ok({ verdict: verdict({ scanId: 's-7', code: '04A224B2', message: 'Admitted: Wristband 04:A2:24:B2 (Weekend)' }) }),
    });
    const checkin = createCheckinStore(host.client);
    await checkin.getState().enterCheckin();
    expect(host.callsTo('station.setCheckinMode')).toEqual([mode('g-main', 'entry')]);
    expect(checkin.getState()).toMatchObject({ stationMode: mode('g-main', 'entry'), display: { scanId: 's-7', tone: 'admit' } });

    await checkin.getState().leaveCheckin();
    expect(host.callsTo('station.setCheckinMode').at(-1)).toEqual(mode(null, 'entry', false));
    // Outside check-in, a direction change is only a preference.
    checkin.getState().setDirection('exit');
    expect(host.callsTo('station.setCheckinMode')).toHaveLength(2);
  });

  it('clears the verdict shown when the direction (F2) or the gate changes, and moves the station with it', async () => {
    const host = createFakeHost({
      'gates.list': () => ok({ gates }),
      'station.setCheckinMode': (input) => ok(input),
      'checkin.latestVerdict': () => ok({ verdict: null }),
      'checkin.scan': () => ok(verdict()),
      'checkin.counts': () => ok(counts),
    });
    const checkin = createCheckinStore(host.client);
    await checkin.getState().enterCheckin();
    await checkin.getState().scan('TCK-1');
    expect(checkin.getState().display?.headline).toBe('ADMIT');
    checkin.getState().setDirection('exit');
    expect(checkin.getState().display).toBeNull();
    await settle();
    expect(host.callsTo('station.setCheckinMode').at(-1)).toEqual(mode('g-main', 'exit'));
    host.answer('checkin.scan', () => ok(verdict({ scanId: 's-2', direction: 'exit' })));
    await checkin.getState().scan('TCK-1');
    checkin.getState().selectGate('g-north');
    expect(checkin.getState().display).toBeNull();
    await settle();
    expect(host.callsTo('station.setCheckinMode').at(-1)).toEqual(mode('g-north', 'exit'));
  });

  it('shows the verdicts the host publishes, each once, never an older one over a newer one', async () => {
    const host = createFakeHost({ 'checkin.scan': () => ok(verdict({ scanId: 's-5' })), 'checkin.counts': () => ok(counts) });
    const checkin = createCheckinStore(host.client);
    host.client.emit({ type: 'checkin.verdict', verdict: verdict({ scanId: 's-3', code: '04A224B2', verdict: 'rejected', reason: 'banned', message: 'Wristband 04:A2:24:B2 is banned' }) });
    expect(checkin.getState().display).toMatchObject({ scanId: 's-3', tone: 'reject', message: 'Wristband 04:A2:24:B2 is banned' });
    // A keyboard scan here: its answer and its event are the same verdict, shown once (one sound).
    await checkin.getState().scan('TCK-1');
    const shown = checkin.getState().display;
    host.client.emit({ type: 'checkin.verdict', verdict: verdict({ scanId: 's-5' }) });
    host.client.emit({ type: 'checkin.verdict', verdict: verdict({ scanId: 's-4', verdict: 'rejected', reason: 'banned', message: 'older' }) });
    expect(checkin.getState().display).toBe(shown);
  });

  it('says a reader scan the host could not record was not recorded, on the check-in screen', async () => {
    const host = createFakeHost({ 'gates.list': () => ok({ gates }), 'station.setCheckinMode': (input) => ok(input), 'checkin.latestVerdict': () => ok({ verdict: null }) });
    const checkin = createCheckinStore(host.client);
    host.client.emit({ type: 'checkin.notRecorded', code: '04A224B2', message: 'Something went wrong inside Box Office; the change was not saved.' });
    expect(checkin.getState().display).toBeNull();
    await checkin.getState().enterCheckin();
    host.client.emit({ type: 'checkin.notRecorded', code: '04A224B2', message: 'Something went wrong inside Box Office; the change was not saved.' });
    expect(checkin.getState().display).toMatchObject({ tone: 'error', headline: 'NOT RECORDED', credential: '04A224B2' });
  });

  it('follows the station mode another window sets, and reports a refusal to enter check-in mode', async () => {
    const host = createFakeHost({ 'gates.list': () => ok({ gates }), 'checkin.latestVerdict': () => ok({ verdict: null }) });
    host.answer('station.setCheckinMode', () => ({ ok: false, error: { code: 'VALIDATION', message: 'The chosen gate is not a gate of Summer Festival: choose another gate', field: 'gateId' } }));
    const checkin = createCheckinStore(host.client);
    await checkin.getState().enterCheckin();
    expect(checkin.getState().modeError?.message).toBe('The chosen gate is not a gate of Summer Festival: choose another gate');
    host.client.emit({ type: 'station.checkinMode', mode: mode(null, 'entry', false) });
    expect(checkin.getState().stationMode).toEqual(mode(null, 'entry', false));
  });
});
