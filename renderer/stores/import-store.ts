import { importFieldLabels } from '../../core/csv/header-mapping.ts';
import { describeRejection, rejectedRowsCsv, rejectedRowsFileName } from '../../core/csv/import-rejected.ts';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  BoxOfficeClient,
  EventSummary,
  ImportCustomersInput,
  ImportCustomersResult,
  ImportField,
  ImportPreview,
  ImportProgressEvent,
  TicketTypeChoice,
  UnknownTicketType,
} from '../api/operations.ts';
import { maxUploadChunkLength } from '../../core/import/import.contract.ts';
import { actionError, type ActionError } from './action-error.ts';

/**
 * choose: no file yet; reading: the file is read and previewed; ready: preview shown, mapping can
 * change; dryRunning / importing: a run is on its way (progress events arrive); done: the summary.
 */
export type ImportPhase = 'choose' | 'reading' | 'ready' | 'dryRunning' | 'importing' | 'done';

/** The part of a browser File the store needs (tests pass a stand-in). */
export interface PickedFile {
  name: string;
  size: number;
  text(): Promise<string>;
}

export interface ImportState {
  phase: ImportPhase;
  file: { name: string; size: number } | null;
  preview: ImportPreview | null;
  /** The field each column is imported as, as shown in the preview's selects (null: ignored). */
  columns: (ImportField | null)[];
  /** null until events.list answered. */
  events: EventSummary[] | null;
  /** The event chosen for the import; null lets the host decide (the only event, or a new one). */
  eventId: string | null;
  /** The last dry run for the current file, mapping and event; cleared when any of them changes. */
  dryRun: ImportCustomersResult | null;
  /** The latest import.progress of the run on its way (dry run or import). */
  progress: ImportProgressEvent | null;
  result: ImportCustomersResult | null;
  /** Ticket type names the event lacks, from the last run for this file (kept while choices change). */
  unknownTicketTypes: UnknownTicketType[];
  /** Staff's choice per unknown name (by the name as listed): an existing type's name, 'create', or absent (reject its rows). */
  typeChoices: Record<string, string>;
  /** Reading or previewing the file failed: shown at the file input. */
  fileError: ActionError | null;
  /** The host refused a run: shown where its field is (columns, eventId) or beside the buttons. */
  runError: ActionError | null;
  eventsError: ActionError | null;

  /** Loads the events to import into (called when the screen opens). */
  loadEvents(): Promise<void>;
  chooseFile(file: PickedFile): Promise<void>;
  setColumn(index: number, field: ImportField | null): void;
  /** Back to the mapping the host read from the header. */
  resetColumns(): void;
  chooseEvent(eventId: string | null): void;
  /** '' rejects the rows of that type; createTypeChoice creates it; any other value is an existing type's name. */
  chooseTicketType(name: string, choice: string): void;
  runDryRun(): Promise<void>;
  runImport(): Promise<void>;
  /** Forgets the file and the results, to import another one. */
  startOver(): void;
  /** Stops listening to the host's events; the store must not be used afterwards. */
  dispose(): void;
}

export type ImportStore = StoreApi<ImportState>;

/** The host keeps uploaded files up to 64 MB (core/csv/import-uploads.ts); larger ones go through the CLI. */
export const maxImportFileBytes = 64 * 1024 * 1024;
export const createTypeChoice = '\u0000create';

/** The choices as import.customers takes them. */
export function ticketTypeChoices(typeChoices: Record<string, string>): TicketTypeChoice[] {
  return Object.entries(typeChoices).flatMap(([name, choice]): TicketTypeChoice[] => {
    if (choice === '') return [];
    return [choice === createTypeChoice ? { name, create: true } : { name, mapTo: choice }];
  });
}

/**
 * Sends the file in import.upload chunks (no single message over the web host's 1 MiB cap) and
 * returns its upload id. A chunk never ends between the two halves of a surrogate pair.
 */
