import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BoxOfficeClient, Result, StationStatus } from '../api/operations.ts';
import { actionError, type ActionError } from './action-error.ts';

/**
 * Whether this terminal is locked to the check-in screen (a steward's station). The PIN goes
 * straight to the host, which checks it against its stored hash; nothing here keeps it.
 */
export interface StationState {
  status: StationStatus | null;
  phase: 'idle' | 'loading' | 'ready' | 'error';
  pending: boolean;
  error: ActionError | null;
  load(): Promise<void>;
  lock(): Promise<boolean>;
  unlock(pin: string): Promise<boolean>;
  setPin(pin: string, currentPin: string | null): Promise<boolean>;
  clearError(): void;
}

export type StationStore = StoreApi<StationState>;

export function createStationStore(client: BoxOfficeClient): StationStore {
  return createStore<StationState>()((set) => {
    /** Runs one station operation; the host answers with the new status either way it went. */
    async function act(run: () => Promise<Result<StationStatus>>): Promise<boolean> {
      set({ pending: true, error: null });
      const result = await run();
      if (!result.ok) {
        set({ pending: false, error: actionError(result.error) });
        return false;
      }
      set({ pending: false, status: result.value, phase: 'ready' });
      return true;
    }
    return {
      status: null,
      phase: 'idle',
      pending: false,
      error: null,
      async load() {
        set((state) => (state.phase === 'idle' ? { phase: 'loading' } : {}));
        const result = await client.invoke('station.status', {});
        if (result.ok) set({ status: result.value, phase: 'ready' });
        else set({ phase: 'error', error: actionError(result.error) });
      },
      lock: () => act(() => client.invoke('station.lock', {})),
      async unlock(pin) {
        const unlocked = await act(() => client.invoke('station.unlock', { pin }));
        // A wrong PIN counts towards the lockout: show how many tries are left.
        if (!unlocked) {
          const result = await client.invoke('station.status', {});
          if (result.ok) set({ status: result.value });
        }
        return unlocked;
      },
      setPin: (pin, currentPin) => act(() => client.invoke('station.setPin', currentPin === null ? { pin } : { pin, currentPin })),
      clearError() {
        set({ error: null });
      },
    };
  });
}
