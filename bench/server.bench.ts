// The central server at festival scale (issue 10 item 7), on PostgreSQL and on PGlite: push
// throughput (scans accepted per second from 8 gate terminals pushing batches of 100 over HTTP at
// once, receipts stored) and the p99 of a push; a terminal's first load (the snapshot of the event
// and of the rows of no event: 500,000 customers, 1,000,000 tickets, 1,000,000 wristbands, every
// page, gzipped, over HTTP); a pull of 10,000 changed rows. Each with its raw baseline in the same
// run (server-raw-work.ts). Prints one JSON object on stdout, progress on stderr.
// BENCH_SCALE (e.g. 0.01) shrinks the dataset and the pushes; BENCH_SERVER_STORES=postgres (or
// pglite) runs one store; BOX_OFFICE_BENCH_POSTGRES names the maintenance database to create the
// benchmark's database from.
import { cpus, loadavg } from 'node:os';
import pino from 'pino';
import { systemClock } from '../core/clock.ts';
import type { ServerDatabase } from '../server/db/database.ts';
import { createEnrolmentCode, enrolDevice } from '../server/devices/enrolment.ts';
import { buildServerApp } from '../server/http/app.ts';
import { currentVersions } from '../server/sync/pull.ts';
import { snapshotPageRows, type Cursors, type DeviceRole, type SnapshotRequest } from '../sync/protocol.ts';
import { askedStores, openBenchStore, type StoreKind } from './server-store.ts';
import { loadServerFestival, scanDay, type Credential, type ServerFestival } from './server-festival.ts';
import { rawChangedRows, rawKeyOrderRead, rawPushBatch } from './server-raw-work.ts';
import { scanEnvelopes, serverTerminal, type EnrolledDevice, type ServerTerminal } from './server-terminal.ts';
import { percentiles, progress, ratio } from './timing.ts';

const scale = Number(process.env.BENCH_SCALE ?? '1');
if (!Number.isFinite(scale) || scale <= 0) throw new Error(`BENCH_SCALE must be a positive number, got ${process.env.BENCH_SCALE}`);
const scaled = (full: number, minimum: number) => Math.max(minimum, Math.round(full * scale));
const stores = askedStores();


const devices = 8;
const batchCommands = 100;
/**
 * Pushes per device, timed (each device pushes one more first, to open its connection): 20,000
 * scans in all, about a minute on each store, and 200 latencies for the p99.
 */
const batchesPerDevice = scaled(25, 2);
// Each pulled scan changes two rows: the scan and its ticket's or wristband's presence.
const pulledScans = scaled(5000, 200);
const pulledRows = 2 * pulledScans;
const dataset = {
  customers: scaled(500_000, 5000),
  tickets: scaled(1_000_000, 10_000),
  tags: scaled(1_000_000, 10_000),
  seed: 1,
  // Every scan of the run names a credential of its own: its first admission.
  scannable: 2 * devices * (batchesPerDevice + 1) * batchCommands + pulledScans,
};
const goals = { snapshotRatio: 3, pushScansPerSecond: 2000 };

const logger = pino({ level: 'silent' });
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const megabytes = (bytes: number) => round(bytes / 1e6, 1);

/** Enrols a device through POST /enrol with a code made for its role and the event. */
async function enrolOverHttp(db: ServerDatabase, terminal: ServerTerminal, role: DeviceRole, eventId: string, name: string): Promise<EnrolledDevice> {
  const { code } = await createEnrolmentCode(db, systemClock, { role, eventId });
  return terminal.enrol(code, name);
}

/** Hands out the festival's credentials, each once. */
function credentialSource(festival: ServerFestival) {
  let next = 0;
  return (count: number): Credential[] => {
    if (next + count > festival.credentials.length) throw new Error(`The benchmark ran out of credentials to scan after ${next}`);
    const taken = festival.credentials.slice(next, next + count);
    next += count;
    return taken;
  };
}

interface Batch {
  device: EnrolledDevice;
  credentials: Credential[];
  envelopes: ReturnType<typeof scanEnvelopes>;
}

