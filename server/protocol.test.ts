import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopeOfOutboxRow } from '../core/commands/command.ts';
import type { Envelope } from '../core/commands/envelope.ts';
import { nameKey } from '../core/operators/operators.ts';
import type { Role } from '../core/operators/roles.ts';
import { deviceId } from '../core/terminal/state.ts';
import { sql, type Store } from '../db/store.ts';
import {
  enrolResponseSchema,
  errorResponseSchema,
  maxPushCommands,
  maxRequestBytes,
  protocolHeader,
  protocolVersion,
  pushResponseSchema,
  type DeviceRole,
} from '../sync/protocol.ts';
import { checkinSetup } from '../test/fixtures/checkin.ts';
import { loadRows } from '../test/fixtures/postgres-mirror.ts';
import { freshServerDatabase, serverStoreKinds, type TestServerDatabase } from '../test/fixtures/server-database.ts';
import { syncedRowsToLoad } from '../test/fixtures/synced-tables.ts';
import type { ServerDatabase } from './db/database.ts';
import { createEnrolmentCode, revokeDevice } from './devices/enrolment.ts';
import { secretHash } from './devices/secrets.ts';
import { buildServerApp } from './http/app.ts';

/**
 * The sync protocol as terminals meet it (issue 10 items 5 and 6): fake terminals, each a device
 * id, a token and the envelopes a real terminal store wrote, speak to the server over HTTP on
 * PostgreSQL and on PGlite. A retry gets the stored receipt, a gap stops the batch, and every
 * refusal (too big, bad token, revoked, wrong role or operator, old protocol) is clear and
 * changes nothing.
 */
const clock = { now: () => new Date('2026-07-10T12:00:00.000Z') };

