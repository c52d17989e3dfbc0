import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../core/api/core.ts';
import { chosenEventId } from '../../../core/terminal/state.ts';
import { openDatabase } from '../../../db/connection.ts';
import { sql, Store } from '../../../db/store.ts';
import { createEnrolmentCode, revokeDevice } from '../../../server/devices/enrolment.ts';
import { recordEnrolment, terminalEnrolment } from '../../../sync/terminal/state.ts';
import { runCli as run } from '../../../test/fixtures/cli.ts';
import { expectOk } from '../../../test/fixtures/commands.ts';
import { closedPort, loopbackSyncServer } from '../../../test/fixtures/loopback.ts';
import { serverStoreKinds } from '../../../test/fixtures/server-database.ts';
import { checkinTerminalAtServer } from '../../../test/fixtures/sync-server.ts';
import { ticketPresence } from '../../../test/fixtures/checkin.ts';
import { otherTerminal, outboxEnvelopes } from '../../../test/fixtures/terminals.ts';
import { storeFile } from '../../data-dir.ts';

/** `box-office sync enrol|now|check|status` in this process, against a server listening on loopback. */


describe.each(serverStoreKinds)('box-office sync, server on %s', (kind) => {
  const suite = loopbackSyncServer(kind);

  it('enrols, pushes the scans waiting and pulls another gate’s, lists a rejected one with its reason, and reports its status', async () => {
    const { server } = suite;
    const dataDir = mkdtempSync(join(tmpdir(), 'box-office-cli-sync-'));
    const terminal = await checkinTerminalAtServer(suite.server.db, { file: storeFile(dataDir) });
    await terminal.scan(terminal.tickets[0]!.reference);
    await terminal.scan(terminal.tickets[1]!.reference);
    const folder = ['--data-dir', dataDir];

    const before = await run(['sync', 'status', ...folder]);
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/^Server: +not enrolled \(box-office sync enrol --server URL --code CODE\)$/m);
    expect(before.stdout).toMatch(/^Waiting: +2 commands$/m);
    expect(await run(['sync', 'now', ...folder])).toEqual({ code: 1, stdout: '', stderr: 'box-office: This terminal is not enrolled: box-office sync enrol --server URL --code CODE\n' });

    const { code } = await createEnrolmentCode(suite.server.db, suite.server.clock, { role: 'admin', eventId: terminal.eventId });
    const enrolled = await run(['sync', 'enrol', '--server', suite.url, '--code', code, '--name', 'Gate 1', ...folder]);
    const { short_code: shortCode } = await suite.server.db.selectFrom('devices').select('short_code').where('id', '=', terminal.deviceId).executeTakeFirstOrThrow();
    // It holds rows already (it scanned offline): no first load, it gets the server's rows by pulling.
    expect(enrolled).toEqual({
      code: 0,
      stdout: expect.stringMatching(
        new RegExp(
          `^Enrolled at ${suite.url} as admin, short code ${shortCode}\\.\\nNo first load: This terminal's store already holds rows \\(.*\\): a first load fills a fresh store only\\. .*\\(box-office sync now\\)\\.\\nThis terminal now works on Summer Festival, the event it was enrolled for\\.\\n$`,
        ),
      ),
      stderr: '',
    });
    expect(chosenEventId(terminal.store)).toBe(terminal.eventId);
    const again = await run(['sync', 'enrol', '--server', suite.url, '--code', code, ...folder]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^box-office: This terminal is enrolled already \(at http:\/\/127\.0\.0\.1:\d+ as admin, since .*\): add --force to enrol it again\n$/);

    // The first sync pulls every row of the event and of no event: the terminal's own, stamped by the server.
    const first = await run(['sync', 'now', ...folder]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^Pushed 2 commands: 2 applied, 0 with a conflict, 0 rejected\.\nPulled \d+ rows in 1 page: up to date with the server\.\n$/);
    expect(await run(['sync', 'now', ...folder])).toEqual({ code: 0, stdout: 'Nothing to push: the server holds every command of this terminal (up to #2).\nPulled 0 rows in 1 page: up to date with the server.\n', stderr: '' });

    // Another gate of the server scans a third ticket: the next sync brings its scan and the ticket's presence.
    const other = await server.enrol('admin', { eventId: terminal.eventId });
    const gate = otherTerminal(terminal.store, { clockStart: '2026-07-11T10:00:00.000Z', operator: 'operator-1' });
    // A gate of its own: its device, its seqs from 1, none of this terminal's commands.
    gate.store.db.prepare(`UPDATE terminal_state SET value = ? WHERE key = 'device_id'`).run(other.deviceId);
    gate.store.db.exec(`DELETE FROM outbox; DELETE FROM terminal_state WHERE key = 'device_seq'`);
    expectOk(await gate.core.invoke('checkin.scan', { code: terminal.tickets[3]!.reference, gateId: terminal.gates.main, direction: 'entry' }));
    await server.push(other.token, outboxEnvelopes(gate.store));
    const pulled = await run(['sync', 'now', '--json', ...folder]);
    expect(pulled.code).toBe(0);
    expect(JSON.parse(pulled.stdout)).toMatchObject({ push: { pushed: 0, lastSeq: 2 }, pull: { pages: 1, rows: 2, caughtUp: true, rerun: 0 } });
    expect(ticketPresence(terminal.store, terminal.tickets[3]!.id).entry_count).toBe(1);

    const stranger = createCore({ store: terminal.store, clock: terminal.clock, caller: { name: 'stranger', role: 'admin' } });
    expectOk(await stranger.invoke('checkin.scan', { code: terminal.tickets[2]!.reference, gateId: terminal.gates.main, direction: 'entry' }));
    const rejected = await run(['sync', 'now', ...folder]);
    expect(rejected.code).toBe(0);
    expect(rejected.stdout).toMatch(
      /^Pushed 1 command: 0 applied, 0 with a conflict, 1 rejected\.\nRejected by the server \(kept on this terminal, see box-office sync status\):\n {2}#3 checkin\.scan@1 at \d{4}-\d\d-\d\d \d\d:\d\d by stranger: stranger is not an operator of this server\nPulled 0 rows in 1 page: up to date with the server\.\n$/,
    );
    // Its scan is undone on this terminal: the ticket is not inside.
    expect(ticketPresence(terminal.store, terminal.tickets[2]!.id).entry_count).toBe(0);
    expect(await run(['sync', 'now', ...folder])).toEqual({ code: 0, stdout: 'Nothing to push: the server holds every command of this terminal (up to #3).\nPulled 0 rows in 1 page: up to date with the server.\n', stderr: '' });

    const status = JSON.parse((await run(['sync', 'status', '--json', ...folder])).stdout) as Record<string, unknown>;
    expect(status).toMatchObject({ enrolled: true, serverUrl: suite.url, role: 'admin', shortCode, eventId: terminal.eventId, eventName: 'Summer Festival', hasToken: true, waiting: 0, withConflict: 0 });
    expect(status.rejected).toEqual([expect.objectContaining({ seq: 3, operator: 'stranger', reason: 'stranger is not an operator of this server' })]);
    expect(typeof status.lastPushAt).toBe('string');
    const text = (await run(['sync', 'status', ...folder])).stdout;
    expect(text).toMatch(/^Rejected: +1 command$/m);
    expect(text).toMatch(/^Event: +Summer Festival \(/m);
    expect(text).toMatch(/^ {2}#3 checkin\.scan@1 .* by stranger: stranger is not an operator of this server$/m);
  });

  it('exits 1 and changes nothing when the server cannot be reached or has revoked the terminal', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'box-office-cli-sync-'));
    const terminal = await checkinTerminalAtServer(suite.server.db, { file: storeFile(dataDir) });
    const folder = ['--data-dir', dataDir];
    const { code } = await createEnrolmentCode(suite.server.db, suite.server.clock, { role: 'admin', eventId: terminal.eventId });
    expect((await run(['sync', 'enrol', '--server', suite.url, '--code', code, '--json', ...folder])).code).toBe(0);
    await terminal.scan(terminal.tickets[0]!.reference);
    const outbox = () => terminal.store.all(sql.selectFrom('outbox').select(['seq', 'status']));
    const waiting = outbox();

    // The same enrolment, at an address where no server listens any more.
    const port = await closedPort();
    recordEnrolment(terminal.store, { ...terminalEnrolment(terminal.store)!, serverUrl: `http://127.0.0.1:${port}` });
    expect(await run(['sync', 'now', ...folder])).toEqual({
      code: 1,
      stdout: '',
      stderr: `box-office: Cannot reach the server at http://127.0.0.1:${port} (connection refused: is the server running?): nothing was lost, 1 command waits on this terminal for the next sync\n`,
    });
    expect(outbox()).toEqual(waiting);

    recordEnrolment(terminal.store, { ...terminalEnrolment(terminal.store)!, serverUrl: suite.url });
    await revokeDevice(suite.server.db, suite.server.clock, terminal.deviceId);
    expect(await run(['sync', 'now', ...folder])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'box-office: The server refused this terminal: This terminal was revoked by an administrator: enrol it again with a new code\n',
    });
    expect(outbox()).toEqual(waiting);

    // Revoked, it enrols again with a new code and --force, keeping its device id; its scan goes.
    const renewed = await createEnrolmentCode(suite.server.db, suite.server.clock, { role: 'gate', eventId: terminal.eventId });
    expect((await run(['sync', 'enrol', '--server', suite.url, '--code', renewed.code, '--force', ...folder])).code).toBe(0);
    expect(terminalEnrolment(terminal.store)).toMatchObject({ deviceId: terminal.deviceId, role: 'gate' });
  });

  it('enrols a fresh data folder, loads its event and works on it, and refuses bad arguments', async () => {
    const { eventId } = await checkinTerminalAtServer(suite.server.db);
    const fresh = join(mkdtempSync(join(tmpdir(), 'box-office-cli-sync-')), 'terminal');
    const { code } = await createEnrolmentCode(suite.server.db, suite.server.clock, { role: 'gate', eventId });
    const unreachable = await run(['sync', 'enrol', '--server', `http://127.0.0.1:${await closedPort()}`, '--code', code, '--data-dir', fresh]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^box-office: Cannot reach the server at http:\/\/127\.0\.0\.1:\d+ \(connection refused: is the server running\?\)\n$/);

    const enrolled = await run(['sync', 'enrol', '--server', suite.url, '--code', code, '--data-dir', fresh]);
    expect(enrolled.code).toBe(0);
    expect(enrolled.stdout).toMatch(
      new RegExp(
        `^Enrolled at ${suite.url} as gate, short code \\S+\\.\\nLoaded: [\\d,]+ rows \\(the rows of no event at version \\d+, event ${eventId} at version \\d+\\), [\\d,]+ rows/s over \\d+ s\\.\\nThis terminal now works on Summer Festival, the event it was enrolled for\\.\\n$`,
      ),
    );
    // Piped, the progress is a line per table on stderr.
    expect(enrolled.stderr).toMatch(/^Loading tickets: [\d,]+ of [\d,]+ rows \(\d+%\), [\d,]+ rows\/s/m);
    expect(existsSync(storeFile(fresh))).toBe(true);

    expect(await run(['sync', 'enrol', '--server', 'ftp://example.com', '--code', 'X', '--data-dir', fresh])).toMatchObject({ code: 2, stderr: expect.stringMatching(/The server address is a URL such as http:\/\/192\.168\.1\.10:8080/) });
    expect(await run(['sync', 'enrol', '--code', 'X', '--data-dir', fresh])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--server is required/) });
    expect(await run(['sync', 'now', '--batch-size', '0', '--data-dir', fresh])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--batch-size: must be a positive whole number from 1 to 500/) });
  });

  it('sync check syncs, then finds every table as the server holds it; a table gone wrong exits 3 naming it, and --repair reloads it', async () => {
    const { eventId } = await checkinTerminalAtServer(suite.server.db);
    const fresh = join(mkdtempSync(join(tmpdir(), 'box-office-cli-check-')), 'terminal');
    const { code } = await createEnrolmentCode(suite.server.db, suite.server.clock, { role: 'box_office', eventId });
    expect((await run(['sync', 'enrol', '--server', suite.url, '--code', code, '--data-dir', fresh])).code).toBe(0);

    const same = await run(['sync', 'check', '--data-dir', fresh]);
    expect(same).toMatchObject({ code: 0, stderr: '' });
    expect(same.stdout).toMatch(new RegExp(`^Checked [\\d,]+ tables \\([\\d,]+ rows at the server\\) with the server, the rows of no event at version \\d+, event ${eventId} at version \\d+\\.\\nEvery table is as the server holds it\\.\\n$`));

    // A ticket's status changed behind the commands' back.
    const store = new Store(openDatabase(storeFile(fresh)));
    store.db.exec("UPDATE tickets SET redeemed = 1 - redeemed WHERE rowid = (SELECT min(rowid) FROM tickets)");
    store.close();

    const differs = await run(['sync', 'check', '--data-dir', fresh]);
    expect(differs.code).toBe(3);
    expect(differs.stdout).toMatch(/\n1 table differs from the server’s:\n {2}tickets: the same number of rows, with different contents\nReload them from the server with box-office sync check --repair\.\n$/);
    const json = await run(['sync', 'check', '--json', '--data-dir', fresh]);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ differing: [{ table: 'tickets', reason: 'the same number of rows, with different contents' }], repaired: [] });

    const repaired = await run(['sync', 'check', '--repair', '--data-dir', fresh]);
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toMatch(/\nReloaded tickets from the server: [\d,]+ rows written\.\nEvery table is now as the server holds it\.\n$/);
    expect((await run(['sync', 'check', '--data-dir', fresh])).code).toBe(0);
  });
});
