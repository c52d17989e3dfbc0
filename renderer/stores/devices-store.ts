import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  AddReaderInput,
  BoxOfficeClient,
  CoreEvent,
  DemoCode,
  DriverAvailability,
  ReaderCandidate,
  ReaderEventView,
  ReaderView,
  SimulateReaderAction,
} from '../api/operations.ts';
import { actionError, type ActionError } from './action-error.ts';
import { pendingActions } from './pending-actions.ts';

/**
 * The Devices screen's state: configured readers with their live status and last tag or barcode
 * (kept current by the host's `reader` and `reader.status` events), candidate devices, and the
 * "test read" that waits for a reader's next event. The simulated-reader panel (reachable from every
 * screen) presents codes through the first simulated reader, adding one when there is none.
 */

export const deviceActionKeys = {
  load: 'load',
  candidates: 'candidates',
  add: 'add',
  remove: (readerId: string) => `remove:${readerId}`,
  simulate: (readerId: string) => `simulate:${readerId}`,
  panel: 'simulated-panel',
} as const;

/** The name of the simulated reader the panel adds when the terminal has none. */
export const panelReaderName = 'Simulated reader';

export interface TestRead {
  readerId: string;
  event: ReaderEventView | null;
}

export interface DevicesState {
  phase: 'idle' | 'loading' | 'ready' | 'error';
  readers: ReaderView[];
  drivers: DriverAvailability[];
  running: boolean;
  candidates: ReaderCandidate[];
  unavailable: { kind: 'serial' | 'hid'; message: string }[];
  candidatesPhase: 'idle' | 'loading' | 'ready';
  testRead: TestRead | null;
  pending: Record<string, boolean>;
  errors: Record<string, ActionError>;
  /** Demo tickets and wristbands the panel offers (empty outside the demo). */
  demoCodes: DemoCode[];

  load(): Promise<void>;
  loadCandidates(): Promise<void>;
  add(input: AddReaderInput): Promise<boolean>;
  remove(readerId: string): Promise<boolean>;
  simulate(readerId: string, action: SimulateReaderAction): Promise<boolean>;
  loadDemoCodes(): Promise<void>;
  /** The panel's action: on the first simulated reader, added first when there is none. */
  simulateFromPanel(action: SimulateReaderAction): Promise<boolean>;
  startTestRead(readerId: string): void;
  cancelTestRead(): void;
  clearError(key: string): void;
  /** Applies a host event (status change, tag, barcode) to the readers shown. */
  applyEvent(event: CoreEvent): void;
}

export type DevicesStore = StoreApi<DevicesState>;

const shownEvents = new Set(['tagPresented', 'tagRemoved', 'barcodeScanned']);

