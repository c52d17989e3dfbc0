import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeOfOutboxRow } from '../../core/commands/command.ts';
import type { Envelope } from '../../core/commands/envelope.ts';
import { newId } from '../../core/ids.ts';
import { deviceId } from '../../core/terminal/state.ts';
import { sql } from '../../db/store.ts';
import { protocolHeader, protocolVersion, pushResponseSchema, type EnrolResponse } from '../../sync/protocol.ts';
import { checkinSetup } from '../../test/fixtures/checkin.ts';
import { loadRows } from '../../test/fixtures/postgres-mirror.ts';
import { syncedRowsToLoad } from '../../test/fixtures/synced-tables.ts';
import type { ServerDatabase } from '../db/database.ts';
import { freshServerDatabase, serverStoreKinds, type TestServerDatabase } from '../../test/fixtures/server-database.ts';
import { createEnrolmentCode } from '../devices/enrolment.ts';
import { buildServerApp } from '../http/app.ts';

/**
 * Push through the HTTP API on PGlite: a terminal's scans reach the server once, however often
 * they are sent; a gap stops the batch; a revoked device and an old protocol are refused.
 */
const clock = { now: () => new Date('2026-07-10T12:00:00.000Z') };

describe.each(serverStoreKinds)('push on %s', (kind) => {
  let db: ServerDatabase;
  let app: Awaited<ReturnType<typeof buildServerApp>>;
  let server: TestServerDatabase;

  beforeAll(async () => {
    server = await freshServerDatabase(kind);
    db = server.db;
    app = await buildServerApp({ db, clock, logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await app.close();
    await server.drop();
  });

  const headers = (token?: string) => ({ [protocolHeader]: String(protocolVersion), ...(token ? { authorization: `Bearer ${token}` } : {}) });

  async function terminalWithScans() {
    const setup = checkinSetup();
    const tickets = [setup.ticket(), setup.ticket()];
    // The server starts from the terminal's event (as if an admin terminal had pushed it).
    await loadRows(db, syncedRowsToLoad(setup.store.db));
    await db
      .insertInto('operators')
      .values({ id: 'op-1', name: 'operator-1', name_key: 'operator-1', role: 'admin', pin_hash: 'x', created_at: clock.now().toISOString(), updated_at: clock.now().toISOString(), server_version: null, deleted_at: null })
      .execute();
    for (const ticket of tickets) await setup.scan(ticket.reference);
    const envelopes: Envelope[] = setup.store.all(sql.selectFrom('outbox').selectAll().orderBy('seq')).map(envelopeOfOutboxRow);
    return { ...setup, envelopes };
  }

  async function enrol(role: 'gate' | 'admin', device: string): Promise<EnrolResponse> {
    const { code } = await createEnrolmentCode(db, clock, { role });
    const response = await app.inject({ method: 'POST', url: '/enrol', headers: headers(), payload: { code, deviceId: device } });
    expect(response.statusCode).toBe(200);
    return response.json();
  }


    it('applies a terminal’s scans once, answers a retry with the stored receipts, and stops at a gap', async () => {
      const terminal = await terminalWithScans();
      const enrolled = await enrol('admin', deviceId(terminal.store));
      expect(enrolled.deviceId).toBe(deviceId(terminal.store));

      const push = (envelopes: Envelope[]) => app.inject({ method: 'POST', url: '/push', headers: headers(enrolled.token), payload: { envelopes } });
      const first = await push(terminal.envelopes);
      expect(first.statusCode).toBe(200);
      const body = pushResponseSchema.parse(first.json());
      expect(body.receipts.map((receipt) => receipt.status)).toEqual(['applied', 'applied']);
      expect(body.lastSeq).toBe(2);
      const scans = await db.selectFrom('scans').select(['id', 'verdict', 'server_version']).orderBy('id').execute();
      expect(scans).toHaveLength(2);
      // One push, one version of the event: both scans carry it.
      expect(new Set(scans.map((scan) => scan.server_version)).size).toBe(1);

      const retry = pushResponseSchema.parse((await push(terminal.envelopes)).json());
      expect(retry.receipts).toEqual(body.receipts);
      expect(await db.selectFrom('scans').select('id').execute()).toHaveLength(2);

      const gapped = { ...terminal.envelopes[1]!, id: terminal.envelopes[1]!.id.replace(/.$/, '0'), seq: 5 };
      const gap = pushResponseSchema.parse((await push([gapped])).json());
      expect(gap).toMatchObject({ receipts: [], lastSeq: 2, gap: true });
    });

    it('keeps the commands around a rejected one, and stores each envelope’s receipt once, also when it comes twice in a batch', async () => {
      const terminal = await terminalWithScans();
      const enrolled = await enrol('admin', deviceId(terminal.store));
      const [first, second] = terminal.envelopes as [Envelope, Envelope];
      // A scan at a gate the server does not hold: its body is refused, after the first scan ran.
      const misplaced = { ...second, id: newId(), args: { ...(second.args as Record<string, unknown>), scanId: newId(), gateId: newId() } };
      const batch = [first, misplaced, { ...second, seq: 3 }, { ...first, seq: 4 }];
      const response = await app.inject({ method: 'POST', url: '/push', headers: headers(enrolled.token), payload: { envelopes: batch } });
      const body = pushResponseSchema.parse(response.json());
      expect(body.receipts.map((receipt) => receipt.status)).toEqual(['applied', 'rejected', 'applied', 'applied']);
      expect(body.receipts[1]).toMatchObject({ code: 'not_found', field: 'gateId' });
      expect(body.receipts[3]).toEqual({ ...body.receipts[0], seq: 4 });
      expect(body.lastSeq).toBe(4);
      const scans = await db.selectFrom('scans').select('id').execute();
      expect(scans.map((scan) => scan.id).sort()).toEqual([first, second].map((envelope) => (envelope.args as { scanId: string }).scanId).sort());
      const receipts = await db.selectFrom('receipts').select(['envelope_id', 'seq', 'status']).where('device_id', '=', enrolled.deviceId).orderBy('seq').execute();
      expect(receipts).toEqual([
        { envelope_id: first.id, seq: 1, status: 'applied' },
        { envelope_id: misplaced.id, seq: 2, status: 'rejected' },
        { envelope_id: second.id, seq: 3, status: 'applied' },
      ]);
    });

    it('refuses a command the device’s role may not run, as a receipt', async () => {
      const terminal = await terminalWithScans();
      const enrolled = await enrol('gate', deviceId(terminal.store));
      const response = await app.inject({ method: 'POST', url: '/push', headers: headers(enrolled.token), payload: { envelopes: [{ ...terminal.envelopes[0]!, name: 'orders.create' }] } });
      expect(response.statusCode).toBe(200);
      expect(response.json().receipts[0]).toMatchObject({ status: 'rejected', code: 'forbidden' });
    });

    it('refuses a missing token, a revoked device and an old protocol with a clear error', async () => {
      expect((await app.inject({ method: 'POST', url: '/push', headers: headers(), payload: { envelopes: [] } })).statusCode).toBe(401);
      const old = await app.inject({ method: 'POST', url: '/push', headers: { [protocolHeader]: '0' }, payload: { envelopes: [] } });
      expect(old.statusCode).toBe(426);
      expect(old.json().error).toMatchObject({ code: 'upgrade_required', message: expect.stringMatching(/Update Box Office on this terminal/) });
      const missing = await app.inject({ method: 'POST', url: '/push', payload: { envelopes: [] } });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.code).toBe('protocol_missing');
    });
});