async function uploadFile(client: BoxOfficeClient, text: string): Promise<{ ok: true; uploadId: string } | { ok: false; error: ActionError }> {
  let uploadId: string | undefined;
  let offset = 0;
  do {
    let end = Math.min(text.length, offset + maxUploadChunkLength);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    const answer = await client.invoke('import.upload', { ...(uploadId ? { uploadId } : {}), offset, chunk: text.slice(offset, end) });
    if (!answer.ok) return { ok: false, error: actionError(answer.error) };
    uploadId = answer.value.uploadId;
    offset = end;
  } while (offset < text.length);
  return { ok: true, uploadId };
}
export const previewRows = 10;

/** Field names as staff read them (the host's own labels), in the order the column selects offer them. */
export { importFieldLabels, describeRejection, rejectedRowsCsv, rejectedRowsFileName };
export const importFieldChoices = Object.keys(importFieldLabels) as ImportField[];

/**
 * What stops the chosen mapping from being imported, said the way the screen shows it; the host
 * checks the same rules, this only spares a round trip and explains a disabled button.
 */
export function mappingProblem(columns: readonly (ImportField | null)[]): string | undefined {
  const firstColumn = new Map<ImportField, number>();
  for (const [index, field] of columns.entries()) {
    if (field === null) continue;
    const first = firstColumn.get(field);
    if (first !== undefined) return `${importFieldLabels[field]} is chosen for two columns (${first + 1} and ${index + 1}): choose it for one only`;
    firstColumn.set(field, index);
  }
  if (!firstColumn.has('email') && !firstColumn.has('ticketReference')) {
    return 'Choose the column that holds the email or the ticket reference: without one no row can be matched to a customer';
  }
  return undefined;
}

/** Several events and none chosen: the host would refuse, so the screen asks first. */
export function needsEventChoice(state: Pick<ImportState, 'events' | 'eventId'>): boolean {
  return (state.events?.length ?? 0) > 1 && state.eventId === null;
}

export function canRun(state: ImportState): boolean {
  return state.phase === 'ready' && state.preview !== null && mappingProblem(state.columns) === undefined && !needsEventChoice(state);
}

/** Whole percent of the file read, for the progress bar; 100 once the run is done. */
export function progressPercent(progress: ImportProgressEvent | null): number {
  if (!progress) return 0;
  if (progress.done) return 100;
  if (!progress.bytesTotal) return 0;
  return Math.min(100, Math.floor((progress.bytesRead / progress.bytesTotal) * 100));
}

const initialFileState = {
  phase: 'choose' as ImportPhase,
  file: null,
  preview: null,
  columns: [],
  dryRun: null,
  progress: null,
  result: null,
  unknownTicketTypes: [],
  typeChoices: {},
  fileError: null,
  runError: null,
};

