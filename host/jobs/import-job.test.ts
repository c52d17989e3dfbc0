import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportProgressEvent } from '../../core/api/pubsub.ts';
import { createCore } from '../../core/api/core.ts';
import type { ImportCustomersInput } from '../../core/import/import.contract.ts';
import { openDatabase } from '../../db/connection.ts';
import { sql, Store } from '../../db/store.ts';
import { createTestCore, insertEvent, insertTestCustomer, insertTicket, insertTicketType, snapshot, steppingClock } from '../../test/fixtures/store.ts';
import { storeFile } from '../data-dir.ts';
import { createHost, type Host } from '../host.ts';
import { createImportJobs } from './import-job.ts';

const csvFile = join(import.meta.dirname, '../../test/fixtures/csv/customers-with-errors.csv');
const eventId = '01900000-0000-7000-8000-000000000001';

/** The same event, ticket type and holder of TCK-HELD in any store, so results compare equal. */
function prepare(store: Store): void {
  insertEvent(store, { id: eventId });
  const weekendId = insertTicketType(store, eventId, 'Weekend');
  const holderId = insertTestCustomer(store, { email: 'holder@example.com' });
  insertTicket(store, { eventId, ticketTypeId: weekendId, reference: 'TCK-HELD', customerId: holderId });
}

let dir: string;
let host: Host | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'box-office-import-job-'));
});
afterEach(() => {
  host?.close();
  host = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function openHost(): Host {
  host = createHost({ dataDir: dir, caller: { name: 'operator-9', role: 'admin' }, clock: steppingClock('2020-01-01T00:00:00.000Z') });
  prepare(host.store);
  return host;
}

function collectProgress(target: Host): ImportProgressEvent[] {
  const events: ImportProgressEvent[] = [];
  target.core.subscribe((event) => {
    if (event.type === 'import.progress') events.push(event);
  });
  return events;
}

describe('import.customers in a worker thread (createHost)', () => {
  it('returns what the in-process import returns, writes through its own connection and reports progress', async () => {
    const input: ImportCustomersInput = { source: { text: readFileSync(csvFile, 'utf8') }, batchSize: 3 };
    const inProcess = createTestCore();
    prepare(inProcess.store);
    const expected = await inProcess.core.invoke('import.customers', input);
    expect(expected).toMatchObject({ ok: true, value: { imported: 2 } });

    const target = openHost();
    const events = collectProgress(target);
    const result = await target.core.invoke('import.customers', input);
    expect(result).toEqual(expected);

    const emails = target.store.all(sql.selectFrom('customers').select('email').orderBy('email')).map((row) => row.email);
    expect(emails).toEqual(['good@example.com', 'holder@example.com', 'second@example.com']);
    const audit = target.store.all(sql.selectFrom('audit_log').select(['operator', 'at', 'operation']));
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.every((entry) => entry.operator === 'operator-9' && entry.operation === 'import.customers@2')).toBe(true);
    // The host's clock stands still in 2020; the worker keeps its own (system) time, so these rows
    // were written by the worker, not by the host's connection.
    expect(audit.every((entry) => entry.at > '2025-01-01')).toBe(true);

    // 8 rows in batches of 3: three batch events, then the final one.
    expect(events.map((event) => [event.rowsRead, event.done])).toEqual([
      [3, false],
      [6, false],
      [8, false],
      [8, true],
    ]);
    expect(new Set(events.map((event) => event.jobId)).size).toBe(1);
    expect(events.at(-1)).toMatchObject({ imported: 2, rejected: 6, bytesRead: events.at(-1)?.bytesTotal });
  });

  it('imports a file by path and dry-runs without writing', async () => {
    const target = openHost();
    const before = snapshot(target.store);
    const dryRun = await target.core.invoke('import.customers', { source: { path: csvFile }, dryRun: true });
    expect(dryRun).toMatchObject({ ok: true, value: { dryRun: true, imported: 2, rowsRead: 8 } });
    expect(snapshot(target.store)).toEqual(before);
    const real = await target.core.invoke('import.customers', { source: { path: csvFile }, columns: ['email', 'firstName', 'lastName', 'ticketReference', null] });
    expect(real).toMatchObject({ ok: true, value: { dryRun: false, imported: 2, ignoredColumns: ['Membership level'] } });
  });

  it('returns the worker domain errors as the in-process import does, and changes nothing', async () => {
    const target = openHost();
    const before = snapshot(target.store);
    const noKey = await target.core.invoke('import.customers', { source: { text: 'Name,Age\nAnna,30\n' } });
    expect(noKey).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'source', message: expect.stringMatching(/no email column/) } });
    const twice = await target.core.invoke('import.customers', { source: { text: 'a,b\nx@example.com,T\n' }, columns: ['email', 'ticketReference', null] });
    expect(twice).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'columns' } });
    const unknownEvent = await target.core.invoke('import.customers', { source: { text: 'email\nx@example.com\n' }, eventId: '01900000-0000-7000-8000-0000000000ff' });
    expect(unknownEvent).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'eventId' } });
    expect(snapshot(target.store)).toEqual(before);
  });
});

