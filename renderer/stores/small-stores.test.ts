import { describe, expect, it } from 'vitest';
import { createElectronClient } from '../api/electron-client.ts';
import { pickClient } from '../api/pick-client.ts';
import { hrefFor, parseHash } from '../routing/hash-route.ts';
import { cardFixture, createFakeHost, ok } from '../test-support/fake-host.ts';
import { errorForField, errorOutsideFields, messageUnderField } from './action-error.ts';
import { draftOf, profileChanges } from './profile-draft.ts';
import { createThemeStore, themeStorageKey } from './theme-store.ts';
import { ticketTypeChoices } from './ticket-type-choices.ts';

function memoryStorage(initial: Record<string, string> = {}) {
  const map = new Map(Object.entries(initial));
  return { map, getItem: (key: string) => map.get(key) ?? null, setItem: (key: string, value: string) => void map.set(key, value) };
}

describe('theme store', () => {
  it('is dark by default and remembers the choice', () => {
    const storage = memoryStorage();
    const theme = createThemeStore(storage);
    expect(theme.getState().theme).toBe('dark');
    theme.getState().toggle();
    expect(theme.getState().theme).toBe('light');
    expect(storage.map.get(themeStorageKey)).toBe('light');
    expect(createThemeStore(storage).getState().theme).toBe('light');
  });

  it('survives a storage that throws or holds junk', () => {
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('full'); } };
    const theme = createThemeStore(broken);
    expect(theme.getState().theme).toBe('dark');
    theme.getState().toggle();
    expect(theme.getState().theme).toBe('light');
    expect(createThemeStore(memoryStorage({ [themeStorageKey]: 'purple' })).getState().theme).toBe('dark');
    expect(createThemeStore(undefined).getState().theme).toBe('dark');
  });
});

describe('hash routes', () => {
  it('reads the list and card routes', () => {
    expect(parseHash('')).toEqual({ screen: 'customers' });
    expect(parseHash('#/customers/')).toEqual({ screen: 'customers' });
    expect(parseHash('#/customers/019b-x')).toEqual({ screen: 'customer', customerId: '019b-x' });
    expect(parseHash('#/customers/a%2Fb')).toEqual({ screen: 'customer', customerId: 'a/b' });
    expect(parseHash('#/nowhere')).toEqual({ screen: 'not-found', hash: '#/nowhere' });
    expect(parseHash('#/customers/%E0%A4%A')).toEqual({ screen: 'not-found', hash: '#/customers/%E0%A4%A' });
  });

  it('writes routes that read back the same', () => {
    const route = { screen: 'customer' as const, customerId: 'a/b c' };
    expect(parseHash(hrefFor(route))).toEqual(route);
    expect(hrefFor({ screen: 'customers' })).toBe('#/customers');
  });
});

describe('errors placed on form fields', () => {
  const error = { code: 'VALIDATION' as const, message: 'email: Invalid email address', field: 'email' };

  it('shows a field\'s error under it, without the repeated field name', () => {
    expect(messageUnderField(error)).toBe('Invalid email address');
    expect(messageUnderField({ ...error, message: 'E-mail address: Invalid email address' })).toBe('Invalid email address');
    expect(messageUnderField({ code: 'VALIDATION', message: 'UID (item 2): Tag UID must be hex', field: 'items.1.uid' })).toBe('Tag UID must be hex');
    expect(errorForField(error, 'email')).toBe('Invalid email address');
    expect(errorForField(error, 'phone')).toBeUndefined();
    expect(errorForField({ code: 'NOT_FOUND', message: 'No ticket BO-9', field: 'references.1' }, 'references')).toBe('No ticket BO-9');
    expect(errorForField(undefined, 'email')).toBeUndefined();
  });

  it('shows an error naming no field of the form at the top of the form', () => {
    expect(errorOutsideFields(error, ['email', 'phone'])).toBeUndefined();
    expect(errorOutsideFields({ code: 'NOT_FOUND', message: 'No customer c-1', field: 'customerId' }, ['email'])).toBe('No customer c-1');
    expect(errorOutsideFields({ code: 'INTERNAL', message: 'Something went wrong' }, ['email'])).toBe('Something went wrong');
  });
});

