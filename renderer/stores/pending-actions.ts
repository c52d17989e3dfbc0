import type { StoreApi } from 'zustand/vanilla';
import type { ActionError } from './action-error.ts';

/**
 * A screen store's actions in progress and their errors, each under its own key (`add`,
 * `remove:<id>`), so a spinner or an error shows beside the form or row it came from.
 */
export interface PendingActions {
  pending: Record<string, boolean>;
  errors: Record<string, ActionError>;
}

/** begin: pending, its old error gone; end: done, with its error if it failed; clearError: the error dismissed. */
export function pendingActions<S extends PendingActions>(set: StoreApi<S>['setState']) {
  const withoutError = (errors: Record<string, ActionError>, key: string) => {
    const kept = { ...errors };
    delete kept[key];
    return kept;
  };
  return {
    begin: (key: string) => set((state) => ({ pending: { ...state.pending, [key]: true }, errors: withoutError(state.errors, key) }) as Partial<S>),
    end: (key: string, error?: ActionError) =>
      set((state) => {
        const pending = { ...state.pending };
        delete pending[key];
        return (error ? { pending, errors: { ...state.errors, [key]: error } } : { pending }) as Partial<S>;
      }),
    clearError: (key: string) => set((state) => ({ errors: withoutError(state.errors, key) }) as Partial<S>),
  };
}
