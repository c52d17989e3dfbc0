import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestCore, insertEvent, snapshot } from '../../test/fixtures/store.ts';
import { resolveStaticPath } from './static-files.ts';
import { maxUploadChunkLength } from '../../core/import/import.contract.ts';
import { sql } from '../../db/store.ts';
import { startWebHost, tokenBucket, type WebHost } from './server.ts';

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

async function start(options: Partial<Parameters<typeof startWebHost>[0]> = {}) {
  const { store, core } = createTestCore();
  insertEvent(store, { name: 'Summer Festival' });
  host = await startWebHost({ core, staticDir: staticDir(), token: 'secret-token', ...options });
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

  it('closes a connection sending a message over 1 MiB (1009), and keeps serving the others', async () => {
    const { host } = await start();
    const scanner = connect(host.port, 'secret-token');
    const flooder = connect(host.port, 'secret-token');
    await Promise.all([scanner.opened, flooder.opened]);
    flooder.ws.send(JSON.stringify({ id: 1, op: 'import.preview', input: { text: 'x'.repeat(1024 * 1024) } }));
    expect(await flooder.closed).toBe(1009);
    scanner.ws.send(JSON.stringify({ id: 2, op: 'events.list', input: {} }));
    expect(await scanner.next()).toMatchObject({ id: 2, result: { ok: true } });
    scanner.ws.close();
  });

  it('takes a file of several MiB as import.upload chunks, then previews and imports it by uploadId', async () => {
    const { host, store } = await start();
    const client = connect(host.port, 'secret-token');
    await client.opened;
    // ~3 MiB: three times the message cap, sent in chunks of the contract's size.
    const rows = Array.from({ length: 60_000 }, (_, index) => `p${index}@example.com,T-${index}`);
    const text = ['email,ticket', ...rows].join('\n');
    expect(text.length).toBeGreaterThan(3 * 1024 * 1024 / 2);
    let uploadId: string | undefined;
    let id = 10;
    for (let offset = 0; offset < text.length; offset += maxUploadChunkLength) {
      client.ws.send(JSON.stringify({ id: ++id, op: 'import.upload', input: { ...(uploadId ? { uploadId } : {}), offset, chunk: text.slice(offset, offset + maxUploadChunkLength) } }));
      const reply = await client.next();
      expect(reply.result?.ok).toBe(true);
      uploadId = (reply.result?.value as { uploadId: string }).uploadId;
    }
    client.ws.send(JSON.stringify({ id: 1, op: 'import.preview', input: { uploadId } }));
    expect(await client.next()).toMatchObject({ id: 1, result: { ok: true, value: { header: ['email', 'ticket'] } } });
    client.ws.send(JSON.stringify({ id: 2, op: 'import.customers', input: { source: { uploadId }, dryRun: true } }));
    let reply = await client.next();
    while (reply.type !== 'response') reply = await client.next();
    expect(reply).toMatchObject({ id: 2, result: { ok: true, value: { rowsRead: 60_000, imported: 60_000 } } });
    expect(store.first(sql.selectFrom('customers').select('id'))).toBeUndefined();
    client.ws.close();
  });

  it('answers requests beyond the per-connection rate limit with UNAVAILABLE, without running them', async () => {
    const { host, store } = await start({ rateLimit: { burst: 3, perSecond: 0.001 } });
    const before = snapshot(store);
    const client = connect(host.port, 'secret-token');
    await client.opened;
    for (let id = 1; id <= 4; id++) client.ws.send(JSON.stringify({ id, op: 'events.list', input: {} }));
    const replies = [await client.next(), await client.next(), await client.next(), await client.next()];
    expect(replies.filter((reply) => reply.result?.ok).map((reply) => reply.id).sort()).toEqual([1, 2, 3]);
    expect(replies.find((reply) => reply.id === 4)).toMatchObject({ result: { ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/^Too many requests/) } } });
    // Another window has its own allowance.
    const other = connect(host.port, 'secret-token');
    await other.opened;
    other.ws.send(JSON.stringify({ id: 9, op: 'events.list', input: {} }));
    expect(await other.next()).toMatchObject({ id: 9, result: { ok: true } });
    expect(snapshot(store)).toEqual(before);
    client.ws.close();
    other.ws.close();
  });

  it('lets a fast barcode scanner through the default limit: 200 calls in a burst all answered', async () => {
    const { host } = await start();
    const client = connect(host.port, 'secret-token');
    await client.opened;
    for (let id = 1; id <= 200; id++) client.ws.send(JSON.stringify({ id, op: 'events.list', input: {} }));
    const replies = await Promise.all(Array.from({ length: 200 }, () => client.next()));
    expect(replies.every((reply) => reply.result?.ok)).toBe(true);
    client.ws.close();
  });
});