describe('profile edit', () => {
  it('sends only the fields the user changed; an emptied field clears it', () => {
    const profile = cardFixture().profile;
    const draft = draftOf(profile);
    expect(profileChanges(profile, draft)).toEqual({});
    expect(profileChanges(profile, { ...draft, firstName: 'Anne', city: '', phone: ' ', verificationStatus: 'verified' })).toEqual({
      firstName: 'Anne',
      city: '',
      verificationStatus: 'verified',
    });
  });
});

describe('ticket types offered for a tag', () => {
  it('lists each ticket type of valid tickets and tags once, tickets first', () => {
    const base = cardFixture();
    const ticket = base.tickets[0];
    if (!ticket) throw new Error('fixture has a ticket');
    const card = {
      tickets: [
        ticket,
        { ...ticket, id: 't-2', ticketTypeId: 'tt-day', ticketType: 'Day', status: 'invalid' as const, invalidReason: 'refunded' as const },
        { ...ticket, id: 't-3' },
      ],
      tags: [
        { id: 'g-1', uid: '04A2', eventId: 'e-1', ticketTypeId: 'tt-vip', ticketType: 'VIP', active: true, banned: false, inactiveReason: null, createdAt: '2026-01-01T00:00:00.000Z',
          credentialStatus: { code: 'active', label: 'Active', tone: 'good' as const }, timeZone: 'Europe/Amsterdam' },
      ],
    };
    expect(ticketTypeChoices(card)).toEqual([
      { id: 'tt-weekend', name: 'Weekend' },
      { id: 'tt-vip', name: 'VIP' },
    ]);
    expect(ticketTypeChoices({ tickets: [], tags: [] })).toEqual([]);
    const event = (id: string, name: string, ticketTypes: { id: string; name: string }[]) => ({
      id, name, startsAt: null, endsAt: null, timeZone: 'UTC', currency: 'EUR', ticketTypes,
    });
    // The customer's own types first, then every other type of the events, named by event when there are several.
    expect(
      ticketTypeChoices(card, [
        event('e1', 'Summer', [{ id: 'tt-vip', name: 'VIP' }, { id: 'tt-day', name: 'Day' }]),
        event('e2', 'Winter', [{ id: 'tt-gala', name: 'Gala' }]),
      ]),
    ).toEqual([
      { id: 'tt-weekend', name: 'Weekend' },
      { id: 'tt-vip', name: 'VIP' },
      { id: 'tt-day', name: 'Day (Summer)' },
      { id: 'tt-gala', name: 'Gala (Winter)' },
    ]);
  });
});

describe('client choice', () => {
  it('uses the Electron bridge when the preload exposed one', async () => {
    const host = createFakeHost({ 'events.list': () => ok({ events: [] }) });
    const client = pickClient({ bridge: host.client, href: 'file:///app/index.html' });
    expect(client.connectionState()).toEqual({ kind: 'online' });
    expect(await client.invoke('events.list', {})).toEqual({ ok: true, value: { events: [] } });
    expect(host.callsTo('events.list')).toEqual([{}]);
  });

  it('the Electron client passes events through and never changes state', () => {
    const host = createFakeHost();
    const client = createElectronClient(host.client);
    const seen: unknown[] = [];
    const unsubscribe = client.subscribe((event) => seen.push(event));
    const event = { type: 'import.progress' as const, jobId: 'j', rowsRead: 0, imported: 0, updated: 0, unchanged: 0, rejected: 0, bytesRead: 0, bytesTotal: null, done: true };
    host.client.emit(event);
    unsubscribe();
    host.client.emit(event);
    expect(seen).toEqual([event]);
    const states: unknown[] = [];
    client.onConnectionState((state) => states.push(state))();
    client.reconnectNow();
    expect(states).toEqual([]);
  });
});
