import { describe, expect, it } from 'vitest';
import type { EventSummary, ImportCustomersResult, ImportPreview, ImportProgressEvent } from '../api/operations.ts';
import { hrefFor, parseHash } from '../routing/hash-route.ts';
import { createFakeHost, ok, settle, type FakeHost } from '../test-support/fake-host.ts';
import { maxUploadChunkLength } from '../../core/import/import.contract.ts';
import { canRun, createImportStore, createTypeChoice, ticketTypeChoices, describeRejection, mappingProblem, maxImportFileBytes, needsEventChoice, progressPercent, type PickedFile } from './import-store.ts';

const text = 'Email,Name,Ticket\nanna@example.com,Anna,T-1\nbad,Bob,T-2\n';

const preview: ImportPreview = {
  delimiter: ',',
  header: ['Email', 'Name', 'Ticket'],
  columns: ['email', null, 'ticketReference'],
  sample: [
    ['anna@example.com', 'Anna', 'T-1'],
    ['bad', 'Bob', 'T-2'],
  ],
  rowsEstimate: 2,
};

function summary(overrides: Partial<ImportCustomersResult> = {}): ImportCustomersResult {
  return {
    eventId: 'e-1',
    eventCreated: false,
    dryRun: false,
    rowsRead: 2,
    imported: 1,
    updated: 0,
    unchanged: 0,
    rejected: [{ row: 3, reason: 'email: Invalid email address', cells: ['bad', 'Bob', 'T-2'] }],
    warnings: [],
    header: ['Email', 'Name', 'Ticket'],
    createdTicketTypes: [],
    unknownTicketTypes: [],
    ignoredColumns: ['Name'],
    ...overrides,
  };
}

const event = (id: string): EventSummary => ({ id, name: `Event ${id}`, startsAt: null, endsAt: null, timeZone: 'Europe/Amsterdam', currency: 'EUR', ticketTypes: [] });

function progress(overrides: Partial<ImportProgressEvent> = {}): ImportProgressEvent {
  return { type: 'import.progress', jobId: 'job-1', rowsRead: 1, imported: 1, updated: 0, unchanged: 0, rejected: 0, bytesRead: 20, bytesTotal: 80, done: false, ...overrides };
}

const picked = (contents = text, name = 'customers.csv'): PickedFile => ({ name, size: contents.length, text: async () => contents });

function importHost(events: EventSummary[] = [event('e-1')]): FakeHost {
  return createFakeHost({
    'events.list': () => ok({ events }),
    'import.upload': (input) => {
      const { uploadId, offset, chunk } = input as { uploadId?: string; offset: number; chunk: string };
      return ok({ uploadId: uploadId ?? 'upload-1', length: offset + chunk.length });
    },
    'import.preview': () => ok(preview),
    'import.customers': (input) => ok(summary({ dryRun: (input as { dryRun: boolean }).dryRun })),
  });
}

async function readyStore(host: FakeHost = importHost()) {
  const store = createImportStore(host.client);
  await store.getState().loadEvents();
  await store.getState().chooseFile(picked());
  await settle();
  return store;
}

