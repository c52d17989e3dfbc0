import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { protocolHeader, protocolVersion } from '../../sync/protocol.ts';
import { serverCliJson } from '../../test/fixtures/server-cli.ts';
import { runningServerSchema, serverFile } from '../data-folder.ts';

/**
 * The one end-to-end run of the real command: `box-office-server start` on PGlite in a new data
 * folder, administered through its admin routes by the CLI, then stopped with SIGTERM.
 */
const bin = fileURLToPath(new URL('./box-office-server.ts', import.meta.url));

interface LogLine {
  msg?: string;
  port?: number;
  req?: { method: string; url: string };
}

describe('box-office-server start', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
  });

  it('serves on PGlite in its data folder, is administered through its admin routes, and stops cleanly on SIGTERM', { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'box-office-server-start-'));
    const started = spawn(process.execPath, [bin, 'start', '--data-dir', dataDir, '--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BOX_OFFICE_SERVER_LOG_LEVEL: 'info' } });
    child = started;
    let stderr = '';
    started.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => started.once('exit', (code) => resolve(code)));
    const log: LogLine[] = [];
    const listening = new Promise<LogLine>((resolve, reject) => {
      createInterface({ input: started.stdout! }).on('line', (line) => {
        const entry = JSON.parse(line) as LogLine;
        log.push(entry);
        if (entry.msg === 'box-office-server listening') resolve(entry);
      });
      void exited.then((code) => reject(new Error(`box-office-server start exited ${code} before listening: ${stderr}`)));
    });

    const { port } = await listening;
    const running = runningServerSchema.parse(JSON.parse(readFileSync(serverFile(dataDir), 'utf8')));
    expect(running).toMatchObject({ port, pid: started.pid, url: `http://127.0.0.1:${port}` });
    expect(statSync(serverFile(dataDir)).mode & 0o777).toBe(0o600);
    expect(await fetch(`${running.url}/health`).then((response) => response.json())).toMatchObject({ ok: true, protocol: protocolVersion });

    const store = ['--data-dir', dataDir];
    const code = await serverCliJson<{ code: string; expiresAt: string }>(['enrol-code', '--role', 'gate', ...store]);
    expect(Object.keys(code).sort()).toEqual(['code', 'expiresAt']);
    const event = await serverCliJson<{ id: string }>(['events', 'create', '--name', 'Harbour Days', '--starts', '2026-08-01T10:00:00+02:00', '--ends', '2026-08-02T23:00:00+02:00', '--time-zone', 'Europe/Amsterdam', '--currency', 'EUR', ...store]);
    expect(Object.keys(event)).toEqual(['id']);
    const enrolled = await fetch(`${running.url}/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [protocolHeader]: String(protocolVersion) },
      body: JSON.stringify({ code: code.code, name: 'Gate West' }),
    }).then((response) => response.json() as Promise<{ deviceId: string }>);
    const { devices } = await serverCliJson<{ devices: { id: string; name: string; role: string }[] }>(['devices', 'list', ...store]);
    expect(devices).toEqual([expect.objectContaining({ id: enrolled.deviceId, name: 'Gate West', role: 'gate' })]);
    // The commands reached the running server's routes (its PGlite database is open in it alone).
    const adminRequests = log.flatMap((entry) => (entry.req?.url.startsWith('/admin/') ? [`${entry.req.method} ${entry.req.url}`] : []));
    expect(adminRequests).toEqual(['POST /admin/enrol-codes', 'POST /admin/events', 'GET /admin/devices']);

    started.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(log.map((entry) => entry.msg)).toContain('box-office-server stopped');
    expect(existsSync(serverFile(dataDir))).toBe(false);
    expect(existsSync(join(dataDir, 'store.lock'))).toBe(false);
    expect(stderr).toBe('');
  });
});
