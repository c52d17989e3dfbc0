import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../core/commands/envelope.ts';
import { nameKey } from '../../core/operators/operators.ts';
import type { Role } from '../../core/operators/roles.ts';
import { deviceId } from '../../core/terminal/state.ts';
import { sql, type Store } from '../../db/store.ts';
import { protocolHeader, protocolVersion, pushResponseSchema, type DeviceRole, type PushResponse } from '../../sync/protocol.ts';
import { checkinSetup } from '../../test/fixtures/checkin.ts';
import { expectOk } from '../../test/fixtures/commands.ts';
import { journalSetup } from '../../test/fixtures/journal.ts';
import { loadRows } from '../../test/fixtures/postgres-mirror.ts';
import { freshServerDatabase, serverStoreKinds, type TestServerDatabase } from '../../test/fixtures/server-database.ts';
import { syncedRowsToLoad } from '../../test/fixtures/synced-tables.ts';
import { otherTerminal, outboxEnvelopes } from '../../test/fixtures/terminals.ts';
import type { ServerDatabase } from '../db/database.ts';
import { createEnrolmentCode } from '../devices/enrolment.ts';
import { buildServerApp } from '../http/app.ts';

/**
 * DESIGN.md section 6's conflict rules, decided by the command bodies the server runs on push, each
 * with two or more terminals that started from one state and worked offline, pushed in both
 * arrival orders: two activations for one customer, one ticket admitted at two gates, the ledger
 * keyed by envelope, bans against everything, the roles a device and an operator need, and two
 * devices pushing to one event at once.
 */
const clock = { now: () => new Date('2026-07-11T18:00:00.000Z') };
const bothOrders = [
  ['in time order', false],
  ['the later first', true],
] as const;