export function createImportStore(client: BoxOfficeClient): ImportStore {
  // The host keeps the file (import.upload); the store keeps only its id.
  let uploadId: string | null = null;
  // Bumped whenever the file changes or the store starts over: answers for an older file are dropped.
  let fileSeq = 0;
  /** The job whose progress is shown; other clients' imports (the web host tells everyone) are not. */
  let watchedJob: string | null | undefined;

  const store = createStore<ImportState>()((set, get) => {
    async function run(dryRun: boolean): Promise<void> {
      const state = get();
      if (!canRun(state) || uploadId === null) return;
      const seq = fileSeq;
      watchedJob = null;
      set({ phase: dryRun ? 'dryRunning' : 'importing', progress: null, runError: null, ...(dryRun ? { dryRun: null } : {}) });
      const input: ImportCustomersInput = {
        source: { uploadId },
        columns: state.columns,
        dryRun,
        ticketTypeChoices: ticketTypeChoices(state.typeChoices),
        ...(state.eventId ? { eventId: state.eventId } : {}),
      };
      const answer = await client.invoke('import.customers', input);
      if (seq !== fileSeq) return;
      watchedJob = undefined;
      if (!answer.ok) {
        set({ phase: 'ready', progress: null, runError: actionError(answer.error) });
        return;
      }
      const unknownTicketTypes = answer.value.unknownTicketTypes;
      if (dryRun) set({ phase: 'ready', dryRun: answer.value, unknownTicketTypes });
      else {
        uploadId = null;
        set({ phase: 'done', result: answer.value, unknownTicketTypes });
      }
    }

    return {
      ...initialFileState,
      events: null,
      eventId: null,
      eventsError: null,

      async loadEvents() {
        const answer = await client.invoke('events.list', {});
        if (!answer.ok) {
          set({ eventsError: actionError(answer.error) });
          return;
        }
        const { events } = answer.value;
        const chosen = get().eventId;
        const stillThere = chosen !== null && events.some((event) => event.id === chosen);
        set({ events, eventsError: null, eventId: stillThere ? chosen : events.length === 1 ? events[0]!.id : null });
      },

      async chooseFile(file) {
        const seq = ++fileSeq;
        uploadId = null;
        set({ ...initialFileState, phase: 'reading', file: { name: file.name, size: file.size } });
        const fail = (message: string) => {
          if (seq === fileSeq) set({ phase: 'choose', fileError: { code: 'VALIDATION', message, field: 'source' } });
        };
        if (file.size > maxImportFileBytes) {
          fail(`${file.name} is larger than 64 MB: import it with the command line (box-office import customers FILE)`);
          return;
        }
        let text: string;
        try {
          text = await file.text();
        } catch (error) {
          fail(`Cannot read ${file.name}: ${error instanceof Error ? error.message : String(error)}`);
          return;
        }
        if (seq !== fileSeq) return;
        const upload = await uploadFile(client, text);
        if (seq !== fileSeq) return;
        if (!upload.ok) {
          set({ phase: 'choose', fileError: upload.error });
          return;
        }
        const answer = await client.invoke('import.preview', { uploadId: upload.uploadId, sampleRows: previewRows });
        if (seq !== fileSeq) return;
        if (!answer.ok) {
          set({ phase: 'choose', fileError: actionError(answer.error) });
          return;
        }
        uploadId = upload.uploadId;
        set({ phase: 'ready', preview: answer.value, columns: [...answer.value.columns] });
      },

      setColumn(index, field) {
        const { columns, phase } = get();
        if (phase !== 'ready' || index < 0 || index >= columns.length || columns[index] === field) return;
        set({ columns: columns.map((current, at) => (at === index ? field : current)), dryRun: null, runError: null });
      },

      resetColumns() {
        const { preview, phase } = get();
        if (phase !== 'ready' || !preview) return;
        set({ columns: [...preview.columns], dryRun: null, runError: null });
      },

      chooseEvent(eventId) {
        if (eventId === get().eventId || (get().phase !== 'ready' && get().phase !== 'choose')) return;
        // Another event has other ticket types: the unknown names and choices no longer hold.
        set({ eventId, dryRun: null, runError: null, unknownTicketTypes: [], typeChoices: {} });
      },

      chooseTicketType(name, choice) {
        if (get().phase !== 'ready' || get().typeChoices[name] === choice) return;
        set({ typeChoices: { ...get().typeChoices, [name]: choice }, dryRun: null, runError: null });
      },

      runDryRun: () => run(true),
      runImport: () => run(false),

      startOver() {
        fileSeq += 1;
        uploadId = null;
        watchedJob = undefined;
        set({ ...initialFileState });
        // The import may have created an event.
        void get().loadEvents();
      },

      dispose() {
        fileSeq += 1;
        uploadId = null;
        unsubscribe();
      },
    };
  });

  const unsubscribe = client.subscribe((event) => {
    if (event.type !== 'import.progress' || watchedJob === undefined) return;
    if (watchedJob === null) watchedJob = event.jobId;
    else if (event.jobId !== watchedJob) return;
    store.setState({ progress: event });
  });

  return store;
}
