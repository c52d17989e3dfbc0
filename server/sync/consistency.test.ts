import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkResponseSchema, snapshotPageSchema, type CheckRequest, type CheckResponse, type Cursors, type EnrolResponse, type SnapshotPage, type SnapshotRequest } from '../../sync/protocol.ts';
import { TableDigest, type DigestValue } from '../../sync/row-digest.ts';
import { ServerRefused, SyncClient } from '../../sync/terminal/client.ts';
import { listenOnLoopback } from '../../test/fixtures/loopback.ts';
import { serverStoreKinds } from '../../test/fixtures/server-database.ts';
import { openSyncServer, protocolHeaders, seededServer, syncTime, type SyncServer } from '../../test/fixtures/sync-server.ts';
import { tableChecks } from './consistency.ts';
import { currentVersions } from './pull.ts';
import { snapshotPage } from './snapshot.ts';

/**
 * The consistency check through the HTTP API: per table a device receives, the row count and the
 * digest the server computes in SQL equal what a terminal computes in JavaScript over the rows a
 * snapshot at the same versions gives it; rows changed after the cursors are listed by key and
 * left out instead.
 */
describe.each(serverStoreKinds)('consistency check on %s', (kind) => {
  let server: SyncServer;
  let url: string;
  let eventId: string;
  let admin: EnrolResponse;
  let gate: EnrolResponse;

  beforeAll(async () => {
    server = await openSyncServer(kind);
    ({ eventId } = await seededServer(server.db));
    // A ledger entry of no event: a table holding rows in both scopes, whose digest sums the two.
    const entry = await server.db.selectFrom('ledger_entries').selectAll().where('event_id', '=', eventId).executeTakeFirstOrThrow();
    await server.db.insertInto('ledger_entries').values({ ...entry, id: 'entry-of-no-event', event_id: null, server_version: null }).execute();
    admin = await server.enrol('admin');
    gate = await server.enrol('gate', { eventId });
    url = await listenOnLoopback(server.app);
  }, 120_000);
  afterAll(() => server.close());

  const post = (token: string, body: unknown) => server.app.inject({ method: 'POST', url: '/check', headers: protocolHeaders(token), payload: body as object });

  async function check(token: string, request: CheckRequest): Promise<CheckResponse> {
    const response = await post(token, request);
    expect(response.statusCode, response.body).toBe(200);
    return checkResponseSchema.parse(response.json());
  }

  const versionsNow = async () => currentVersions(server.db, ['', eventId]);

  const deviceOf = (enrolled: EnrolResponse) => server.db.selectFrom('devices').selectAll().where('id', '=', enrolled.deviceId).executeTakeFirstOrThrow();

  /**
   * Every page of a scope's snapshot at `version`, as a terminal loads it (read from snapshot.ts, not
   * over HTTP: a load takes a request per table, and the server limits a device's requests a second).
   */
  async function snapshotPages(enrolled: EnrolResponse, scope: string, version: number): Promise<SnapshotPage[]> {
    const device = await deviceOf(enrolled);
    const pages: SnapshotPage[] = [];
    let request: SnapshotRequest = { scope, version };
    for (;;) {
      const page = snapshotPageSchema.parse(JSON.parse((await snapshotPage(server.db, device, request)).json(syncTime)));
      pages.push(page);
      if (page.next === null) return pages;
      request = { scope, version, table: page.next.table, ...(page.next.after === null ? {} : { after: page.next.after }) };
    }
  }

  /** Per table, what a terminal loaded from the snapshots of these scopes at these versions holds: its columns, rows and digest. */
  async function loadedDigests(enrolled: EnrolResponse, cursors: Cursors): Promise<Map<string, { columns: string[]; rows: number; digest: string }>> {
    const digests = new Map<string, { columns: string[]; digest: TableDigest }>();
    for (const [scope, version] of Object.entries(cursors)) {
      for (const page of await snapshotPages(enrolled, scope, version)) {
        const table = digests.get(page.table) ?? { columns: page.columns, digest: new TableDigest() };
        expect(page.columns).toEqual(table.columns);
        for (const row of page.rows) table.digest.add(row as DigestValue[]);
        digests.set(page.table, table);
      }
    }
    return new Map([...digests].map(([table, { columns, digest }]) => [table, { columns, rows: digest.rows, digest: digest.digest }]));
  }

  const digestsOf = (answer: CheckResponse) => new Map(answer.tables!.map((table) => [table.table, { columns: table.columns, rows: table.rows, digest: table.digest }]));

  it('answers each table’s row count and digest as a terminal computes them over the snapshot at its cursors', async () => {
    const cursors = await versionsNow();
    const answer = await check(admin.token, { cursors });
    expect(answer.versions).toEqual(cursors);
    expect(digestsOf(answer)).toEqual(await loadedDigests(admin, cursors));
    expect(answer.tables!.every((table) => table.changedAfter.length === 0)).toBe(true);

    const ledger = answer.tables!.find((table) => table.table === 'ledger_entries')!;
    expect(ledger.scopes).toEqual(['', eventId]);
    const ofNoEvent = await check(admin.token, { cursors: { '': cursors['']! } });
    const ofEvent = await check(admin.token, { cursors: { [eventId]: cursors[eventId]! } });
    const ledgerOf = (check: CheckResponse) => check.tables!.find((table) => table.table === 'ledger_entries')!;
    expect(ledgerOf(ofNoEvent).rows).toBe(1);
    expect(ledgerOf(ofEvent).rows).toBe(ledger.rows - 1);
    expect(BigInt(ledgerOf(ofNoEvent).digest) + BigInt(ledgerOf(ofEvent).digest)).toBe(BigInt(ledger.digest));
    const customerEmails = answer.tables!.find((table) => table.table === 'customer_emails')!;
    expect(customerEmails).toMatchObject({ scopes: [''], key: ['customer_id', 'email'] });
    const tickets = answer.tables!.find((table) => table.table === 'tickets')!;
    expect(tickets).toMatchObject({ scopes: ['', eventId], key: ['id'] });
    expect(tickets.rows).toBeGreaterThan(100);
  });

  it('lists the rows changed after the cursors by key and leaves them out of the counts and digests', async () => {
    const before = await versionsNow();
    const held = await check(admin.token, { cursors: before });
    const banned = await server.db.selectFrom('tickets').select('id').where('event_id', '=', eventId).orderBy('id').limit(2).execute();
    await server.db.updateTable('tickets').set({ banned: 1 }).where('id', 'in', banned.map((ticket) => ticket.id)).execute();
    const email = await server.db.selectFrom('customer_emails').select(['customer_id', 'email']).orderBy('customer_id').executeTakeFirstOrThrow();
    await server.db.updateTable('customer_emails').set({ deleted_at: syncTime }).where('customer_id', '=', email.customer_id).where('email', '=', email.email).execute();

    const answer = await check(admin.token, { cursors: before });
    expect(answer.versions[eventId]).toBeGreaterThan(before[eventId]!);
    expect(answer.versions['']).toBeGreaterThan(before['']!);
    const table = (name: string) => answer.tables!.find((check) => check.table === name)!;
    const heldTable = (name: string) => held.tables!.find((check) => check.table === name)!;
    expect(table('tickets').changedAfter.sort()).toEqual(banned.map((ticket) => JSON.stringify([ticket.id])).sort());
    expect(table('tickets').rows).toBe(heldTable('tickets').rows - 2);
    expect(table('customer_emails').changedAfter).toEqual([JSON.stringify([email.customer_id, email.email])]);
    expect(table('customer_emails').rows).toBe(heldTable('customer_emails').rows - 1);
    expect(answer.tables!.filter((check) => check.changedAfter.length > 0).map((check) => check.table)).toEqual(['customer_emails', 'tickets']);
    // What a terminal that loaded the snapshot at the old versions holds, less the rows changed since.
    expect(digestsOf(answer)).toEqual(await loadedDigests(admin, before));

    // At the new versions, the changed rows are counted again, as they are now.
    const after = await check(admin.token, { cursors: answer.versions });
    expect(after.tables!.every((check) => check.changedAfter.length === 0)).toBe(true);
    expect(after.tables!.find((check) => check.table === 'tickets')!.rows).toBe(heldTable('tickets').rows);
    expect(after.tables!.find((check) => check.table === 'tickets')!.digest).not.toBe(heldTable('tickets').digest);
    expect(digestsOf(after)).toEqual(await loadedDigests(admin, answer.versions));
  });

  it('answers no tables when more rows changed after the cursors than it lists', async () => {
    const before = await versionsNow();
    const changed = await server.db.selectFrom('tickets').select('id').where('event_id', '=', eventId).orderBy('id', 'desc').limit(3).execute();
    await server.db.updateTable('tickets').set({ redeemed: 1 }).where('id', 'in', changed.map((ticket) => ticket.id)).execute();
    const device = await deviceOf(admin);
    const atMost = await tableChecks(server.db, device, { cursors: before }, 3);
    expect(atMost.tables!.find((check) => check.table === 'tickets')!.changedAfter).toHaveLength(3);
    expect(await tableChecks(server.db, device, { cursors: before }, 2)).toEqual({ versions: atMost.versions, tables: null });

    // A terminal far behind (every row changed after its cursors) is told to pull first.
    const behind = await check(admin.token, { cursors: { '': 0, [eventId]: 0 } });
    expect(behind).toEqual({ versions: await versionsNow(), tables: null, serverTime: syncTime });
  });

  it('checks for a gate the tables and columns of a gate’s snapshot: no e-mail, no customer e-mails', async () => {
    const cursors = await versionsNow();
    const answer = await check(gate.token, { cursors });
    const loaded = await loadedDigests(gate, cursors);
    expect(digestsOf(answer)).toEqual(loaded);
    expect(answer.tables!.map((table) => table.table)).not.toContain('customer_emails');
    const customers = answer.tables!.find((table) => table.table === 'customers')!;
    expect(customers.columns).toContain('last_name');
    expect(customers.columns).not.toContain('email');
    expect(customers.digest).not.toBe((await check(admin.token, { cursors })).tables!.find((table) => table.table === 'customers')!.digest);
  });

  it('checks only the scopes asked for', async () => {
    const { '': version } = await versionsNow();
    const answer = await check(gate.token, { cursors: { '': version! } });
    expect(answer.versions).toEqual({ '': version });
    expect(answer.tables!.every((table) => table.scopes.length === 1 && table.scopes[0] === '')).toBe(true);
    // Events are rows of their own scope only; tickets may be rows of no event.
    expect(answer.tables!.map((table) => table.table)).not.toContain('events');
    expect(answer.tables!.map((table) => table.table)).toContain('tickets');
  });

  it('answers the terminal’s client, and refuses it what it refuses over HTTP', async () => {
    const cursors = await versionsNow();
    const client = new SyncClient({ serverUrl: url, token: admin.token });
    expect(await client.check({ cursors })).toEqual(await check(admin.token, { cursors }));
    await expect(new SyncClient({ serverUrl: url, token: gate.token }).check({ cursors: { 'another-event': 0 } })).rejects.toEqual(
      new ServerRefused(403, 'forbidden', `This terminal is enrolled for event ${eventId}: it receives no rows of event another-event`, 'cursors.another-event'),
    );
  });

  it('refuses a scope the device does not follow, a cursor the server never reached and bad input, naming the field', async () => {
    const refused = await post(gate.token, { cursors: { '': 0, 'another-event': 0 } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'forbidden', field: 'cursors.another-event' });
    const ahead = await post(admin.token, { cursors: { [eventId]: 1_000_000 } });
    expect(ahead.statusCode).toBe(409);
    expect(ahead.json().error).toMatchObject({ code: 'conflict', field: `cursors.${eventId}`, message: expect.stringMatching(/snapshot/) });
    const negative = await post(admin.token, { cursors: { '': -1 } });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().error).toMatchObject({ code: 'validation', field: 'cursors.' });
    for (const body of [{}, { cursors: 'all' }, { cursors: {} }]) {
      const bad = await post(admin.token, body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(bad.json().error).toMatchObject({ code: 'validation', field: 'cursors' });
    }
    const anonymous = await server.app.inject({ method: 'POST', url: '/check', headers: protocolHeaders(), payload: { cursors: {} } });
    expect(anonymous.statusCode).toBe(401);
  });
});
