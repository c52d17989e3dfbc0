import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  AlertList,
  BoxOfficeClient,
  CoreEvent,
  SyncCheckSummary,
  SyncCommandFilter,
  SyncCommandView,
  SyncEnrolInput,
  SyncNowResult,
  SyncProgressEvent,
  SyncStatusView,
} from '../api/operations.ts';
import { actionError, type ActionError } from './action-error.ts';
import { pendingActions } from './pending-actions.ts';

/**
 * Where this terminal stands with the central server (DESIGN.md section 6), for the status
 * indicator every screen shows and the Sync screen: the status (kept current by the host's
 * `sync.status` events), a first load's progress (`sync.progress`), the commands waiting,
 * rejected and applied with a conflict, the conflict alerts (and acknowledging them), enrolment,
 * "Sync now" and the consistency check (and reloading the tables it found differing).
 */

export const syncActionKeys = { load: 'load', lists: 'lists', enrol: 'enrol', syncNow: 'syncNow', check: 'check', repair: 'repair' } as const;

/** The pending and error key of acknowledging one alert: the spinner and the error show on its row. */
export const acknowledgeKey = (alertId: string) => `acknowledge:${alertId}`;

export interface CommandList {
  commands: SyncCommandView[];
  total: number;
}

export interface SyncState {
  /** unavailable: this host runs no sync (the indicator hides). */
  phase: 'idle' | 'loading' | 'ready' | 'unavailable' | 'error';
  status: SyncStatusView | null;
  /** The first load's progress while it runs, and its last figures once done. */
  progress: SyncProgressEvent | null;
  commands: Record<SyncCommandFilter, CommandList>;
  /** Every alert, the unacknowledged ones first (the acknowledged show who and when). */
  alerts: AlertList;
  /** The last "Sync now", for the line under the button. */
  lastSyncNow: SyncNowResult | null;
  /** The last consistency check's answer (with repair: after the reload). */
  lastCheck: SyncCheckSummary | null;
  pending: Record<string, boolean>;
  errors: Record<string, ActionError>;

  load(): Promise<void>;
  /** The commands and alerts (box office and up: the host refuses others, and the screen does not ask). */
  loadLists(): Promise<void>;
  enrol(input: SyncEnrolInput): Promise<boolean>;
  syncNow(): Promise<boolean>;
  /** Syncs, then checks every table with the server (repair: reloads those that differ); its error under `check` or `repair`. */
  check(repair: boolean): Promise<boolean>;
  /** Acknowledges one alert, then lists them again; false (and the error under its key) when refused. */
  acknowledgeAlert(alertId: string): Promise<boolean>;
  clearError(key: string): void;
  applyEvent(event: CoreEvent): void;
}

export type SyncStore = StoreApi<SyncState>;

const emptyList: CommandList = { commands: [], total: 0 };

export function createSyncStore(client: BoxOfficeClient): SyncStore {
  const store = createStore<SyncState>()((set, get) => {
    const { begin, end, clearError } = pendingActions<SyncState>(set);
    return {
      phase: 'idle',
      status: null,
      progress: null,
      commands: { pending: emptyList, rejected: emptyList, conflict: emptyList },
      alerts: { alerts: [], total: 0, unacknowledged: 0 },
      lastSyncNow: null,
      lastCheck: null,
      pending: {},
      errors: {},

      async load() {
        if (get().phase === 'idle') set({ phase: 'loading' });
        begin(syncActionKeys.load);
        const result = await client.invoke('sync.status', {});
        if (!result.ok) {
          end(syncActionKeys.load, actionError(result.error));
          set({ phase: result.error.code === 'UNAVAILABLE' ? 'unavailable' : 'error' });
          return;
        }
        set({ phase: 'ready', status: result.value });
        end(syncActionKeys.load);
      },

      async loadLists() {
        begin(syncActionKeys.lists);
        const [pending, rejected, conflict, alerts] = await Promise.all([
          client.invoke('sync.commands', { status: 'pending' }),
          client.invoke('sync.commands', { status: 'rejected' }),
          client.invoke('sync.commands', { status: 'conflict' }),
          client.invoke('sync.alerts', { show: 'all' }),
        ]);
        if (!pending.ok || !rejected.ok || !conflict.ok || !alerts.ok) {
          const failed = [pending, rejected, conflict, alerts].find((result) => !result.ok);
          end(syncActionKeys.lists, failed && !failed.ok ? actionError(failed.error) : undefined);
          return;
        }
        set({ commands: { pending: pending.value, rejected: rejected.value, conflict: conflict.value }, alerts: alerts.value });
        end(syncActionKeys.lists);
      },

      async enrol(input) {
        begin(syncActionKeys.enrol);
        const result = await client.invoke('sync.enrol', input);
        if (!result.ok) {
          end(syncActionKeys.enrol, actionError(result.error));
          return false;
        }
        const { eventChosen: _chosen, ...status } = result.value;
        set({ phase: 'ready', status });
        end(syncActionKeys.enrol);
        return true;
      },

      async syncNow() {
        begin(syncActionKeys.syncNow);
        const result = await client.invoke('sync.now', {});
        if (!result.ok) {
          end(syncActionKeys.syncNow, actionError(result.error));
          return false;
        }
        set({ lastSyncNow: result.value });
        end(syncActionKeys.syncNow);
        return true;
      },

      async check(repair) {
        const key = repair ? syncActionKeys.repair : syncActionKeys.check;
        // One answer shows at a time: the other button's error goes with its result.
        clearError(repair ? syncActionKeys.check : syncActionKeys.repair);
        begin(key);
        const result = await client.invoke('sync.check', { repair });
        if (!result.ok) {
          end(key, actionError(result.error));
          return false;
        }
        set({ lastCheck: result.value });
        end(key);
        return true;
      },

      async acknowledgeAlert(alertId) {
        const key = acknowledgeKey(alertId);
        begin(key);
        const result = await client.invoke('alerts.acknowledge', { alertIds: [alertId] });
        if (!result.ok) {
          end(key, actionError(result.error));
          return false;
        }
        // The row shows who and when from the list, as every other terminal will once it synced.
        await get().loadLists();
        end(key);
        return true;
      },

      clearError,

      applyEvent(event) {
        if (event.type === 'sync.status') set({ phase: 'ready', status: event.status });
        else if (event.type === 'sync.progress') set({ progress: event });
      },
    };
  });
  client.subscribe((event) => store.getState().applyEvent(event));
  return store;
}