describe('import store: file and preview', () => {
  it('reads the chosen file, previews it and starts from the automatic mapping', async () => {
    const host = importHost();
    const store = createImportStore(host.client);
    await store.getState().loadEvents();
    const choosing = store.getState().chooseFile(picked());
    expect(store.getState()).toMatchObject({ phase: 'reading', file: { name: 'customers.csv', size: text.length } });
    await choosing;
    // The file travels in import.upload chunks; the preview names the upload.
    expect(host.callsTo('import.upload')).toEqual([{ offset: 0, chunk: text }]);
    expect(host.callsTo('import.preview')).toEqual([{ uploadId: 'upload-1', sampleRows: 10 }]);
    expect(store.getState()).toMatchObject({ phase: 'ready', preview, columns: ['email', null, 'ticketReference'], eventId: 'e-1', fileError: null });
    expect(canRun(store.getState())).toBe(true);
  });

  it('refuses a file over 64 MB without reading or sending it', async () => {
    const host = importHost();
    const store = createImportStore(host.client);
    let read = false;
    await store.getState().chooseFile({
      name: 'huge.csv',
      size: maxImportFileBytes + 1,
      text: async () => {
        read = true;
        return '';
      },
    });
    expect(read).toBe(false);
    expect(host.callsTo('import.preview')).toEqual([]);
    expect(store.getState()).toMatchObject({ phase: 'choose', fileError: { field: 'source', message: expect.stringMatching(/^huge\.csv is larger than 64 MB/) } });
  });

  it('shows a file the browser cannot read, and the host refusing a file, at the file input', async () => {
    const host = importHost();
    host.answer('import.preview', () => ({ ok: false, error: { code: 'VALIDATION', message: 'The file is empty: it has no header row', field: 'text' } }));
    const store = createImportStore(host.client);
    await store.getState().chooseFile({ name: 'gone.csv', size: 10, text: () => Promise.reject(new Error('NotReadableError')) });
    expect(store.getState()).toMatchObject({ phase: 'choose', fileError: { message: 'Cannot read gone.csv: NotReadableError' } });
    await store.getState().chooseFile(picked(''));
    expect(store.getState()).toMatchObject({ phase: 'choose', preview: null, fileError: { code: 'VALIDATION', field: 'text', message: 'The file is empty: it has no header row' } });
  });

  it('keeps the preview of the file chosen last when an older answer arrives late', async () => {
    const host = importHost();
    const first = host.hold('import.preview');
    const store = createImportStore(host.client);
    const choosingFirst = store.getState().chooseFile(picked('old,file\n', 'old.csv'));
    await first.started;
    await store.getState().chooseFile(picked());
    first.resolve(ok({ ...preview, header: ['old', 'file'] }));
    await choosingFirst;
    expect(store.getState()).toMatchObject({ file: { name: 'customers.csv' }, preview: { header: ['Email', 'Name', 'Ticket'] } });
  });
});

describe('import store: mapping and event', () => {
  it('changes one column at a time, forgets the dry run, and goes back to the automatic mapping', async () => {
    const store = await readyStore();
    await store.getState().runDryRun();
    expect(store.getState().dryRun).not.toBeNull();
    store.getState().setColumn(1, 'firstName');
    expect(store.getState()).toMatchObject({ columns: ['email', 'firstName', 'ticketReference'], dryRun: null });
    store.getState().setColumn(7, 'phone');
    expect(store.getState().columns).toHaveLength(3);
    store.getState().resetColumns();
    expect(store.getState().columns).toEqual(['email', null, 'ticketReference']);
  });

  it('explains a mapping that cannot be imported and will not run it', async () => {
    expect(mappingProblem(['email', 'email', null])).toBe('Email is chosen for two columns (1 and 2): choose it for one only');
    expect(mappingProblem(['firstName', null])).toMatch(/^Choose the column that holds the email or the ticket reference/);
    expect(mappingProblem([null, 'ticketReference'])).toBeUndefined();
    const host = importHost();
    const store = await readyStore(host);
    store.getState().setColumn(0, null);
    store.getState().setColumn(2, null);
    expect(canRun(store.getState())).toBe(false);
    await store.getState().runImport();
    expect(host.callsTo('import.customers')).toEqual([]);
  });

  it('asks for an event when the data folder has several, and sends the one chosen', async () => {
    const host = importHost([event('e-1'), event('e-2')]);
    const store = await readyStore(host);
    expect(store.getState().eventId).toBeNull();
    expect(needsEventChoice(store.getState())).toBe(true);
    expect(canRun(store.getState())).toBe(false);
    store.getState().chooseEvent('e-2');
    expect(canRun(store.getState())).toBe(true);
    await store.getState().runDryRun();
    expect(host.callsTo('import.customers')).toEqual([{ source: { uploadId: 'upload-1' }, columns: ['email', null, 'ticketReference'], dryRun: true, ticketTypeChoices: [], eventId: 'e-2' }]);
  });

  it('lets the host choose (or create) the event when there is none', async () => {
    const host = importHost([]);
    const store = await readyStore(host);
    expect(needsEventChoice(store.getState())).toBe(false);
    await store.getState().runImport();
    expect(host.callsTo('import.customers')).toEqual([{ source: { uploadId: 'upload-1' }, columns: ['email', null, 'ticketReference'], dryRun: false, ticketTypeChoices: [] }]);
  });

  it('keeps an events.list failure for the event field', async () => {
    const host = importHost();
    host.answer('events.list', () => ({ ok: false, error: { code: 'UNAVAILABLE', message: 'Host unreachable' } }));
    const store = createImportStore(host.client);
    await store.getState().loadEvents();
    expect(store.getState()).toMatchObject({ events: null, eventsError: { code: 'UNAVAILABLE', message: 'Host unreachable' } });
  });
});

