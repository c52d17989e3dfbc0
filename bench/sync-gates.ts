// Gates A and B of bench/sync.bench.ts, syncing as the desktop app and `box-office serve` do, in a
// process of their own: each a host (host/host.ts) whose sync worker thread pushes, pulls and
// listens on the live socket, enrolled as a gate and loaded by that worker's first sync, scanning
// through the core API as a steward. B reaches the server through a link the benchmark can cut
// (network-link.ts): one more hop on this machine's loopback, as a venue's network has its own.
// Reads its arguments as JSON on stdin, prints one JSON line of figures on stdout. Parts:
// - propagation: A and B online. A scans a credential, and the clock runs until B's store holds
//   that scan: B's main thread looks for it after every report of B's sync worker (one after each
//   sync), as the status indicator hears them. One sample every 100 to 200 ms, the first few left
//   out as warm-up. Then a burst: A scans as fast as its main thread decides (one event-loop turn
//   each, as scans from a reader come), and the figures are the pushes that carried it and the
//   time until B holds the last scan.
// - catchUp: B's link is cut and B scans the credentials offline; then the link comes back and
//   staff press "Sync now": the seconds until its outbox is drained (pushed and acknowledged) and
//   until the sync has pulled everything, its scans back with their server versions included.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { CoreEvent } from '../core/api/pubsub.ts';
import { deviceId, setChosenEventId } from '../core/terminal/state.ts';
import { createHost, type Host } from '../host/host.ts';
import { createRandom } from '../host/seed/random.ts';
import { enrolTerminal } from '../sync/terminal/enrolment.ts';
import { commandCount } from '../sync/terminal/outbox.ts';
import { AnsweredScans } from '../core/checkin/answered-scans.ts';
import { openNetworkLink, type NetworkLink } from './network-link.ts';
import { percentiles } from './timing.ts';

interface GatesArguments {
  serverUrl: string;
  /** Enrolment codes (role gate) of A and B. */
  codes: { a: string; b: string };
  eventId: string;
  gateId: string;
  /** The moment the scans happen (ms), so the tickets are in their validity window. */
  scanAt: number;
  /** A's credentials to scan, each once, in this order: samples left out first, samples measured, the burst. */
  propagation: { credentials: string[]; warmUp: number; samples: number; burst: number } | null;
  /** B's credentials to scan offline. */
  catchUp: { credentials: string[] } | null;
}

/** A sample that B has not received by then stops the benchmark: something is broken, not slow. */
const sampleTimeoutMs = 30_000;
const round = (ms: number) => Math.round(ms * 1000) / 1000;

interface Gate {
  host: Host;
  /** Scans a credential at the gate through the core API; its scan id. */
  scan(code: string): Promise<string>;
  /** Whether this gate's store holds the scan. */
  holds(scanId: string): boolean;
  /** Calls `listener` with every sync.status its host publishes (after every report of its sync worker). */
  onStatus(listener: (status: Extract<CoreEvent, { type: 'sync.status' }>['status']) => void): void;
  close(): Promise<void>;
}

/** A gate enrolled at the server, its sync worker started and its first load done. */
async function startGate(args: GatesArguments, workDir: string, name: string, code: string, serverUrl: string): Promise<Gate> {
  const dataDir = join(workDir, name);
  mkdirSync(dataDir);
  let tick = 0;
  const host = createHost({
    dataDir,
    clock: { now: () => new Date(args.scanAt + tick++) },
    caller: { name: 'Gate steward', role: 'steward' },
    logLevel: 'silent',
  });
  await enrolTerminal(host.store, { dataDir, serverUrl, code, name });
  setChosenEventId(host.store, args.eventId);
  host.sync.start();
  // The worker's first sync loads the event; this one starts after it.
  await host.sync.syncNow();
  const held = host.store.statement('SELECT 1 FROM scans WHERE id = ?');
  return {
    host,
    async scan(credential) {
      const result = await host.core.invoke('checkin.scan', { code: credential, gateId: args.gateId, direction: 'entry' });
      if (!result.ok) throw new Error(`checkin.scan at ${name} failed: ${result.error.message}`);
      return result.value.scanId;
    },
    holds: (scanId) => held.get(scanId) !== undefined,
    onStatus(listener) {
      host.sync.onEvent((event) => {
        if (event.type === 'sync.status') listener(event.status);
      });
    },
    async close() {
      await host.sync.stop();
      host.close();
    },
  };
}

/** Resolves with the moment (performance.now) gate B first holds the scan, checked after each of its worker's reports. */
function arrival(b: Gate, watchers: Set<() => void>, scanId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      watchers.delete(check);
      reject(new Error(`Gate B did not receive scan ${scanId} within ${sampleTimeoutMs / 1000} s`));
    }, sampleTimeoutMs);
    function check() {
      if (!b.holds(scanId)) return;
      const at = performance.now();
      clearTimeout(timer);
      watchers.delete(check);
      resolve(at);
    }
    watchers.add(check);
    check();
  });
}