/** Per device, `count` batches of scans written by it, in seq order. */
function plannedBatches(fleet: readonly EnrolledDevice[], festival: ServerFestival, take: (count: number) => Credential[], count: number): Batch[][] {
  return fleet.map((device, d) =>
    Array.from({ length: count }, (_, b) => {
      const credentials = take(batchCommands);
      return { device, credentials, envelopes: scanEnvelopes(device, festival, credentials, scanDay + (d * count + b) * batchCommands) };
    }),
  );
}

/**
 * Runs every device's batches, the devices at once and each device's one after the other (a
 * terminal's sync worker waits for an answer before it sends again): the wall time and each batch's latency.
 */
async function concurrently(plan: readonly Batch[][], send: (batch: Batch) => Promise<number>): Promise<{ accepted: number; seconds: number; samples: number[] }> {
  const samples: number[] = [];
  let accepted = 0;
  const started = performance.now();
  await Promise.all(
    plan.map(async (batches) => {
      for (const batch of batches) {
        const sent = performance.now();
        // Not `accepted += await …`: that reads `accepted` before the await, losing the others' counts.
        const taken = await send(batch);
        samples.push(performance.now() - sent);
        accepted += taken;
      }
    }),
  );
  return { accepted, seconds: (performance.now() - started) / 1000, samples };
}

function throughput(run: { accepted: number; seconds: number; samples: number[] }) {
  const { p50, p99 } = percentiles(run.samples);
  return { scansPerSecond: Math.round(run.accepted / run.seconds), p50Ms: round(p50, 1), p99Ms: round(p99, 1), seconds: round(run.seconds), scans: run.accepted, pushes: run.samples.length };
}

async function measurePush(db: ServerDatabase, terminal: ServerTerminal, fleet: readonly EnrolledDevice[], festival: ServerFestival, take: (count: number) => Credential[]) {
  const push = async ({ device, envelopes }: Batch) => {
    const response = await terminal.push(device, envelopes);
    const refused = response.receipts.find((receipt) => receipt.status !== 'applied');
    if (refused) throw new Error(`A benchmark scan was not applied: ${JSON.stringify(refused)}`);
    if (response.lastSeq !== envelopes.at(-1)!.seq) throw new Error(`The server acknowledged up to seq ${response.lastSeq}, not ${envelopes.at(-1)!.seq}`);
    return response.receipts.length;
  };
  // One push per device first, one device after the other: each opens its connection, and these
  // are the latencies of a push that waits for no other.
  const alone: number[] = [];
  for (const batch of plannedBatches(fleet, festival, take, 1).flat()) {
    const sent = performance.now();
    await push(batch);
    alone.push(performance.now() - sent);
  }
  const receiptsBefore = await countReceipts(db);
  const run = await concurrently(plannedBatches(fleet, festival, take, batchesPerDevice), push);
  const receiptsStored = (await countReceipts(db)) - receiptsBefore;
  if (receiptsStored !== run.accepted) throw new Error(`${run.accepted} scans were accepted but ${receiptsStored} receipts stored`);

  // The raw baseline writes for devices of its own (the pushing devices' seqs stay theirs).
  const rawFleet: EnrolledDevice[] = [];
  for (let d = 0; d < devices; d++) {
    const { code } = await createEnrolmentCode(db, systemClock, { role: 'gate', eventId: festival.eventId });
    rawFleet.push({ ...(await enrolDevice(db, systemClock, { code, name: `Raw gate ${d + 1}` })), nextSeq: 1 });
  }
  const rawPush = async ({ envelopes, credentials }: Batch) => {
    await rawPushBatch(db, envelopes, credentials, systemClock.now().toISOString());
    return envelopes.length;
  };
  await concurrently(plannedBatches(rawFleet, festival, take, 1), rawPush);
  const raw = await concurrently(plannedBatches(rawFleet, festival, take, batchesPerDevice), rawPush);
  const figures = throughput(run);
  const rawFigures = throughput(raw);
  return { ...figures, aloneP50Ms: round(percentiles(alone).p50, 1), receiptsStored, raw: rawFigures, ratio: ratio(rawFigures.scansPerSecond, figures.scansPerSecond) };
}

