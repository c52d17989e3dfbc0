import type { FastifyInstance, InjectOptions } from 'fastify';
import { gunzipSync, zstdDecompressSync } from 'node:zlib';

/**
 * The simulator's network (issue 11 item 6): each terminal's `fetch`, delivered to the server's app
 * in this process (`app.inject`, no sockets) and subject to what the step in progress decided. A
 * request may be lost before the server sees it, answered but its answer lost, delivered twice, or
 * kept and delivered again later (a retransmission overtaken by newer requests); a terminal may be
 * cut off. Every such failure looks to the terminal as a real one does: fetch rejects with a
 * TypeError whose cause carries the socket's code.
 */

export const faults = ['deliver', 'lose-request', 'lose-answer', 'duplicate', 'deliver-again-later'] as const;
export type Fault = (typeof faults)[number];

function networkError(code: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
}

interface HeldRequest {
  terminal: number;
  request: InjectOptions;
}

export class SimulatedNetwork {
  readonly #app: FastifyInstance;
  readonly #cutOff = new Set<number>();
  readonly #held: HeldRequest[] = [];
  /** The fault of the next requests, per terminal; one step's choice (deliver when unset). */
  readonly #faults = new Map<number, Fault>();
  /** What happened, for a failing case's report. */
  readonly log: string[] = [];

  constructor(app: FastifyInstance) {
    this.#app = app;
  }

  cutOff(terminal: number, cut: boolean): void {
    if (cut) this.#cutOff.add(terminal);
    else this.#cutOff.delete(terminal);
  }

  isCutOff(terminal: number): boolean {
    return this.#cutOff.has(terminal);
  }

  /** Heals the network: nobody cut off, no more faults. Held requests stay held until `deliverHeld`. */
  heal(): void {
    this.#cutOff.clear();
    this.#faults.clear();
  }

  setFault(terminal: number, fault: Fault): void {
    this.#faults.set(terminal, fault);
  }

  /** Delivers the requests kept back, oldest first, their answers lost (their senders moved on long ago). */
  async deliverHeld(): Promise<void> {
    for (const held of this.#held.splice(0)) {
      this.log.push(`late delivery from terminal ${held.terminal}: ${held.request.method} ${held.request.url}`);
      await this.#app.inject(held.request);
    }
  }

  /** The `fetch` terminal `terminal` speaks through. */
  fetchOf(terminal: number): typeof fetch {
    return async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const request: InjectOptions = {
        method: (init?.method ?? 'GET') as InjectOptions['method'],
        url: `${url.pathname}${url.search}`,
        headers: { ...(init?.headers as Record<string, string> | undefined) },
        ...(init?.body === undefined || init.body === null ? {} : { payload: init.body as string }),
      };
      if (this.#cutOff.has(terminal)) {
        this.log.push(`terminal ${terminal} cut off: ${request.method} ${request.url}`);
        throw networkError('ENETUNREACH');
      }
      const fault = this.#faults.get(terminal) ?? 'deliver';
      if (fault !== 'deliver') this.log.push(`terminal ${terminal} ${request.method} ${request.url}: ${fault}`);
      if (fault === 'lose-request') throw networkError('ECONNRESET');
      let answer = await this.#app.inject(request);
      if (fault === 'duplicate') answer = await this.#app.inject(request);
      if (fault === 'deliver-again-later') this.#held.push({ terminal, request });
      if (fault === 'lose-answer') throw networkError('ECONNRESET');
      return new Response(inflated(answer.rawPayload, answer.headers['content-encoding']), { status: answer.statusCode, headers: { 'content-type': String(answer.headers['content-type'] ?? 'application/json') } });
    };
  }
}

/** The answer's body as fetch gives it to the terminal: inflated from the encoding the server chose. */
function inflated(payload: Buffer, encoding: unknown): string {
  if (encoding === 'zstd') return zstdDecompressSync(payload).toString('utf8');
  if (encoding === 'gzip') return gunzipSync(payload).toString('utf8');
  return payload.toString('utf8');
}