export function createDevicesStore(client: BoxOfficeClient, now: () => string = () => new Date().toISOString()): DevicesStore {
  const store = createStore<DevicesState>()((set, get) => {
    const { begin, end, clearError } = pendingActions<DevicesState>(set);
    /**
     * The newest status the host announced per reader. The host may answer readers.list or
     * readers.add with a status computed before a `reader.status` event it sends first (seen under
     * load: a reader shown "connecting" for good), and an event can name a reader not listed yet:
     * a listed status never replaces a newer announced one.
     */
    const announced = new Map<string, ReaderView['status']>();
    const withNewestStatus = (reader: ReaderView): ReaderView => {
      const known = announced.get(reader.id);
      return known && known.since >= reader.status.since ? { ...reader, status: known } : reader;
    };
    /** Runs one simulated read, its pending flag and error kept under `key` (begun by the caller). */
    const simulateOn = async (key: string, readerId: string, action: SimulateReaderAction) => {
      const result = await client.invoke('readers.simulate', { readerId, action });
      end(key, result.ok ? undefined : actionError(result.error));
      return result.ok;
    };

    return {
      phase: 'idle',
      readers: [],
      drivers: [],
      running: false,
      candidates: [],
      unavailable: [],
      candidatesPhase: 'idle',
      testRead: null,
      pending: {},
      errors: {},
      demoCodes: [],

      async load() {
        if (get().phase === 'idle') set({ phase: 'loading' });
        begin(deviceActionKeys.load);
        const result = await client.invoke('readers.list', {});
        if (!result.ok) {
          end(deviceActionKeys.load, actionError(result.error));
          set({ phase: 'error' });
          return;
        }
        set({ phase: 'ready', readers: result.value.readers.map(withNewestStatus), drivers: result.value.drivers, running: result.value.running });
        end(deviceActionKeys.load);
      },

      async loadCandidates() {
        set({ candidatesPhase: 'loading' });
        begin(deviceActionKeys.candidates);
        const result = await client.invoke('readers.candidates', {});
        if (!result.ok) {
          end(deviceActionKeys.candidates, actionError(result.error));
          set({ candidatesPhase: 'ready' });
          return;
        }
        set({ candidates: result.value.candidates, unavailable: result.value.unavailable, candidatesPhase: 'ready' });
        end(deviceActionKeys.candidates);
      },

      async add(input) {
        begin(deviceActionKeys.add);
        const result = await client.invoke('readers.add', input);
        if (!result.ok) {
          end(deviceActionKeys.add, actionError(result.error));
          return false;
        }
        const added = withNewestStatus(result.value);
        set((state) => ({ readers: [...state.readers.filter((reader) => reader.id !== added.id), added] }));
        end(deviceActionKeys.add);
        await Promise.all([get().load(), get().candidatesPhase === 'idle' ? Promise.resolve() : get().loadCandidates()]);
        return true;
      },

      async remove(readerId) {
        const key = deviceActionKeys.remove(readerId);
        begin(key);
        const result = await client.invoke('readers.remove', { readerId });
        if (!result.ok) {
          end(key, actionError(result.error));
          return false;
        }
        announced.delete(readerId);
        set((state) => ({
          readers: state.readers.filter((reader) => reader.id !== readerId),
          testRead: state.testRead?.readerId === readerId ? null : state.testRead,
        }));
        end(key);
        if (get().candidatesPhase !== 'idle') await get().loadCandidates();
        return true;
      },

      async simulate(readerId, action) {
        const key = deviceActionKeys.simulate(readerId);
        begin(key);
        return simulateOn(key, readerId, action);
      },

      async loadDemoCodes() {
        const result = await client.invoke('events.demoCodes', {});
        if (result.ok) set({ demoCodes: result.value.codes });
      },

      async simulateFromPanel(action) {
        const key = deviceActionKeys.panel;
        begin(key);
        let reader = get().readers.find((candidate) => candidate.driver === 'simulated');
        if (!reader) {
          const listed = await client.invoke('readers.list', {});
          reader = listed.ok ? listed.value.readers.find((candidate) => candidate.driver === 'simulated') : undefined;
        }
        if (!reader) {
          const added = await client.invoke('readers.add', { driver: 'simulated', name: panelReaderName });
          if (!added.ok) {
            end(key, actionError(added.error));
            return false;
          }
          reader = added.value;
          set((state) => ({ readers: [...state.readers.filter((candidate) => candidate.id !== added.value.id), withNewestStatus(added.value)] }));
        }
        return simulateOn(key, reader.id, action);
      },

      startTestRead(readerId) {
        set({ testRead: { readerId, event: null } });
      },
      cancelTestRead() {
        set({ testRead: null });
      },
      clearError,

      applyEvent(event) {
        if (event.type === 'reader.status') {
          const { status } = event;
          announced.set(status.readerId, status);
          set((state) => ({ readers: state.readers.map((reader) => (reader.id === status.readerId ? { ...reader, status } : reader)) }));
        } else if (event.type === 'reader') {
          const readerEvent = event.event;
          const test = get().testRead;
          if (test && test.event === null && test.readerId === readerEvent.readerId) set({ testRead: { ...test, event: readerEvent } });
          if (!shownEvents.has(readerEvent.type)) return;
          const at = now();
          set((state) => ({
            readers: state.readers.map((reader) => (reader.id === readerEvent.readerId ? { ...reader, lastEvent: readerEvent, lastEventAt: at } : reader)),
          }));
        }
      },
    };
  });
  client.subscribe((event) => store.getState().applyEvent(event));
  return store;
}