async function countReceipts(db: ServerDatabase): Promise<number> {
  const { n } = await db.selectFrom('receipts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}

/** A terminal's first load: every page of each scope, one after the other, as its sync worker fetches them. */
async function measureSnapshot(db: ServerDatabase, terminal: ServerTerminal, device: EnrolledDevice, scopes: readonly string[]) {
  let pages = 0;
  let rows = 0;
  let wireBytes = 0;
  let jsonBytes = 0;
  let decodeMs = 0;
  const started = performance.now();
  for (const scope of scopes) {
    let request: SnapshotRequest = { scope };
    for (;;) {
      const answer = await terminal.snapshotPage(device, request);
      pages += 1;
      rows += answer.page.rows.length;
      wireBytes += answer.wireBytes;
      jsonBytes += answer.jsonBytes;
      decodeMs += answer.decodeMs;
      const { next, version } = answer.page;
      if (next === null) break;
      request = { scope, version, table: next.table, ...(next.after === null ? {} : { after: next.after }) };
    }
  }
  const seconds = (performance.now() - started) / 1000;

  const rawStarted = performance.now();
  const rawRows = await rawKeyOrderRead(db, device.role, scopes, snapshotPageRows);
  const rawSeconds = (performance.now() - rawStarted) / 1000;
  if (rawRows !== rows) throw new Error(`The snapshot held ${rows} rows, the raw read ${rawRows}`);
  return {
    seconds: round(seconds),
    megabytes: megabytes(wireBytes),
    jsonMegabytes: megabytes(jsonBytes),
    pages,
    rows,
    rowsPerSecond: Math.round(rows / seconds),
    // Of `seconds`, what the terminal spent gunzipping and parsing the pages (in this process).
    decodeSeconds: round(decodeMs / 1000),
    raw: { seconds: round(rawSeconds), rowsPerSecond: Math.round(rawRows / rawSeconds) },
    ratio: ratio(seconds, rawSeconds),
    ratioWithoutDecode: ratio(seconds - decodeMs / 1000, rawSeconds),
  };
}

/**
 * A pull of the rows `pulledScans` scans changed (each scan and its credential): a gate pushes them
 * in batches of 100, then the box office terminal pulls from its cursor before them, every page.
 */
async function measurePull(db: ServerDatabase, terminal: ServerTerminal, gate: EnrolledDevice, reader: EnrolledDevice, festival: ServerFestival, take: (count: number) => Credential[]) {
  const before: Cursors = await currentVersions(db, ['', festival.eventId]);
  for (let done = 0; done < pulledScans; done += batchCommands) {
    const credentials = take(Math.min(batchCommands, pulledScans - done));
    await terminal.push(gate, scanEnvelopes(gate, festival, credentials, scanDay + 3_600_000 + done));
  }
  let cursors = before;
  let pages = 0;
  let rows = 0;
  let wireBytes = 0;
  const started = performance.now();
  for (;;) {
    const answer = await terminal.pull(reader, cursors);
    pages += 1;
    rows += answer.page.changes.reduce((sum, change) => sum + change.rows.length, 0);
    wireBytes += answer.wireBytes;
    cursors = answer.page.cursors;
    if (!answer.page.hasMore) break;
  }
  const ms = performance.now() - started;
  const rawStarted = performance.now();
  const rawRows = await rawChangedRows(db, reader.role, festival.eventId, before[festival.eventId]!);
  const rawMs = performance.now() - rawStarted;
  if (rawRows !== rows) throw new Error(`The pull brought ${rows} rows, the raw read ${rawRows}`);
  return { rows, pages, ms: round(ms, 1), megabytes: megabytes(wireBytes), raw: { ms: round(rawMs, 1) }, ratio: ratio(ms, rawMs) };
}

async function benchmarkStore(kind: StoreKind) {
  progress(`${kind}: opening a fresh store`);
  const store = await openBenchStore(kind);
  try {
    progress(`${kind}: loading ${dataset.customers} customers, ${dataset.tickets} tickets, ${dataset.tags} wristbands`);
    const loadStarted = performance.now();
    const festival = await loadServerFestival(store.db, dataset);
    const loadSeconds = round((performance.now() - loadStarted) / 1000, 1);
    progress(`${kind}: ${festival.rows} rows loaded in ${loadSeconds} s`);

    const app = await buildServerApp({ db: store.db, clock: systemClock, logger });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const terminal = serverTerminal(address);
      const take = credentialSource(festival);
      const fleet: EnrolledDevice[] = [];
      for (let d = 0; d < devices; d++) fleet.push(await enrolOverHttp(store.db, terminal, 'gate', festival.eventId, `Gate ${d + 1}`));
      const boxOffice = await enrolOverHttp(store.db, terminal, 'box_office', festival.eventId, 'Box office 1');

      progress(`${kind}: push: ${devices} gates × ${batchesPerDevice} batches of ${batchCommands} scans over HTTP, then the raw baseline`);
      const push = await measurePush(store.db, terminal, fleet, festival, take);
      progress(`${kind}: push ${push.scansPerSecond} scans/s (p50 ${push.p50Ms} ms, p99 ${push.p99Ms} ms); raw ${push.raw.scansPerSecond} scans/s`);

      progress(`${kind}: snapshot of the event and the rows of no event, every page over HTTP, then the raw key-order read`);
      const snapshot = await measureSnapshot(store.db, terminal, boxOffice, ['', festival.eventId]);
      progress(`${kind}: snapshot ${snapshot.rows} rows in ${snapshot.seconds} s, ${snapshot.megabytes} MB on the wire; raw ${snapshot.raw.seconds} s (×${snapshot.ratio})`);

      progress(`${kind}: pull of ${pulledRows} changed rows`);
      const pull = await measurePull(store.db, terminal, fleet[0]!, boxOffice, festival, take);
      progress(`${kind}: pull ${pull.rows} rows in ${pull.pages} pages, ${pull.ms} ms; raw ${pull.raw.ms} ms (×${pull.ratio})`);
      terminal.close();
      return { loadSeconds, rows: festival.rows, push, snapshot, pull };
    } finally {
      await app.close();
    }
  } finally {
    await store.drop();
  }
}

const loadAtStart = loadavg().map((value) => round(value));
const results: Partial<Record<StoreKind, Awaited<ReturnType<typeof benchmarkStore>>>> = {};
for (const kind of stores) results[kind] = await benchmarkStore(kind);
const byStore = <T>(pick: (figures: Awaited<ReturnType<typeof benchmarkStore>>) => T) =>
  Object.fromEntries(stores.map((kind) => [kind, pick(results[kind]!)])) as Partial<Record<StoreKind, T>>;

const met: Record<string, boolean> = {};
// Issue 10's goal is the snapshot as the server generates it: the pages served over HTTP, gzipped,
// received. The terminal's gunzip and JSON.parse are its first load's cost (issue 11's sync bench),
// still reported here as `ratio`.
for (const kind of stores) met[`snapshot.${kind}.ratioWithoutDecode`] = results[kind]!.snapshot.ratioWithoutDecode <= goals.snapshotRatio;
if (results.postgres) met['push.postgres.scansPerSecond'] = results.postgres.push.scansPerSecond >= goals.pushScansPerSecond;

const result = {
  benchmark: 'server',
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, platform: process.platform, loadAverage: { atStart: loadAtStart, atEnd: loadavg().map((value) => round(value)) } },
  scale,
  dataset: { customers: dataset.customers, tickets: dataset.tickets, tags: dataset.tags, devices, batchCommands, batchesPerDevice, loadSeconds: byStore((figures) => figures.loadSeconds) },
  push: byStore((figures) => figures.push),
  snapshot: byStore((figures) => figures.snapshot),
  pull: byStore((figures) => figures.pull),
  goals: {
    targets: goals,
    ratioOn: 'snapshot: seconds over HTTP / seconds of the raw key-order SELECT (ratioWithoutDecode: less the terminal\'s gunzip and parse); push: raw scans/s / pushed scans/s; pull: ms / raw ms',
    met,
    allMet: Object.values(met).every(Boolean),
  },
};
process.stdout.write(`${JSON.stringify(result)}\n`);
