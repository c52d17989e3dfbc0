import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/connection.ts';
import { sql, Store } from '../../../db/store.ts';
import { createEnrolmentCode } from '../../../server/devices/enrolment.ts';
import { firstLoadInProgress } from '../../../sync/terminal/first-load.ts';
import { pullCursors } from '../../../sync/terminal/state.ts';
import { runCli } from '../../../test/fixtures/cli.ts';
import { loadedRows, serverRowsFor } from '../../../test/fixtures/first-load.ts';
import { loopbackSyncServer } from '../../../test/fixtures/loopback.ts';
import { serverStoreKinds } from '../../../test/fixtures/server-database.ts';
import { seededServer } from '../../../test/fixtures/sync-server.ts';
import { storeFile } from '../../data-dir.ts';

/**
 * `box-office sync enrol` loads a fresh terminal, and a real process killed with SIGKILL during
 * that load continues it with `box-office sync load`, ending with the server's rows.
 */

const cli = fileURLToPath(new URL('../box-office.ts', import.meta.url));

/**
 * A proxy on loopback in front of the server that holds the `holdAt`-th snapshot request
 * unanswered (the network gone mid-load), or with `drop` cuts its connection, until `release()`;
 * `held` resolves when it arrives.
 */
async function holdingProxy(target: string, holdAt: number, drop = false) {
  let snapshots = 0;
  let holding = true;
  let arrived!: () => void;
  const held = new Promise<void>((resolve) => (arrived = resolve));
  const forward = (incoming: IncomingMessage, response: ServerResponse) => {
    const upstream = request(`${target}${incoming.url}`, { method: incoming.method, headers: incoming.headers }, (answer) => {
      response.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(response);
    });
    incoming.pipe(upstream);
  };
  const proxy = createServer((incoming, response) => {
    if (holding && incoming.url!.startsWith('/snapshot') && ++snapshots === holdAt) {
      arrived();
      // Dropped: the connection cut, as by a network gone; otherwise left unanswered.
      if (drop) incoming.socket.destroy();
      return;
    }
    forward(incoming, response);
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    held,
    release: () => (holding = false),
    close: () => {
      proxy.closeAllConnections();
      proxy.close();
    },
  };
}

describe.each(serverStoreKinds)('box-office sync enrol and sync load, server on %s', (kind) => {
  const suite = loopbackSyncServer(kind);
  let eventId: string;
  const cleanup: (() => void)[] = [];

  beforeAll(async () => {
    ({ eventId } = await seededServer(suite.server.db));
  }, 120_000);
  afterEach(() => cleanup.splice(0).forEach((close) => close()));

  it('continues with sync load, after a kill -9 of sync enrol during its first load, and ends holding the server’s rows', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'box-office-cli-load-'));
    const proxy = await holdingProxy(suite.url, 8);
    cleanup.push(proxy.close);
    const { code } = await createEnrolmentCode(suite.server.db, suite.server.clock, { role: 'box_office', eventId });

    const child = spawn(process.execPath, [cli, 'sync', 'enrol', '--server', proxy.url, '--code', code, '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanup.push(() => child.kill('SIGKILL'));
    let progress = '';
    const someRows = new Promise<void>((resolve) => {
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (text: string) => {
        progress += text;
        if (/^Loading \w+: [1-9]/m.test(progress)) resolve();
      });
    });
    await Promise.all([someRows, proxy.held]);
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    expect(await exited).toEqual([null, 'SIGKILL']);

    const killed = new Store(openDatabase(storeFile(dataDir)));
    expect(firstLoadInProgress(killed)).toBe(true);
    expect(killed.all(sql.selectFrom('customers').select('id')).length).toBeGreaterThan(0);
    expect(pullCursors(killed)).toEqual({});
    killed.close();

    proxy.release();
    const resumed = await runCli(['sync', 'load', '--data-dir', dataDir]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/^Finished the first load: [\d,]+ rows in all \(the rows of no event at version \d+, event \S+ at version \d+\), [\d,]+ rows\/s over \d+ s in this run\.\n$/);

    const store = new Store(openDatabase(storeFile(dataDir)));
    expect(loadedRows(store, 'box_office')).toEqual(await serverRowsFor(suite.server.db, 'box_office'));
    expect(firstLoadInProgress(store)).toBe(false);
    store.close();

    // Loaded, the terminal has nothing more to load: the pull goes on from its cursors.
    const again = await runCli(['sync', 'load', '--data-dir', dataDir, '--json']);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringMatching(/This terminal has loaded its snapshot already/) });
  });
  it('exits 1 saying how far the load got when the connection is lost, and continues when sync enrol is run again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'box-office-cli-load-'));
    const proxy = await holdingProxy(suite.url, 6, true);
    cleanup.push(proxy.close);
    const { code } = await createEnrolmentCode(suite.server.db, suite.server.clock, { role: 'gate', eventId });
    const cut = await runCli(['sync', 'enrol', '--server', proxy.url, '--code', code, '--data-dir', dataDir]);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(
      // After the progress lines of the tables it loaded.
      new RegExp(`\\nbox-office: Cannot reach the server at ${proxy.url} \\(.*\\): the first load stopped after [\\d,]+ rows and continues from there with box-office sync load\\n$`),
    );

    proxy.release();
    const again = await runCli(['sync', 'enrol', '--server', proxy.url, '--code', code, '--data-dir', dataDir]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^Enrolled already at http:\/\/127\.0\.0\.1:\d+ as gate: continuing its first load\.\nFinished the first load: /);
    const store = new Store(openDatabase(storeFile(dataDir)));
    expect(loadedRows(store, 'gate')).toEqual(await serverRowsFor(suite.server.db, 'gate'));
    store.close();
  });
});
