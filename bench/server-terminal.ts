import { Agent, request as httpRequest } from 'node:http';
import { promisify } from 'node:util';
import { gunzip, zstdDecompress } from 'node:zlib';
import { z } from 'zod';
import type { Envelope } from '../core/commands/envelope.ts';
import { newId } from '../core/ids.ts';
import { formatHlc } from '../core/terminal/hlc.ts';
import {
  enrolResponseSchema,
  protocolHeader,
  protocolVersion,
  pullResponseSchema,
  pushResponseSchema,
  snapshotPageShape,
  type Cursors,
  type EnrolResponse,
  type PushResponse,
  type SnapshotRequest,
} from '../sync/protocol.ts';
import type { Credential, ServerFestival } from './server-festival.ts';

/**
 * A terminal's side of the sync protocol over real HTTP (node:http, connections kept alive): what
 * the server benchmark's fake devices send. Answers are checked with the protocol's schemas, but a
 * page's rows only as a list: the figures are the server's, and checking 10,000 rows of columns
 * per page would add the client's time to them.
 */

const pullPageShape = pullResponseSchema.extend({ changes: z.array(z.object({ table: z.string(), rows: z.array(z.unknown()) })) });

/** An answer's size on the wire (compressed when the server compressed it) and as JSON, and the time the client took to inflate and parse it. */
export interface Transfer {
  wireBytes: number;
  jsonBytes: number;
  decodeMs: number;
}

export interface EnrolledDevice extends EnrolResponse {
  /** The seq its next envelope takes. */
  nextSeq: number;
}

const inflate = { gzip: promisify(gunzip), zstd: promisify(zstdDecompress) };

export function serverTerminal(baseUrl: string) {
  // As many sockets as devices push at once; kept alive, as a terminal's sync worker keeps its connection.
  const agent = new Agent({ keepAlive: true });

  function request(method: 'GET' | 'POST', path: string, token: string | undefined, body?: unknown): Promise<{ status: number; encoding: string | undefined; bytes: Buffer }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {
      [protocolHeader]: String(protocolVersion),
      'accept-encoding': 'zstd, gzip',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
    };
    return new Promise((resolve, reject) => {
      const sent = httpRequest(new URL(path, baseUrl), { method, headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, encoding: response.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
        response.on('error', reject);
      });
      sent.on('error', reject);
      sent.end(payload);
    });
  }

  async function answer(method: 'GET' | 'POST', path: string, token: string | undefined, body?: unknown): Promise<{ body: unknown } & Transfer> {
    const { status, encoding, bytes } = await request(method, path, token, body);
    const started = performance.now();
    const text = (encoding === 'gzip' || encoding === 'zstd' ? await inflate[encoding](bytes) : bytes).toString('utf8');
    if (status !== 200) throw new Error(`${method} ${path} answered ${status}: ${text.slice(0, 500)}`);
    const parsed: unknown = JSON.parse(text);
    return { body: parsed, wireBytes: bytes.length, jsonBytes: Buffer.byteLength(text), decodeMs: performance.now() - started };
  }

  return {
    async enrol(code: string, name: string): Promise<EnrolledDevice> {
      const { body } = await answer('POST', '/enrol', undefined, { code, name });
      return { ...enrolResponseSchema.parse(body), nextSeq: 1 };
    },

    async push(device: EnrolledDevice, envelopes: readonly Envelope[]): Promise<PushResponse> {
      const { body } = await answer('POST', '/push', device.token, { envelopes });
      return pushResponseSchema.parse(body);
    },

    async snapshotPage(device: EnrolledDevice, snapshot: SnapshotRequest) {
      const query = new URLSearchParams(Object.entries(snapshot).flatMap(([key, value]): [string, string][] => (value === undefined ? [] : [[key, String(value)]])));
      const { body, ...transfer } = await answer('GET', `/snapshot?${query}`, device.token);
      return { page: snapshotPageShape.parse(body), ...transfer };
    },

    async pull(device: EnrolledDevice, cursors: Cursors) {
      const { body, ...transfer } = await answer('POST', '/pull', device.token, { cursors });
      return { page: pullPageShape.parse(body), ...transfer };
    },

    close: () => agent.destroy(),
  };
}

export type ServerTerminal = ReturnType<typeof serverTerminal>;

/**
 * The envelopes a gate terminal writes for these scans, as its outbox holds them after each scan
 * was decided there: facts whose args carry the verdict (an admission, each credential's first),
 * the gate, the time and the scan's id. The device's seqs are taken in order.
 */
export function scanEnvelopes(device: EnrolledDevice, festival: ServerFestival, credentials: readonly Credential[], atMs: number): Envelope[] {
  return credentials.map((credential, index) => {
    const at = new Date(atMs + index).toISOString();
    return {
      id: newId(),
      deviceId: device.deviceId,
      seq: device.nextSeq++,
      name: 'checkin.scan',
      version: 1,
      args: {
        code: credential.code,
        gateId: festival.gateId,
        direction: 'entry',
        eventId: festival.eventId,
        scanId: newId(),
        verdict: 'admitted',
        reason: 'admitted',
        warning: null,
        at,
      },
      hlc: formatHlc({ wallMs: atMs + index, counter: 0 }, device.deviceId),
      at,
      operator: festival.operator,
      eventId: festival.eventId,
    };
  });
}