describe.each(serverStoreKinds)('the protocol with fake terminals on %s', (kind) => {
  let server: TestServerDatabase;
  let db: ServerDatabase;
  let app: Awaited<ReturnType<typeof buildServerApp>>;

  // PGlite takes about 4 s to open and migrate on this 2-core machine, more while other suites
  // run: past the 10 s a hook gets by default.
  beforeAll(async () => {
    server = await freshServerDatabase(kind);
    db = server.db;
    app = await buildServerApp({ db, clock, logger: pino({ level: 'silent' }) });
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await server.drop();
  });

  const headers = (token?: string, version = protocolVersion) => ({ [protocolHeader]: String(version), ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) });

  /**
   * A terminal store that scanned `scans` tickets, and a server holding the terminal's event (as if
   * an admin terminal had pushed it) and three operators. Loading the rows empties the server's
   * synced tables and, through their keys, its devices: each test starts on its own server state.
   */
  async function terminalWithScans(scans: number) {
    const setup = checkinSetup();
    const tickets = Array.from({ length: scans }, () => setup.ticket());
    await loadRows(db, syncedRowsToLoad(setup.store.db));
    const operators: [string, Role][] = [
      ['operator-1', 'admin'],
      ['Steward Sam', 'steward'],
    ];
    const now = clock.now().toISOString();
    await db
      .insertInto('operators')
      .values(operators.map(([name, role], index) => ({ id: `op-${index}`, name, name_key: nameKey(name), role, pin_hash: 'x', created_at: now, updated_at: now, server_version: null, deleted_at: null })))
      .execute();
    for (const ticket of tickets) await setup.scan(ticket.reference);
    const envelopes: Envelope[] = setup.store.all(sql.selectFrom('outbox').selectAll().orderBy('seq')).map(envelopeOfOutboxRow);
    return { ...setup, envelopes };
  }

  /**
   * A terminal enrolled over HTTP with a fresh code of `role`, as the device its store names (or a
   * new one): what it pushes, it pushes with its own token.
   */
  async function fakeTerminal(role: DeviceRole, terminal?: { store: Store }) {
    const { code } = await createEnrolmentCode(db, clock, { role });
    const device = terminal ? { deviceId: deviceId(terminal.store) } : {};
    const response = await app.inject({ method: 'POST', url: '/enrol', headers: headers(), payload: { code, ...device } });
    expect(response.statusCode).toBe(200);
    const enrolled = enrolResponseSchema.parse(response.json());
    return {
      ...enrolled,
      push: (envelopes: readonly Envelope[], options: { token?: string; version?: number } = {}) =>
        app.inject({ method: 'POST', url: '/push', headers: headers(options.token ?? enrolled.token, options.version), payload: { envelopes } }),
    };
  }

  const receiptCount = async () => (await db.selectFrom('receipts').select('envelope_id').execute()).length;
  const scanCount = async () => (await db.selectFrom('scans').select('id').execute()).length;

  function expectError(response: { statusCode: number; json(): unknown }, status: number, code: string) {
    expect(response.statusCode).toBe(status);
    const body = errorResponseSchema.strict().parse(response.json());
    expect(body.error.code).toBe(code);
    return body.error;
  }

  it('answers a retried push with its stored receipts, byte for byte, and runs nothing twice', async () => {
    const terminal = await terminalWithScans(2);
    const box = await fakeTerminal('admin', terminal);
    // The second scan names an operator the server does not know: a rejection is a receipt too.
    const batch = [terminal.envelopes[0]!, { ...terminal.envelopes[1]!, operator: 'Nobody' }];

    const first = await box.push(batch);
    expect(first.statusCode).toBe(200);
    expect(pushResponseSchema.parse(first.json()).receipts).toMatchObject([
      { seq: 1, status: 'applied' },
      { seq: 2, status: 'rejected', code: 'forbidden' },
    ]);
    const retry = await box.push(batch);
    expect(retry.body).toBe(first.body);
    expect(await scanCount()).toBe(1);
    expect(await receiptCount()).toBe(2);
  });

  it('stops at a gap and answers the seq it holds', async () => {
    const terminal = await terminalWithScans(3);
    const box = await fakeTerminal('admin', terminal);
    const [one, , three] = terminal.envelopes;

    const gapped = pushResponseSchema.parse((await box.push([one!, three!])).json());
    expect(gapped).toMatchObject({ lastSeq: 1, gap: true });
    expect(gapped.receipts.map((receipt) => receipt.seq)).toEqual([1]);
    expect(pushResponseSchema.parse((await box.push([three!])).json())).toMatchObject({ receipts: [], lastSeq: 1, gap: true });
    // Resending from lastSeq + 1 fills it.
    const filled = pushResponseSchema.parse((await box.push(terminal.envelopes.slice(1))).json());
    expect(filled.receipts.map((receipt) => [receipt.seq, receipt.status])).toEqual([
      [2, 'applied'],
      [3, 'applied'],
    ]);
    expect(filled.gap).toBeUndefined();
    expect(await scanCount()).toBe(3);
  });

  it('refuses a body over the size limit and a batch over the command limit with 413, taking nothing', async () => {
    const terminal = await terminalWithScans(1);
    const box = await fakeTerminal('admin', terminal);
    const envelope = terminal.envelopes[0]!;

    const oversize = await box.push([{ ...envelope, args: { padding: 'x'.repeat(maxRequestBytes) } }]);
    expect(expectError(oversize, 413, 'too_large').message).toMatch(/at most 1048576 bytes: send fewer commands per push/);

    const tooMany = Array.from({ length: maxPushCommands + 1 }, (_, index) => ({ ...envelope, seq: index + 1 }));
    const split = expectError(await box.push(tooMany), 413, 'too_many_commands');
    expect(split).toEqual({
      code: 'too_many_commands',
      message: `A push holds at most 500 commands and this one holds 501: split it into pushes of 500 or fewer`,
      field: 'envelopes',
    });
    expect(await receiptCount()).toBe(0);
    expect(await scanCount()).toBe(0);
  });

  it('refuses a missing or unknown token with 401', async () => {
    const terminal = await terminalWithScans(1);
    await fakeTerminal('admin', terminal);
    const missing = await app.inject({ method: 'POST', url: '/push', headers: headers(), payload: { envelopes: terminal.envelopes } });
    expect(expectError(missing, 401, 'unauthenticated').message).toMatch(/enrol the terminal first/);
    const unknown = await app.inject({ method: 'POST', url: '/push', headers: headers('not-a-token-of-this-server'), payload: { envelopes: terminal.envelopes } });
    expect(expectError(unknown, 401, 'unauthenticated').message).toMatch(/not known to the server/);
    expect(await receiptCount()).toBe(0);
  });

  it('refuses a revoked device from its next request on, though it still holds its token', async () => {
    const terminal = await terminalWithScans(2);
    const box = await fakeTerminal('admin', terminal);
    expect((await box.push(terminal.envelopes.slice(0, 1))).statusCode).toBe(200);

    await revokeDevice(db, clock, box.deviceId);
    const refused = await box.push(terminal.envelopes.slice(1));
    expect(expectError(refused, 401, 'revoked').message).toMatch(/revoked by an administrator: enrol it again/);
    expect(await scanCount()).toBe(1);
  });

  it('refuses, as a receipt, a command the device’s role may not push', async () => {
    const terminal = await terminalWithScans(1);
    // A scan's envelope renamed: the role is checked before the command's args are read.
    const order = { ...terminal.envelopes[0]!, name: 'orders.create' };

    const gate = await fakeTerminal('gate', terminal);
    const refused = pushResponseSchema.parse((await gate.push([order])).json());
    expect(refused.receipts).toEqual([{ id: order.id, seq: 1, status: 'rejected', code: 'forbidden', message: 'A gate terminal may not run orders.create' }]);
    expect(refused.lastSeq).toBe(1);

    // Selling is box office work and above: an admin terminal gets past the role (and its body
    // then refuses a scan's args). The gate's refusal above is kept: the envelope is taken.
    const admin = await fakeTerminal('admin');
    const passed = pushResponseSchema.parse((await admin.push([{ ...order, deviceId: admin.deviceId, id: otherEnvelopeId(order.id) }])).json());
    expect(passed.receipts[0]).toMatchObject({ seq: 1, status: 'rejected', code: 'validation', field: 'customerId' });
  });

  it('refuses an envelope whose operator is missing, unknown or too low for the command', async () => {
    const terminal = await terminalWithScans(3);
    const box = await fakeTerminal('admin', terminal);
    const [one, two, three] = terminal.envelopes;
    const response = await box.push([
      { ...one!, operator: null },
      { ...two!, operator: 'Nobody' },
      // A steward sells nothing, whichever roles selling allows.
      { ...three!, name: 'orders.create', operator: 'steward sam' },
    ]);
    const { receipts } = pushResponseSchema.parse(response.json());
    expect(receipts.map(({ status, code, message }) => ({ status, code, message }))).toEqual([
      { status: 'rejected', code: 'forbidden', message: 'checkin.scan names no operator: sign in with an operator of this server' },
      { status: 'rejected', code: 'forbidden', message: 'Nobody is not an operator of this server' },
      { status: 'rejected', code: 'forbidden', message: 'steward sam (steward) may not run orders.create' },
    ]);
    expect(await scanCount()).toBe(0);
  });

  it('refuses an envelope whose event is not the one its arguments write, taking nothing', async () => {
    const terminal = await terminalWithScans(1);
    const box = await fakeTerminal('admin', terminal);
    const [scan] = terminal.envelopes;
    const { receipts } = pushResponseSchema.parse((await box.push([{ ...scan!, eventId: null }])).json());
    expect(receipts.map(({ status, code, message }) => ({ status, code, message }))).toEqual([
      { status: 'rejected', code: 'forbidden', message: `checkin.scan's envelope names event none but its arguments event ${terminal.eventId}` },
    ]);
    expect(await scanCount()).toBe(0);
  });

  it('refuses a batch holding another device’s envelope with 400 naming it, taking nothing', async () => {
    const terminal = await terminalWithScans(2);
    const box = await fakeTerminal('admin', terminal);
    const [one, two] = terminal.envelopes;
    const error = expectError(await box.push([one!, { ...two!, deviceId: '0190d3c4-0000-7000-8000-000000000000' }]), 400, 'validation');
    expect(error).toMatchObject({ field: 'envelopes.1.deviceId', message: expect.stringMatching(/not by the device pushing it/) });
    expect(await receiptCount()).toBe(0);
  });

  it('refuses a terminal speaking too old a protocol with 426 saying what to do', async () => {
    const terminal = await terminalWithScans(1);
    const box = await fakeTerminal('admin', terminal);
    const old = await box.push(terminal.envelopes, { version: 0 });
    expect(expectError(old, 426, 'upgrade_required').message).toMatch(/Update Box Office on this terminal, then sync again/);
    expect(await receiptCount()).toBe(0);
    const current = await box.push(terminal.envelopes);
    expect(current.statusCode).toBe(200);
    expect(current.headers[protocolHeader]).toBe(String(protocolVersion));
  });

  it('takes an enrolment code once and before it expires, refusing every other attempt alike', async () => {
    await terminalWithScans(0);
    const enrol = (code: string) => app.inject({ method: 'POST', url: '/enrol', headers: headers(), payload: { code } });
    const { code } = await createEnrolmentCode(db, clock, { role: 'box_office' });
    expect((await enrol(code)).statusCode).toBe(200);

    const hourAgo = { now: () => new Date(clock.now().getTime() - 60 * 60 * 1000) };
    const expired = await createEnrolmentCode(db, hourAgo, { role: 'admin', lifetimeMs: 30 * 60 * 1000 });
    const refusals = [await enrol(code), await enrol(expired.code), await enrol('7KQ2-M9XD-40TB')];
    for (const refusal of refusals) expect(expectError(refusal, 403, 'forbidden')).toMatchObject({ field: 'code', message: expect.stringMatching(/mistyped, used already or expired/) });
    // One message for all: a guesser learns nothing from which refusal it met.
    expect(new Set(refusals.map((refusal) => refusal.body)).size).toBe(1);
    expect(await db.selectFrom('devices').select('id').execute()).toHaveLength(1);
  });

  it('keeps only the hash of a device token and of an enrolment code', async () => {
    const terminal = await terminalWithScans(0);
    const { code } = await createEnrolmentCode(db, clock, { role: 'gate' });
    const response = await app.inject({ method: 'POST', url: '/enrol', headers: headers(), payload: { code, deviceId: deviceId(terminal.store) } });
    const { token } = enrolResponseSchema.parse(response.json());

    const device = await db.selectFrom('devices').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(device)).not.toContain(token);
    expect(device.token_hash).toBe(secretHash(token));
    const codes = JSON.stringify(await db.selectFrom('enrolment_codes').selectAll().execute());
    expect(codes).not.toContain(code.replace(/-/g, ''));
    expect(codes).not.toContain(code);
  });
});

/** Another UUIDv7 of the same time: the same command, written by another terminal. */
function otherEnvelopeId(id: string): string {
  return `${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}`;
}
