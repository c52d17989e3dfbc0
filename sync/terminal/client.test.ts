import { describe, expect, it } from 'vitest';
import { protocolHeader, protocolVersion } from '../protocol.ts';
import { DeviceRefused, ServerRefused, SyncClient, UnexpectedAnswer } from './client.ts';

/** The client's side of answers a real server rarely gives: each becomes a typed error with words for staff. */

const answering = (status: number, body: string, seen: RequestInit[] = []): typeof fetch =>
  async (_input, init) => {
    seen.push(init!);
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  };

const serverUrl = 'http://box-office.test:7420/';

describe('SyncClient', () => {
  it('sends the protocol version and the token, and records the clock offset of a good answer', async () => {
    const seen: RequestInit[] = [];
    const offsets: number[] = [];
    const clock = { now: () => new Date('2026-07-10T12:00:00.000Z') };
    const client = new SyncClient({ serverUrl, token: 'secret', clock, onServerOffset: (offset) => offsets.push(offset), fetch: answering(200, JSON.stringify({ receipts: [], lastSeq: 4, serverTime: '2026-07-10T12:00:02.500Z' }), seen) });
    expect(client.serverUrl).toBe('http://box-office.test:7420');
    expect(await client.push({ envelopes: [] })).toEqual({ receipts: [], lastSeq: 4, serverTime: '2026-07-10T12:00:02.500Z' });
    expect(seen[0]!.headers).toMatchObject({ [protocolHeader]: String(protocolVersion), authorization: 'Bearer secret' });
    expect(offsets).toEqual([2500]);
  });

  it('turns refusals and answers it cannot read into typed errors, and records no offset from them', async () => {
    const offsets: number[] = [];
    const client = (status: number, body: string) => new SyncClient({ serverUrl, token: 't', onServerOffset: (offset) => offsets.push(offset), fetch: answering(status, body) });
    await expect(client(401, JSON.stringify({ error: { code: 'unauthenticated', message: 'This device token is not known to the server: enrol the terminal again' } })).push({ envelopes: [] })).rejects.toEqual(
      new DeviceRefused('unauthenticated', 'This device token is not known to the server: enrol the terminal again'),
    );
    const tooMany = client(413, JSON.stringify({ error: { code: 'too_many_commands', message: 'A push holds at most 500 commands', field: 'envelopes' } })).push({ envelopes: [] });
    await expect(tooMany).rejects.toBeInstanceOf(ServerRefused);
    await expect(tooMany).rejects.toMatchObject({ status: 413, code: 'too_many_commands', field: 'envelopes', message: 'A push holds at most 500 commands' });
    await expect(client(502, '<html>Bad Gateway</html>').push({ envelopes: [] })).rejects.toMatchObject({ status: 502, message: 'The server at http://box-office.test:7420 answered HTTP 502: <html>Bad Gateway</html>' });
    await expect(client(200, JSON.stringify({ receipts: [], serverTime: '2026-07-10T12:00:00.000Z' })).push({ envelopes: [] })).rejects.toEqual(
      new UnexpectedAnswer('The server at http://box-office.test:7420 answered /push with something this terminal does not understand (lastSeq: Invalid input: expected number, received undefined): is it a Box Office server?'),
    );
    expect(offsets).toEqual([]);
  });

  it('refuses a server address that is not an http or https URL, naming it', () => {
    expect(() => new SyncClient({ serverUrl: 'ftp://box-office.test' })).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'serverUrl' }));
  });
});