describe('import store: runs', () => {
  it('dry-runs with the chosen mapping, showing progress of its own job only', async () => {
    const host = importHost();
    const held = host.hold('import.customers');
    const store = await readyStore(host);
    store.getState().setColumn(1, 'firstName');
    const running = store.getState().runDryRun();
    expect(store.getState().phase).toBe('dryRunning');
    await held.started;
    host.client.emit(progress());
    host.client.emit(progress({ jobId: 'someone-else', bytesRead: 79 }));
    expect(progressPercent(store.getState().progress)).toBe(25);
    host.client.emit(progress({ rowsRead: 2, bytesRead: 80, done: true }));
    expect(store.getState().progress).toMatchObject({ rowsRead: 2, done: true });
    held.resolve(ok(summary({ dryRun: true })));
    await running;
    expect(host.callsTo('import.customers')).toEqual([{ source: { uploadId: 'upload-1' }, columns: ['email', 'firstName', 'ticketReference'], dryRun: true, ticketTypeChoices: [], eventId: 'e-1' }]);
    expect(store.getState()).toMatchObject({ phase: 'ready', dryRun: { dryRun: true, imported: 1 }, result: null });
    // Progress of a run nobody here started is not shown.
    host.client.emit(progress({ jobId: 'job-2' }));
    expect(store.getState().progress).toMatchObject({ jobId: 'job-1' });
  });

  it('imports, then shows the summary and can start over with another file', async () => {
    const host = importHost();
    const store = await readyStore(host);
    await store.getState().runImport();
    expect(store.getState()).toMatchObject({ phase: 'done', result: { dryRun: false, imported: 1, rejected: [{ row: 3 }] } });
    store.getState().startOver();
    expect(store.getState()).toMatchObject({ phase: 'choose', file: null, preview: null, result: null, columns: [] });
    await settle();
    expect(host.callsTo('events.list')).toHaveLength(2);
  });

  it('keeps a refused run beside what caused it and lets staff try again', async () => {
    const host = importHost();
    host.answer('import.customers', () => ({ ok: false, error: { code: 'VALIDATION', message: 'columns: Email is chosen for two columns (1 and 2)', field: 'columns' } }));
    const store = await readyStore(host);
    await store.getState().runImport();
    expect(store.getState()).toMatchObject({ phase: 'ready', result: null, runError: { code: 'VALIDATION', field: 'columns' } });
    store.getState().setColumn(1, 'lastName');
    expect(store.getState().runError).toBeNull();
  });

  it('drops the answer of a run when the file was changed meanwhile', async () => {
    const host = importHost();
    const held = host.hold('import.customers');
    const store = await readyStore(host);
    const running = store.getState().runImport();
    await held.started;
    store.getState().startOver();
    held.resolve(ok(summary()));
    await running;
    expect(store.getState()).toMatchObject({ phase: 'choose', result: null });
  });

  it('stops listening to progress once disposed', async () => {
    const host = importHost();
    const held = host.hold('import.customers');
    const store = await readyStore(host);
    void store.getState().runImport();
    await held.started;
    store.getState().dispose();
    host.client.emit(progress());
    expect(store.getState().progress).toBeNull();
  });

  it('names the field of a rejected row as staff read it', () => {
    expect(describeRejection('ticketReference: ticket T-1 belongs to another customer (a@example.com); it was not moved')).toBe(
      'Ticket reference: ticket T-1 belongs to another customer (a@example.com); it was not moved',
    );
    expect(describeRejection('email: Invalid email address')).toBe('Email: Invalid email address');
    expect(describeRejection('the row has 7 fields but the header has 6')).toBe('the row has 7 fields but the header has 6');
    expect(describeRejection('constructor: not a field')).toBe('constructor: not a field');
  });

  it('turns progress into whole percent, 100 when done, 0 when the size is unknown', () => {
    expect(progressPercent(null)).toBe(0);
    expect(progressPercent(progress({ bytesRead: 1, bytesTotal: 3 }))).toBe(33);
    expect(progressPercent(progress({ bytesTotal: null }))).toBe(0);
    expect(progressPercent(progress({ bytesRead: 10, bytesTotal: 80, done: true }))).toBe(100);
  });
});