async function propagation(a: Gate, b: Gate, asked: NonNullable<GatesArguments['propagation']>) {
  const watchers = new Set<() => void>();
  b.onStatus(() => {
    for (const watcher of [...watchers]) watcher();
  });
  const random = createRandom(7);
  const credentials = asked.credentials[Symbol.iterator]();
  const next = () => {
    const code = credentials.next();
    if (code.done) throw new Error('The benchmark handed the gates fewer credentials than it scans');
    return code.value;
  };
  const samples: number[] = [];
  for (let sample = 0; sample < asked.warmUp + asked.samples; sample++) {
    const scanId = await a.scan(next());
    // The verdict is on A's screen and the scan in its outbox: the propagation starts.
    const scanned = performance.now();
    const received = await arrival(b, watchers, scanId);
    if (sample >= asked.warmUp) samples.push(received - scanned);
    await sleep(100 + random.int(101));
  }

  // The burst, then how many pushes carried it: each push is one transaction on the server,
  // which stamps every row it writes with one new version of the event.
  const burstStarted = performance.now();
  const burst: string[] = [];
  for (let scan = 0; scan < asked.burst; scan++) {
    burst.push(await a.scan(next()));
    await nextTurn();
  }
  const scannedIn = performance.now() - burstStarted;
  const received = burst.length === 0 ? burstStarted : await arrival(b, watchers, burst.at(-1)!);
  const versions = b.host.store.statement('SELECT count(DISTINCT server_version) AS n FROM scans WHERE id IN (SELECT value FROM json_each(?))').get(JSON.stringify(burst)) as { n: number };
  return {
    ...percentiles(samples),
    max: round(Math.max(0, ...samples)),
    samples: samples.length,
    burst: {
      scans: burst.length,
      scanSeconds: Math.round(scannedIn) / 1000,
      pushes: versions.n,
      secondsUntilBHoldsAll: Math.round(received - burstStarted) / 1000,
    },
  };
}

async function catchUp(b: Gate, link: NetworkLink, credentials: readonly string[]) {
  await link.cut();
  const offlineStarted = performance.now();
  for (const [index, credential] of credentials.entries()) {
    await b.scan(credential);
    // A turn of the event loop now and then, so the host hears its worker (which finds the server gone).
    if (index % 100 === 99) await nextTurn();
  }
  // Each scan was answered first and is recorded just after (core/checkin/answered-scans.ts): all of them, before they are counted.
  await AnsweredScans.of(b.host.core.context).recorded();
  const scanSeconds = (performance.now() - offlineStarted) / 1000;
  const waiting = commandCount(b.host.store, 'pending');
  if (waiting !== credentials.length) throw new Error(`The gate has ${waiting} commands waiting after ${credentials.length} offline scans`);

  await link.restore();
  const started = performance.now();
  // The outbox drains as the push's batches are acknowledged: looked at every 10 ms on this thread.
  let drained: number | null = null;
  const watch = setInterval(() => {
    if (drained === null && commandCount(b.host.store, 'pending') === 0) drained = performance.now();
  }, 10);
  const result = await b.host.sync.syncNow();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(watch);
  drained ??= performance.now();
  if (result.waiting !== 0 || !result.caughtUp) throw new Error(`The gate's catch-up left ${result.waiting} commands waiting (caught up: ${result.caughtUp})`);
  // Pulled back: every scan it made carries the version the server stamped it with.
  const stamped = b.host.store.statement('SELECT count(*) AS n FROM scans WHERE device_id = ? AND server_version IS NOT NULL').get(deviceId(b.host.store)) as { n: number };
  if (stamped.n !== credentials.length) throw new Error(`The gate holds ${stamped.n} of its ${credentials.length} scans with a server version after catching up`);
  const pushSeconds = (drained - started) / 1000;
  return {
    scans: credentials.length,
    offlineScanSeconds: Math.round(scanSeconds * 100) / 100,
    seconds: Math.round(seconds * 100) / 100,
    scansPerSecond: Math.round(credentials.length / seconds),
    pushSeconds: Math.round(pushSeconds * 100) / 100,
    pushScansPerSecond: Math.round(credentials.length / pushSeconds),
  };
}

let input = '';
for await (const chunk of process.stdin) input += String(chunk);
const args = JSON.parse(input) as GatesArguments;
const workDir = mkdtempSync(join(tmpdir(), 'box-office-sync-gates-'));
const link = await openNetworkLink(args.serverUrl);
try {
  const [a, b] = await Promise.all([args.propagation ? startGate(args, workDir, 'gate-a', args.codes.a, args.serverUrl) : null, startGate(args, workDir, 'gate-b', args.codes.b, link.url)]);
  try {
    const figures = {
      propagation: args.propagation && a ? await propagation(a, b, args.propagation) : null,
      catchUp: args.catchUp ? await catchUp(b, link, args.catchUp.credentials) : null,
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await a?.close();
    await b.close();
  }
} finally {
  await link.close();
  rmSync(workDir, { recursive: true, force: true });
}