describe('createImportJobs', () => {
  function coreWith(workerUrl: URL | undefined, internalErrors: unknown[]) {
    const file = storeFile(dir);
    const store = new Store(openDatabase(file));
    const jobs = createImportJobs(workerUrl ? { storeFile: file, workerUrl } : { storeFile: file });
    const core = createCore({ store, jobs: jobs.jobs, onInternalError: (error) => internalErrors.push(error) });
    return { store, jobs, core };
  }

  it('turns a crashed worker into INTERNAL for the caller and the full error for the log', async () => {
    const internalErrors: unknown[] = [];
    const crashing = new URL(`data:text/javascript,${encodeURIComponent('throw new Error("worker bug")')}`);
    const { store, core, jobs } = coreWith(crashing, internalErrors);
    const result = await core.invoke('import.customers', { source: { text: 'email\na@example.com\n' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('worker bug');
    expect(String(internalErrors[0])).toContain('worker bug');
    await jobs.close();
    store.close();
  });

  it('runs one import at a time per store: a second one gets CONFLICT and changes nothing', async () => {
    const { store, core, jobs } = coreWith(undefined, []);
    prepare(store);
    const rows = Array.from({ length: 2_000 }, (_, index) => `person${index}@example.com,P-${index}`);
    const first = core.invoke('import.customers', { source: { text: ['email,ticket', ...rows].join('\n') }, batchSize: 500 });
    const second = await core.invoke('import.customers', { source: { text: 'email,ticket\nother@example.com,O-1\n' } });
    expect(second).toEqual({ ok: false, error: { code: 'CONFLICT', message: 'An import is already running: wait for it to finish, then start this one' } });
    expect(await first).toMatchObject({ ok: true, value: { imported: 2_000 } });
    expect(store.first(sql.selectFrom('customers').select('id').where('email', '=', 'other@example.com'))).toBeUndefined();
    // Once the first has answered, the next one runs.
    expect(await core.invoke('import.customers', { source: { text: 'email,ticket\nother@example.com,O-1\n' } })).toMatchObject({ ok: true, value: { imported: 1 } });
    await jobs.close();
    store.close();
  });

  it('imports a file uploaded in chunks (import.upload), the worker getting its text', async () => {
    const { store, core, jobs } = coreWith(undefined, []);
    prepare(store);
    const text = readFileSync(csvFile, 'utf8');
    let uploadId: string | undefined;
    for (let offset = 0; offset < text.length; offset += 50) {
      const answer = await core.invoke('import.upload', { ...(uploadId ? { uploadId } : {}), offset, chunk: text.slice(offset, offset + 50) });
      if (!answer.ok) throw new Error(answer.error.message);
      uploadId = answer.value.uploadId;
    }
    const preview = await core.invoke('import.preview', { uploadId: uploadId! });
    expect(preview).toMatchObject({ ok: true, value: { header: ['Email', 'First name', 'Last name', 'Ticket', 'Membership level'] } });
    const result = await core.invoke('import.customers', { source: { uploadId: uploadId! } });
    expect(result).toMatchObject({ ok: true, value: { rowsRead: 8, imported: 2 } });
    expect(await core.invoke('import.customers', { source: { uploadId: 'no-such-upload' } })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'source' } });
    await jobs.close();
    store.close();
  });

  it('stops a running import on close with UNAVAILABLE, and refuses new ones', async () => {
    const internalErrors: unknown[] = [];
    const { store, core, jobs } = coreWith(undefined, internalErrors);
    prepare(store);
    const rows = Array.from({ length: 20_000 }, (_, index) => `person${index}@example.com,P-${index}`);
    const importing = core.invoke('import.customers', { source: { text: ['email,ticket', ...rows].join('\n') }, batchSize: 100 });
    await jobs.close();
    expect(await importing).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/closed during the import/) } });
    expect(await core.invoke('import.customers', { source: { text: 'email\na@example.com\n' } })).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    });
    expect(internalErrors).toEqual([]);
    store.close();
  });
});