describe('import route', () => {
  it('reads and writes #/import', () => {
    expect(parseHash('#/import')).toEqual({ screen: 'import' });
    expect(parseHash('#/import/')).toEqual({ screen: 'import' });
    expect(hrefFor({ screen: 'import' })).toBe('#/import');
  });
});

describe('import store: large files and unknown ticket types', () => {
  it('sends a file larger than a chunk in several import.upload calls, never splitting a surrogate pair', async () => {
    const host = importHost();
    const store = createImportStore(host.client);
    await store.getState().loadEvents();
    // 🎟 is two UTF-16 units; placed across the chunk boundary it must stay whole.
    const big = `Email,Name,Ticket\n${'a'.repeat(maxUploadChunkLength - 19)}🎟${'b'.repeat(maxUploadChunkLength)}`;
    await store.getState().chooseFile(picked(big));
    await settle();
    const calls = host.callsTo('import.upload') as { offset: number; chunk: string }[];
    expect(calls.length).toBe(3);
    expect(calls.map((call) => call.offset)).toEqual([0, maxUploadChunkLength - 1, 2 * maxUploadChunkLength - 1]);
    expect(calls.map((call) => call.chunk).join('')).toBe(big);
    expect(calls.every((call) => call.chunk.length <= maxUploadChunkLength)).toBe(true);
  });

  it('lists the unknown types of a dry run and sends the choices made for them', async () => {
    const host = createFakeHost({
      'events.list': () => ok({ events: [event('e-1')] }),
      'import.upload': () => ok({ uploadId: 'upload-1', length: text.length }),
      'import.preview': () => ok(preview),
      'import.customers': () => ok(summary({ dryRun: true, unknownTicketTypes: [{ name: 'Wekend', rows: 2, suggestion: 'Weekend' }, { name: 'Backstage', rows: 1, suggestion: null }] })),
    });
    const store = await readyStore(host);
    await store.getState().runDryRun();
    expect(store.getState().unknownTicketTypes.map((unknown) => unknown.name)).toEqual(['Wekend', 'Backstage']);
    store.getState().chooseTicketType('Wekend', 'Weekend');
    store.getState().chooseTicketType('Backstage', createTypeChoice);
    // A changed choice makes the dry run stale but keeps the list to choose from.
    expect(store.getState().dryRun).toBeNull();
    expect(store.getState().unknownTicketTypes).toHaveLength(2);
    await store.getState().runImport();
    expect((host.callsTo('import.customers')[1] as { ticketTypeChoices: unknown }).ticketTypeChoices).toEqual([
      { name: 'Wekend', mapTo: 'Weekend' },
      { name: 'Backstage', create: true },
    ]);
    expect(ticketTypeChoices({ Wekend: '' })).toEqual([]);
  });
});
