import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protocolHeader, protocolVersion } from '../../sync/protocol.ts';
import { freshServerDatabase, serverStoreKinds, type TestServerDatabase } from '../../test/fixtures/server-database.ts';
import { leakedSecrets } from '../../test/fixtures/secrets.ts';
import { buildServerApp } from './app.ts';

/**
 * The /admin routes box-office-server calls while the server runs: only the admin token opens
 * them; bad input is refused naming the field and changes nothing.
 */
const clock = { now: () => new Date('2026-07-01T09:00:00.000Z') };
const adminToken = 'admin-token-of-this-test-0123456789abcdef';

describe.each(serverStoreKinds)('the admin routes on %s', (kind) => {
  let server: TestServerDatabase;
  let app: Awaited<ReturnType<typeof buildServerApp>>;

  // Opening PGlite takes seconds, several on a loaded machine: a bound, not a timing goal.
  beforeAll(async () => {
    server = await freshServerDatabase(kind);
    app = await buildServerApp({ db: server.db, clock, logger: pino({ level: 'silent' }), adminToken });
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await server.drop();
  });

  const headers = (token?: string) => ({ [protocolHeader]: String(protocolVersion), ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) });
  const admin = (method: 'GET' | 'POST', url: string, payload?: object) => app.inject({ method, url, headers: headers(adminToken), ...(payload ? { payload } : {}) });

  it('refuse a request without the admin token, or with another token, with 401', async () => {
    const missing = await app.inject({ method: 'GET', url: '/admin/devices', headers: headers() });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toEqual({ error: { code: 'unauthenticated', message: expect.stringMatching(/admin token/) } });
    const wrong = await app.inject({ method: 'POST', url: '/admin/events', headers: headers('not-the-admin-token'), payload: { name: 'Intruders' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.message).toMatch(/not the admin token/);
    // A device's token is not an admin token either.
    const { code } = (await admin('POST', '/admin/enrol-codes', { role: 'admin' })).json();
    const enrolled = (await app.inject({ method: 'POST', url: '/enrol', headers: headers(), payload: { code } })).json();
    expect((await app.inject({ method: 'GET', url: '/admin/status', headers: headers(enrolled.token) })).statusCode).toBe(401);
    expect(await server.db.selectFrom('events').select('id').execute()).toEqual([]);
  });

  it('answer nobody when the server has no admin token', async () => {
    const closed = await buildServerApp({ db: server.db, clock, logger: pino({ level: 'silent' }) });
    expect((await closed.inject({ method: 'GET', url: '/admin/status', headers: headers('') })).statusCode).toBe(401);
    expect((await closed.inject({ method: 'GET', url: '/admin/status', headers: headers('anything') })).statusCode).toBe(401);
    await closed.close();
  });

  it('create and list events, refusing bad input by its field', async () => {
    const event = { name: 'Harbour Days', startsAt: '2026-08-01T10:00:00+02:00', endsAt: '2026-08-02T23:00:00+02:00', timeZone: 'Europe/Amsterdam', currency: 'eur' };
    const badZone = await admin('POST', '/admin/events', { ...event, timeZone: 'Mars/Olympus' });
    expect(badZone.statusCode).toBe(400);
    expect(badZone.json().error).toMatchObject({ code: 'validation', field: 'timeZone', message: 'Time zone must be an IANA name such as Europe/Amsterdam or UTC' });
    const backwards = await admin('POST', '/admin/events', { ...event, endsAt: '2026-07-31T10:00:00Z' });
    expect(backwards.json().error).toMatchObject({ field: 'endsAt', message: 'Ends at must be after the start' });
    expect((await admin('GET', '/admin/events')).json()).toEqual({ events: [] });

    const created = await admin('POST', '/admin/events', event);
    expect(created.statusCode).toBe(200);
    const { id } = created.json();
    expect((await admin('GET', '/admin/events')).json().events).toEqual([
      { id, name: 'Harbour Days', startsAt: '2026-08-01T08:00:00.000Z', endsAt: '2026-08-02T21:00:00.000Z', timeZone: 'Europe/Amsterdam', currency: 'EUR', createdAt: clock.now().toISOString() },
    ]);
    // The event's row is stamped with its scope's version, as a pushed one would be.
    const row = await server.db.selectFrom('events').select('server_version').where('id', '=', id).executeTakeFirstOrThrow();
    expect(Number(row.server_version)).toBeGreaterThan(0);
  });

  it('add operators with a hashed PIN, refusing a name taken in any case', async () => {
    const added = await admin('POST', '/admin/operators', { name: 'Nadia', role: 'supervisor', pin: '4821' });
    expect(added.json()).toMatchObject({ name: 'Nadia', role: 'supervisor' });
    const again = await admin('POST', '/admin/operators', { name: ' NADIA ', role: 'steward', pin: '1111' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toEqual({ code: 'conflict', message: 'An operator named NADIA exists already', field: 'name' });
    const shortPin = await admin('POST', '/admin/operators', { name: 'Olu', role: 'steward', pin: '12' });
    expect(shortPin.json().error).toMatchObject({ field: 'pin', message: 'PIN must be 4 to 12 digits' });
    expect((await admin('GET', '/admin/operators')).json().operators.map((operator: { name: string }) => operator.name)).toEqual(['Nadia']);
    const row = await server.db.selectFrom('operators').select(['name_key', 'pin_hash']).executeTakeFirstOrThrow();
    expect(row.name_key).toBe('nadia');
    expect(row.pin_hash).toMatch(/^scrypt\$/);
    expect(leakedSecrets(row.pin_hash, ['4821'])).toEqual([]);
  });

  it('make enrolment codes, list and revoke the devices enrolled with them, and report conflicts in the status', async () => {
    const badExpiry = await admin('POST', '/admin/enrol-codes', { role: 'gate', expires: '3 weeks' });
    expect(badExpiry.json().error).toMatchObject({ field: 'expires', message: 'Expires must be a duration in minutes, hours or days, such as 30m, 24h or 7d' });
    const unknownEvent = await admin('POST', '/admin/enrol-codes', { role: 'gate', eventId: 'no-such-event' });
    expect(unknownEvent.statusCode).toBe(404);

    const issued = (await admin('POST', '/admin/enrol-codes', { role: 'gate', expires: '30m' })).json();
    expect(issued.expiresAt).toBe('2026-07-01T09:30:00.000Z');
    const enrolled = (await app.inject({ method: 'POST', url: '/enrol', headers: headers(), payload: { code: issued.code, name: 'Gate North' } })).json();
    const { devices } = (await admin('GET', '/admin/devices')).json();
    const gate = devices.find((device: { id: string }) => device.id === enrolled.deviceId);
    expect(gate).toMatchObject({ name: 'Gate North', role: 'gate', shortCode: enrolled.shortCode, lastSeq: 0, revokedAt: null });
    expect(JSON.stringify(devices)).not.toMatch(/token/i);

    await server.db
      .insertInto('receipts')
      .values({
        envelope_id: 'env-1',
        device_id: enrolled.deviceId,
        seq: 1,
        name: 'tags.activate',
        version: 1,
        event_id: null,
        operator: 'Nadia',
        hlc: 'hlc',
        at: clock.now().toISOString(),
        args: '{}',
        status: 'rejected',
        code: 'conflict',
        message: 'This tag belongs to another customer',
        field: null,
        conflicts: null,
        received_at: clock.now().toISOString(),
      })
      .execute();
    const status = (await admin('GET', '/admin/status')).json();
    expect(status.devices.map((device: { shortCode: string }) => device.shortCode)).toContain(enrolled.shortCode);
    expect(status.conflicts).toEqual({
      count: 1,
      latest: [{ envelopeId: 'env-1', deviceShortCode: enrolled.shortCode, command: 'tags.activate', operator: 'Nadia', status: 'rejected', code: 'conflict', message: 'This tag belongs to another customer', receivedAt: clock.now().toISOString() }],
    });

    const revoked = await admin('POST', `/admin/devices/${enrolled.deviceId}/revoke`);
    expect(revoked.json()).toMatchObject({ id: enrolled.deviceId, revokedAt: clock.now().toISOString() });
    const push = await app.inject({ method: 'POST', url: '/push', headers: headers(enrolled.token), payload: { envelopes: [] } });
    expect(push.statusCode).toBe(401);
    expect((await admin('POST', '/admin/devices/nobody/revoke')).json().error).toMatchObject({ code: 'not_found', field: 'id' });
  });
});