describe.each(serverStoreKinds)('conflict rules on %s', (kind) => {
  let server: TestServerDatabase;
  let db: ServerDatabase;
  let app: Awaited<ReturnType<typeof buildServerApp>>;

  beforeAll(async () => {
    server = await freshServerDatabase(kind);
    db = server.db;
    app = await buildServerApp({ db, clock, logger: pino({ level: 'silent' }) });
    // PGlite's start and migrations take seconds of CPU; on a busy machine more than the default 10 s.
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await server.drop();
  });

  const headers = (token: string) => ({ [protocolHeader]: String(protocolVersion), authorization: `Bearer ${token}` });

  /** The server starts from the terminals' common state (as if pushed before), with these operators. */
  async function serverHolds(store: Store, operators: Record<string, Role>) {
    await loadRows(db, syncedRowsToLoad(store.db));
    const at = clock.now().toISOString();
    await db
      .insertInto('operators')
      .values(Object.entries(operators).map(([name, role]) => ({ id: `op-${name}`, name, name_key: nameKey(name), role, pin_hash: 'x', created_at: at, updated_at: at, server_version: null, deleted_at: null })))
      .execute();
  }

  /** Enrols the terminal of `store` in `role`; its pushes, through the HTTP API. */
  async function enrolled(store: Store, role: DeviceRole) {
    const { code } = await createEnrolmentCode(db, clock, { role });
    const response = await app.inject({ method: 'POST', url: '/enrol', headers: { [protocolHeader]: String(protocolVersion) }, payload: { code, deviceId: deviceId(store) } });
    expect(response.statusCode).toBe(200);
    const { token } = response.json() as { token: string };
    return async (envelopes: readonly Envelope[] = outboxEnvelopes(store)): Promise<PushResponse> => {
      const pushed = await app.inject({ method: 'POST', url: '/push', headers: headers(token), payload: { envelopes } });
      expect(pushed.statusCode).toBe(200);
      return pushResponseSchema.parse(pushed.json());
    };
  }

  const alerts = () => db.selectFrom('alerts').select(['kind', 'entity', 'entity_id', 'device_id', 'event_id', 'server_version']).orderBy('id').execute();

  describe('two activations for one customer', () => {
    it.each(bothOrders)('the later by HLC wins, received %s; the command that met the other is applied with a conflict and alerts', async (_order, laterFirst) => {
      const a = checkinSetup();
      const first = a.ticket();
      const second = a.ticket();
      const b = otherTerminal(a.store, { clockStart: '2026-06-01T10:00:30.000Z', operator: 'operator-2', role: 'box_office' });
      await serverHolds(a.store, { 'operator-1': 'admin', 'operator-2': 'box_office' });
      const onA = expectOk(await a.core.invoke('tags.activateForTicket', { ticketReference: first.reference, uid: '04A1A1A1' }));
      const onB = expectOk(await b.core.invoke('tags.activateForTicket', { ticketReference: second.reference, uid: '04B2B2B2' }));
      const pushA = await enrolled(a.store, 'box_office');
      const pushB = await enrolled(b.store, 'box_office');

      const [earlier, later] = laterFirst ? [await pushB(), await pushA()] : [await pushA(), await pushB()];
      expect(earlier.receipts).toMatchObject([{ status: 'applied' }]);
      expect(later.receipts).toMatchObject([{ status: 'applied_with_conflict', conflicts: [{ kind: 'tag_replaced', entity: 'tag', entityId: onA.tagId }] }]);
      expect(later.receipts[0]!.conflicts![0]!.message).toMatch(/04A1A1A1 and 04B2B2B2 were activated for one customer on two terminals at once: 04B2B2B2, activated later, is the active one/);

      const tags = await db.selectFrom('tags').select(['id', 'active', 'inactive_reason', 'server_version']).orderBy('id').execute();
      expect(tags.map(({ server_version: _version, ...tag }) => tag)).toEqual([
        { id: onA.tagId, active: 0, inactive_reason: 'replaced' },
        { id: onB.tagId, active: 1, inactive_reason: null },
      ]);
      const version = Math.max(...tags.map((tag) => Number(tag.server_version)));
      // The alert reaches every terminal of the event by pull: stamped with the event's version of the push that raised it.
      expect(await alerts()).toEqual([
        { kind: 'tag_replaced', entity: 'tag', entity_id: onA.tagId, device_id: deviceId((laterFirst ? a : b).store), event_id: a.eventId, server_version: version },
      ]);
      const receipt = await db.selectFrom('receipts').select(['status', 'conflicts']).where('envelope_id', '=', outboxEnvelopes((laterFirst ? a : b).store)[0]!.id).executeTakeFirstOrThrow();
      expect(receipt.status).toBe('applied_with_conflict');
    });
  });

  describe('one ticket admitted at two offline gates', () => {
    it.each(bothOrders)('keeps both scans, flags the later, alerts once and derives presence from the merged scans, received %s', async (_order, laterFirst) => {
      const a = checkinSetup();
      const ticket = a.ticket();
      const b = otherTerminal(a.store, { clockStart: '2026-07-11T10:05:00.000Z', operator: 'steward-2', role: 'steward' });
      await serverHolds(a.store, { 'operator-1': 'admin', 'steward-2': 'steward' });
      const early = await a.scan(ticket.reference, { at: '2026-07-11T10:00:00.000Z' });
      const late = expectOk(await b.core.invoke('checkin.scan', { code: ticket.reference, gateId: a.gates.vip, direction: 'entry' }));
      const pushA = await enrolled(a.store, 'gate');
      const pushB = await enrolled(b.store, 'gate');

      const [received, arriving] = laterFirst ? [await pushB(), await pushA()] : [await pushA(), await pushB()];
      expect(received.receipts).toMatchObject([{ status: 'applied' }]);
      // The push that made the situation, whichever scan it carried.
      expect(arriving.receipts).toMatchObject([{ status: 'applied_with_conflict', conflicts: [{ kind: 'double_admission', entity: 'scan', entityId: late.scanId }] }]);

      expect(await db.selectFrom('scans').select(['id', 'verdict', 'double_admission']).orderBy('scanned_at').execute()).toEqual([
        { id: early.scanId, verdict: 'admitted', double_admission: 0 },
        { id: late.scanId, verdict: 'admitted', double_admission: 1 },
      ]);
      expect(await db.selectFrom('tickets').select(['entry_count', 'inside_since', 'inside_gate_id', 'first_scan_at']).where('id', '=', ticket.id).executeTakeFirstOrThrow()).toEqual({
        entry_count: 2,
        inside_since: '2026-07-11T10:05:00.000Z',
        inside_gate_id: a.gates.vip,
        first_scan_at: '2026-07-11T10:00:00.000Z',
      });
      expect(await alerts()).toMatchObject([{ kind: 'double_admission', entity_id: late.scanId, device_id: deviceId((laterFirst ? a : b).store), event_id: a.eventId }]);
    });
  });

  describe('the ledger, keyed by envelope id', () => {
    it('credits once, whether the push is retried or the same envelope comes again under a new seq', async () => {
      const setup = journalSetup();
      await serverHolds(setup.store, { 'operator-1': 'admin' });
      expectOk(await setup.core.invoke('orders.create', { customerId: setup.anna, items: [{ catalogItemId: 'item-credit', quantity: 2 }], amountPaid: 5000 }));
      const [sale] = outboxEnvelopes(setup.store);
      const push = await enrolled(setup.store, 'box_office');
      const ledger = () => db.selectFrom('ledger_entries').select(['id', 'customer_id', 'kind', 'amount', 'command_id']).execute();

      const first = await push([sale!]);
      expect(first.receipts).toMatchObject([{ id: sale!.id, seq: 1, status: 'applied' }]);
      // The server's entry is the terminal's: its id derived from the envelope.
      const onTerminal = setup.store.all(sql.selectFrom('ledger_entries').select(['id', 'customer_id', 'kind', 'amount', 'command_id']));
      expect(onTerminal).toEqual([{ id: expect.any(String), customer_id: setup.anna, kind: 'credit', amount: 5000, command_id: sale!.id }]);
      expect(await ledger()).toEqual(onTerminal);

      expect(await push([sale!])).toEqual(first);
      const renumbered = await push([{ ...sale!, seq: 2 }]);
      expect(renumbered).toMatchObject({ receipts: [{ id: sale!.id, seq: 2, status: 'applied' }], lastSeq: 2 });
      expect(await ledger()).toEqual(onTerminal);
    });
  });

  describe('a ban stands until an explicit unban', () => {
    type Fixture = ReturnType<typeof journalSetup>;
    const tagId = (setup: Fixture, uid: string) => setup.store.first(sql.selectFrom('tags').select('id').where('uid', '=', uid))!.id;
    const ticketId = (setup: Fixture, reference: string) => setup.store.first(sql.selectFrom('tickets').select('id').where('reference', '=', reference))!.id;
    const cases = [
      {
        against: 'a wristband exchange for the banned ticket',
        ban: (setup: Fixture) => ({ operation: 'tickets.setBanned' as const, entity: 'tickets' as const, id: ticketId(setup, 'TCK-1') }),
        other: (_setup: Fixture) => ['tags.activateForTicket', { ticketReference: 'TCK-1', uid: '04A224B2C33F80' }] as const,
        refusedAfterBan: true,
      },
      {
        against: 'the banned ticket assigned to someone else',
        // TCK-4 has no holder yet: Bram may be given it.
        ban: (setup: Fixture) => ({ operation: 'tickets.setBanned' as const, entity: 'tickets' as const, id: ticketId(setup, 'TCK-4') }),
        other: (setup: Fixture) => ['tickets.assign', { customerId: setup.pools.customers[1]!, references: ['TCK-4'] }] as const,
        // An edit a banned ticket allows: it applies, and leaves the ban alone.
        refusedAfterBan: false,
      },
      {
        against: '"Make active" of the banned wristband',
        ban: (setup: Fixture) => ({ operation: 'tags.setBanned' as const, entity: 'tags' as const, id: tagId(setup, '04F77907188F85') }),
        other: (setup: Fixture) => ['tags.makeActive', { tagId: tagId(setup, '04F77907188F85') }] as const,
        refusedAfterBan: true,
      },
      {
        against: 'a replacement of the banned wristband',
        ban: (setup: Fixture) => ({ operation: 'tags.setBanned' as const, entity: 'tags' as const, id: tagId(setup, '04E668F6077F84') }),
        other: (_setup: Fixture) => ['tags.replace', { oldUid: '04E668F6077F84', newUid: '04B335C3D44F81' }] as const,
        refusedAfterBan: true,
      },
    ];

    for (const { against, ban, other, refusedAfterBan } of cases) {
      it.each(bothOrders)(`against ${against}, received %s`, async (_order, banLast) => {
        const a = journalSetup();
        const b = otherTerminal(a.store, { clockStart: '2026-06-01T10:00:30.000Z', operator: 'operator-2', role: 'box_office' });
        await serverHolds(a.store, { 'operator-1': 'admin', 'operator-2': 'box_office' });
        const banned = ban(a);
        const field = banned.entity === 'tickets' ? 'ticketId' : 'tagId';
        expectOk(await a.core.invoke(banned.operation, { [field]: banned.id, banned: true } as never));
        // Ids are the same on both terminals: B works on its copy of A's state.
        const [operation, input] = other(a);
        expectOk(await b.core.invoke(operation, input as never));
        const pushA = await enrolled(a.store, 'supervisor');
        const pushB = await enrolled(b.store, 'box_office');

        const byB = banLast ? await pushB() : undefined;
        const byA = await pushA();
        const afterBan = byB ?? (await pushB());
        expect(byA.receipts).toMatchObject([{ status: 'applied' }]);
        // Run after the ban, an exchange or activation is refused (the ban names itself); before it, it applies and the ban follows.
        const refused = !banLast && refusedAfterBan;
        expect(afterBan.receipts[0]!.status).toBe(refused ? 'rejected' : 'applied');
        if (refused) expect(afterBan.receipts[0]).toMatchObject({ code: 'conflict', message: expect.stringMatching(/banned/) });
        const flag = () => db.selectFrom(banned.entity).select('banned').where('id', '=', banned.id).executeTakeFirstOrThrow();
        expect(await flag()).toEqual({ banned: 1 });

        // Only an explicit unban clears it.
        expectOk(await a.core.invoke(banned.operation, { [field]: banned.id, banned: false } as never));
        expect((await pushA()).receipts.at(-1)).toMatchObject({ status: 'applied' });
        expect(await flag()).toEqual({ banned: 0 });
      });
    }
  });

  describe('roles', () => {
    it("refuses what the device's role or the envelope's operator may not run, as receipts", async () => {
      const a = journalSetup();
      const steward = otherTerminal(a.store, { clockStart: '2026-06-01T10:00:30.000Z', operator: 'steward-1', role: 'supervisor' });
      const stranger = otherTerminal(a.store, { clockStart: '2026-06-01T10:00:30.000Z', operator: 'nobody', role: 'admin' });
      await serverHolds(a.store, { 'operator-1': 'admin', 'steward-1': 'steward' });
      expectOk(await a.core.invoke('tags.activateForTicket', { ticketReference: 'TCK-4', uid: '04A224B2C33F80' }));
      const tagOfAnna = a.store.first(sql.selectFrom('tags').select('id').where('uid', '=', '04E668F6077F84'))!.id;
      expectOk(await steward.core.invoke('tags.setBanned', { tagId: tagOfAnna, banned: true }));
      expectOk(await stranger.core.invoke('tickets.setRedeemed', { ticketId: a.store.first(sql.selectFrom('tickets').select('id').where('reference', '=', 'TCK-2'))!.id, redeemed: true }));

      const asGate = await (await enrolled(a.store, 'gate'))();
      expect(asGate.receipts).toMatchObject([{ status: 'rejected', code: 'forbidden', message: 'A gate terminal may not run tags.activateForTicket' }]);
      const bySteward = await (await enrolled(steward.store, 'supervisor'))();
      expect(bySteward.receipts).toMatchObject([{ status: 'rejected', code: 'forbidden', message: 'steward-1 (steward) may not run tags.setBanned' }]);
      const byStranger = await (await enrolled(stranger.store, 'admin'))();
      expect(byStranger.receipts).toMatchObject([{ status: 'rejected', code: 'forbidden', message: 'nobody is not an operator of this server' }]);
      expect(await db.selectFrom('tags').select('banned').where('id', '=', tagOfAnna).executeTakeFirstOrThrow()).toEqual({ banned: 0 });
    });
  });

  describe('serialisation on the event_versions row', () => {
    it('two gates pushing to one event at once: one version per push, gap-free, no lost update', async () => {
      const a = checkinSetup();
      const tickets = Array.from({ length: 5 }, () => a.ticket());
      const b = otherTerminal(a.store, { clockStart: '2026-07-11T11:00:00.000Z', operator: 'steward-2', role: 'steward' });
      await serverHolds(a.store, { 'operator-1': 'admin', 'steward-2': 'steward' });
      a.setTime('2026-07-11T10:00:00.000Z');
      for (const ticket of tickets) {
        await a.scan(ticket.reference);
        expectOk(await b.core.invoke('checkin.scan', { code: ticket.reference, gateId: a.gates.vip, direction: 'entry' }));
      }
      const pushA = await enrolled(a.store, 'gate');
      const pushB = await enrolled(b.store, 'gate');
      const before = await db.selectFrom('event_versions').select('version').where('scope', '=', a.eventId).executeTakeFirst();

      const [fromA, fromB] = await Promise.all([pushA(), pushB()]);
      expect([...fromA.receipts, ...fromB.receipts].every((receipt) => receipt.status !== 'rejected')).toBe(true);
      // Whichever push committed second met the other's scans: five double admissions, one per ticket.
      expect([...fromA.receipts, ...fromB.receipts].filter((receipt) => receipt.status === 'applied_with_conflict')).toHaveLength(5);

      const scans = await db.selectFrom('scans').select(['device_id', 'server_version']).execute();
      const versionsOf = (device: string) => new Set(scans.filter((scan) => scan.device_id === device).map((scan) => Number(scan.server_version)));
      const [versionA, versionB] = [versionsOf(deviceId(a.store)), versionsOf(deviceId(b.store))];
      expect([versionA.size, versionB.size]).toEqual([1, 1]);
      const start = Number(before?.version ?? 0);
      expect([...versionA, ...versionB].sort((x, y) => x - y)).toEqual([start + 1, start + 2]);
      const after = await db.selectFrom('event_versions').select('version').where('scope', '=', a.eventId).executeTakeFirstOrThrow();
      expect(Number(after.version)).toBe(start + 2);
      // Both pushes wrote every ticket: each holds both entries, stamped by the push that committed last.
      const rows = await db.selectFrom('tickets').select(['entry_count', 'server_version']).where('id', 'in', tickets.map((ticket) => ticket.id)).execute();
      expect(rows.map((row) => [row.entry_count, Number(row.server_version)])).toEqual(tickets.map(() => [2, start + 2]));
      expect(await db.selectFrom('scans').select('id').where('double_admission', '=', 1).execute()).toHaveLength(5);
    });
  });
});