describe('web host: operators and roles, each connection signed in for itself', () => {
  /** A connection that answers each call in order (events the core publishes meanwhile are skipped). */
  async function window(port: number) {
    const client = connect(port, 'secret-token');
    await client.opened;
    let id = 0;
    return async (op: string, input: unknown) => {
      client.ws.send(JSON.stringify({ id: (id += 1), op, input }));
      let message = await client.next();
      while (message.type === 'event') message = await client.next();
      expect(message.id).toBe(id);
      return message.result!;
    };
  }

  async function staffed() {
    const started = await start();
    for (const [name, role, pin] of [['Ada', 'admin', '1111'], ['Stu', 'steward', '3333']] as const) {
      expect(await started.core.invoke('operators.add', { name, role, pin })).toMatchObject({ ok: true });
    }
    return started;
  }

  it('gives a steward FORBIDDEN for customers.update, import.customers and orders.create, whatever the input', async () => {
    const { store, host } = await staffed();
    const call = await window(host.port);
    expect(await call('customers.update', { customerId: 'x' })).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'Sign in first: this needs an operator signed in' } });
    expect(await call('operators.signIn', { name: 'Stu', pin: '3333' })).toEqual({ ok: true, value: { operator: { name: 'Stu', role: 'steward' }, firstRun: false } });
    const before = snapshot(store);
    for (const op of ['customers.update', 'import.customers', 'orders.create']) {
      for (const input of [{}, 'garbage', { customerId: '0190a0a0-0000-7000-8000-000000000000', firstName: 'Eve' }, { source: { path: '/etc/passwd' } }]) {
        const result = await call(op, input);
        expect(result.ok, op).toBe(false);
        expect(result.error?.code, `${op} ${JSON.stringify(input)}`).toMatch(/^FORBIDDEN$/);
      }
    }
    expect(snapshot(store)).toEqual(before);
    expect(await call('events.list', {})).toMatchObject({ ok: true });
  });

  it('keeps two connections signed in as different operators apart', async () => {
    const { host, store } = await staffed();
    const gate = await window(host.port);
    const office = await window(host.port);
    await gate('operators.signIn', { name: 'Stu', pin: '3333' });
    await office('operators.signIn', { name: 'Ada', pin: '1111' });
    expect(await gate('operators.current', {})).toEqual({ ok: true, value: { operator: { name: 'Stu', role: 'steward' }, firstRun: false } });
    expect(await office('operators.current', {})).toEqual({ ok: true, value: { operator: { name: 'Ada', role: 'admin' }, firstRun: false } });
    expect(await gate('operators.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await office('operators.list', {})).toMatchObject({ ok: true });
    expect(await office('station.setPin', { pin: '2468' })).toMatchObject({ ok: true });
    const audit = store.db.prepare("SELECT operator FROM audit_log WHERE operation = 'station.setPin@1'").all();
    expect(audit).toEqual([{ operator: 'Ada' }]);
    // A new connection starts signed out.
    expect(await (await window(host.port))('operators.current', {})).toEqual({ ok: true, value: { operator: null, firstRun: false } });
  });

  it('a locked station answers only check-in and unlock, to a steward and an admin alike', async () => {
    const { host } = await staffed();
    const gate = await window(host.port);
    const office = await window(host.port);
    await gate('operators.signIn', { name: 'Stu', pin: '3333' });
    await office('operators.signIn', { name: 'Ada', pin: '1111' });
    expect(await office('station.setPin', { pin: '2468' })).toMatchObject({ ok: true });
    expect(await gate('station.lock', {})).toMatchObject({ ok: true, value: { locked: true } });
    const locked = { ok: false, error: { code: 'FORBIDDEN', message: 'This station is locked to check-in: a supervisor unlocks it with the station PIN' } };
    for (const call of [gate, office]) {
      expect(await call('customers.search', { query: 'anna' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await call('readers.add', 'garbage')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(await office('customers.search', { query: 'anna' })).toEqual(locked);
    expect(await office('operators.add', { name: 'Eve', role: 'admin', pin: '5555' })).toEqual(locked);
    expect(await gate('checkin.latestVerdict', {})).toMatchObject({ ok: true });
    expect(await gate('checkin.scan', { code: 'NO-SUCH-TICKET', gateId: null, direction: 'entry' })).toMatchObject({ ok: true, value: { verdict: 'rejected' } });
    expect(await gate('station.unlock', { pin: '2468' })).toMatchObject({ ok: true, value: { locked: false } });
    expect(await office('customers.search', { query: 'anna' })).toMatchObject({ ok: true });
  });
});

describe('tokenBucket', () => {
  it('allows the burst, then refills at the sustained rate', () => {
    let now = 0;
    const bucket = tokenBucket({ burst: 2, perSecond: 10 }, () => now);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
    now = 100;
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
  });
});
