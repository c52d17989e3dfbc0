import { describe, expect, it } from 'vitest';
import type { Route } from '../routing/hash-route.ts';
import { createFakeHost, ok, settle } from '../test-support/fake-host.ts';
import { createCredentialScans } from './credential-scans.ts';
import { createDevicesStore } from './devices-store.ts';

function setup(route: Route = { screen: 'customers' }) {
  const host = createFakeHost({ 'customers.resolve': (input) => (input as { key: string }).key === 'BO-1' || (input as { key: string }).key === '04A224B2C33F80' ? ok({ customerId: 'c-1', matchedBy: 'ticket' }) : { ok: false, error: { code: 'NOT_FOUND', message: `No customer id, e-mail, ticket reference or tag UID matches "${(input as { key: string }).key}"`, field: 'key' } } });
  const opened: string[] = [];
  let current = route;
  const scans = createCredentialScans(host.client, { currentRoute: () => current, openCustomer: (id) => opened.push(id) });
  return { host, scans, opened, go: (next: Route) => (current = next) };
}

const tagEvent = (uid: string) => ({ type: 'reader', event: { type: 'tagPresented', readerId: 'r', uid, atqa: '0044', sak: '00', kind: 'ntag', randomUid: false } }) as const;

describe('credential scans', () => {
  it('a presented tag on the customer screens opens its holder’s card', async () => {
    const { host, opened } = setup();
    host.client.emit(tagEvent('04A224B2C33F80'));
    await settle();
    expect(host.callsTo('customers.resolve')).toEqual([{ key: '04A224B2C33F80' }]);
    expect(opened).toEqual(['c-1']);
  });

  it('an unknown code shows the host’s message and opens nothing', async () => {
    const { scans, opened } = setup({ screen: 'customer', customerId: 'c-9' });
    await scans.getState().handle({ kind: 'barcode', value: 'NOPE', source: 'keyboard' });
    expect(opened).toEqual([]);
    expect(scans.getState().notice).toEqual({ tone: 'error', message: 'No customer id, e-mail, ticket reference or tag UID matches "NOPE"' });
    scans.getState().dismissNotice();
    expect(scans.getState().notice).toBeNull();
  });

  it('does nothing outside the customer screens', async () => {
    const { host, scans, opened } = setup({ screen: 'devices' });
    await scans.getState().handle({ kind: 'barcode', value: 'BO-1', source: 'reader' });
    expect(host.calls).toEqual([]);
    expect(opened).toEqual([]);
  });

  it('a claiming dialog gets the tags, barcodes it does not take are ignored, and releasing restores routing', async () => {
    const { host, scans, opened } = setup();
    const tags: string[] = [];
    const release = scans.getState().claim({ tag: (scan) => tags.push(scan.value) });
    host.client.emit(tagEvent('04A224B2C33F80'));
    await scans.getState().handle({ kind: 'barcode', value: 'BO-1', source: 'keyboard' });
    await settle();
    expect(tags).toEqual(['04A224B2C33F80']);
    expect(opened).toEqual([]);
    release();
    await scans.getState().handle({ kind: 'barcode', value: 'BO-1', source: 'keyboard' });
    expect(opened).toEqual(['c-1']);
  });
});

describe('devices store', () => {
  const reader = {
    id: 'r-1',
    name: 'Sim',
    driver: 'simulated',
    path: null,
    usbId: null,
    options: {},
    createdAt: '2026-06-01T10:00:00.000Z',
    status: { readerId: 'r-1', state: 'connecting', reason: null, since: '2026-06-01T10:00:00.000Z' },
    lastEvent: null,
    lastEventAt: null,
  } as const;

  it('loads readers and follows status and read events; a test read keeps the next event', async () => {
    const host = createFakeHost({ 'readers.list': () => ok({ readers: [reader], drivers: [], running: true }) });
    const devices = createDevicesStore(host.client, () => '2026-06-01T10:05:00.000Z');
    await devices.getState().load();
    devices.getState().startTestRead('r-1');
    host.client.emit({ type: 'reader.status', status: { readerId: 'r-1', state: 'connected', reason: null, since: '2026-06-01T10:01:00.000Z' } });
    host.client.emit(tagEvent('04A224B2'));
    host.client.emit({ type: 'reader', event: { type: 'barcodeScanned', readerId: 'r-1', text: 'BO-1', symbology: 'qr', source: 'simulated' } });
    const state = devices.getState();
    expect(state.readers[0]?.status.state).toBe('connected');
    // The tag came from another reader: the test read waits for this reader's own next event.
    expect(state.testRead).toEqual({ readerId: 'r-1', event: expect.objectContaining({ type: 'barcodeScanned', text: 'BO-1' }) });
    expect(state.readers[0]?.lastEvent).toMatchObject({ type: 'barcodeScanned', text: 'BO-1' });
    expect(state.readers[0]?.lastEventAt).toBe('2026-06-01T10:05:00.000Z');
  });

  it('keeps a status the host announced before a reply that lists the reader with an older one', async () => {
    // Seen under load in the check-in e2e: the reader connected while readers.add and
    // readers.list were being answered, and the replies' older "connecting" stayed on screen.
    const host = createFakeHost({ 'readers.list': () => ok({ readers: [reader], drivers: [], running: true }) });
    const devices = createDevicesStore(host.client);
    const adding = host.hold('readers.add');
    const added = devices.getState().add({ driver: 'simulated', name: 'Sim' });
    await adding.started;
    host.client.emit({ type: 'reader.status', status: { readerId: 'r-1', state: 'connected', reason: null, since: '2026-06-01T10:00:00.500Z' } });
    adding.resolve(ok(reader));
    expect(await added).toBe(true);
    expect(devices.getState().readers.map((shown) => shown.status.state)).toEqual(['connected']);
    // A later status still replaces it.
    host.client.emit({ type: 'reader.status', status: { readerId: 'r-1', state: 'disconnected', reason: 'Unplugged', since: '2026-06-01T10:02:00.000Z' } });
    expect(devices.getState().readers[0]?.status.state).toBe('disconnected');
  });

  it('keeps the host’s error for the add form, and removes a reader', async () => {
    const host = createFakeHost({
      'readers.add': () => ({ ok: false, error: { code: 'VALIDATION', message: 'path: Give the device path or its USB id (VID:PID)', field: 'path' } }),
      'readers.list': () => ok({ readers: [reader], drivers: [], running: true }),
      'readers.remove': () => ok({ readerId: 'r-1' }),
    });
    const devices = createDevicesStore(host.client);
    expect(await devices.getState().add({ driver: 'serial-barcode', name: 'X' })).toBe(false);
    expect(devices.getState().errors.add).toMatchObject({ field: 'path' });
    await devices.getState().load();
    expect(await devices.getState().remove('r-1')).toBe(true);
    expect(devices.getState().readers).toEqual([]);
  });
});
