import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestCore, insertEvent, snapshot } from '../../test/fixtures/store.ts';
import { resolveStaticPath } from './static-files.ts';
import { startWebHost, type WebHost } from './server.ts';

let host: WebHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

function staticDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bo-static-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Box Office</title>');
  writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
  return dir;
}

async function start() {
  const { store, core } = createTestCore();
  insertEvent(store, { name: 'Summer Festival' });
  host = await startWebHost({ core, staticDir: staticDir(), token: 'secret-token' });
  return { store, core, host };
}

function httpGet(port: number, urlPath: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: urlPath, agent: false, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Message {
  type: string;
  id?: unknown;
  result?: { ok: boolean; value?: unknown; error?: { code: string; message: string; field?: string } };
  error?: { code: string; message: string };
}

function connect(port: number, token: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${encodeURIComponent(token)}`, {
    headers: { origin: `http://127.0.0.1:${port}`, ...headers },
  });
  const messages: Message[] = [];
  const waiters: ((message: Message) => void)[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as Message;
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else messages.push(message);
  });
  const next = () =>
    new Promise<Message>((resolve) => {
      const queued = messages.shift();
      if (queued) resolve(queued);
      else waiters.push(resolve);
    });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return { ws, next, opened, closed };
}

describe('web host', () => {
  it('binds to 127.0.0.1 and prints a URL carrying the token', async () => {
    const { host } = await start();
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=secret-token`);
  });

  it('makes a fresh random token per start when none is given', async () => {
    const { core } = createTestCore();
    const a = await startWebHost({ core, staticDir: staticDir() });
    const b = await startWebHost({ core, staticDir: staticDir() });
    expect(a.token).not.toBe(b.token);
    expect(a.token.length).toBeGreaterThanOrEqual(32);
    await a.close();
    await b.close();
  });

  it('serves the UI with a strict content security policy, and never files outside it', async () => {
    const { host } = await start();
    const page = await httpGet(host.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Box Office');
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'self'");
    expect((await httpGet(host.port, '/assets/app.js')).status).toBe(200);
    expect((await httpGet(host.port, '/assets/missing.js')).status).toBe(404);
    expect((await httpGet(host.port, '/customers/123')).body).toContain('Box Office');
    const root = '/srv/ui';
    expect(resolveStaticPath(root, '/../../etc/passwd')).toBeUndefined();
    expect(resolveStaticPath(root, '/%2e%2e/%2e%2e/etc/passwd')).toBeUndefined();
    expect(resolveStaticPath(root, '/%E0%A4%A')).toBeUndefined();
    expect(resolveStaticPath(root, '/assets/app.js')).toBe('/srv/ui/assets/app.js');
  });

  it('refuses requests naming another host (DNS rebinding)', async () => {
    const { host } = await start();
    const response = await httpGet(host.port, '/', { host: `evil.example:${host.port}` });
    expect(response.status).toBe(403);
    expect(response.body).toMatch(/not allowed/);
  });

  it('answers the session check with 200 for the right token and 401 otherwise', async () => {
    const { host } = await start();
    expect((await httpGet(host.port, '/api/session?token=secret-token')).status).toBe(200);
    const wrong = await httpGet(host.port, '/api/session?token=nope');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatch(/Wrong or missing access token/);
  });

  it('runs operations for a client with the right token', async () => {
    const { host } = await start();
    const client = connect(host.port, 'secret-token');
    await client.opened;
    client.ws.send(JSON.stringify({ id: 7, op: 'events.list', input: {} }));
    const reply = await client.next();
    expect(reply).toMatchObject({ type: 'response', id: 7, result: { ok: true } });
    expect(JSON.stringify(reply.result?.value)).toContain('Summer Festival');
    client.ws.close();
  });

  it('tells a client with a wrong token why, then closes with 4401', async () => {
    const { host } = await start();
    const client = connect(host.port, 'wrong');
    await client.opened;
    const message = await client.next();
    expect(message).toMatchObject({ type: 'error', error: { code: 'FORBIDDEN' } });
    expect(message.error?.message).toMatch(/access token/);
    expect(await client.closed).toBe(4401);
  });

  it('refuses a WebSocket from another origin', async () => {
    const { host } = await start();
    const client = connect(host.port, 'secret-token', { origin: 'http://evil.example' });
    await expect(client.opened).rejects.toThrow(/403/);
  });

  it('answers malformed, unknown and invalid calls with errors, changing nothing', async () => {
    const { host, store } = await start();
    const before = snapshot(store);
    const client = connect(host.port, 'secret-token');
    await client.opened;
    client.ws.send('not json');
    expect(await client.next()).toMatchObject({ id: null, result: { ok: false, error: { code: 'VALIDATION' } } });
    client.ws.send(JSON.stringify({ id: 1, op: 'events.list', input: {}, extra: 'field' }));
    expect(await client.next()).toMatchObject({ id: null, result: { ok: false, error: { code: 'VALIDATION' } } });
    client.ws.send(JSON.stringify({ id: 2, op: 'system.shutdown', input: {} }));
    expect(await client.next()).toMatchObject({ id: 2, result: { ok: false, error: { code: 'VALIDATION', field: 'operation' } } });
    client.ws.send(JSON.stringify({ id: 3, op: 'customers.card', input: { customerId: 42 } }));
    expect(await client.next()).toMatchObject({ id: 3, result: { ok: false, error: { code: 'VALIDATION', field: 'customerId' } } });
    client.ws.send(JSON.stringify({ id: 4, op: 'import.customers', input: { source: { path: '/etc/passwd' } } }));
    expect(await client.next()).toMatchObject({ id: 4, result: { ok: false, error: { code: 'FORBIDDEN', field: 'source' } } });
    client.ws.close();
    expect(snapshot(store)).toEqual(before);
  });
});
