import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BoxOfficeClient, Input, OperatorSummary } from '../api/operations.ts';
import { actionError, type ActionError } from './action-error.ts';
import { pendingActions } from './pending-actions.ts';

/**
 * The Operators screen's state (admins only): the operators of this terminal, and adding one,
 * changing a role, resetting a PIN and removing one. Each action keeps its pending flag and error
 * under its own key, so an error shows beside the form or row it came from. PINs go straight to
 * the host and are never kept here.
 */

export const operatorActionKeys = {
  load: 'load',
  add: 'add',
  update: (operatorId: string) => `update:${operatorId}`,
  remove: (operatorId: string) => `remove:${operatorId}`,
} as const;

export interface OperatorsState {
  phase: 'idle' | 'loading' | 'ready' | 'error';
  operators: OperatorSummary[];
  pending: Record<string, boolean>;
  errors: Record<string, ActionError>;
  load(): Promise<void>;
  add(input: Input<'operators.add'>): Promise<boolean>;
  update(input: Input<'operators.update'>): Promise<boolean>;
  remove(operatorId: string): Promise<boolean>;
  clearError(key: string): void;
}

export type OperatorsStore = StoreApi<OperatorsState>;

/** Sorted as the host lists them: by name, whatever its case. */
const byName = (a: OperatorSummary, b: OperatorSummary) => a.name.trim().toLowerCase().localeCompare(b.name.trim().toLowerCase());

export function createOperatorsStore(client: BoxOfficeClient): OperatorsStore {
  return createStore<OperatorsState>()((set, get) => {
    const { begin, end, clearError } = pendingActions<OperatorsState>(set);
    const replace = (changed: OperatorSummary) =>
      set((state) => ({ operators: [...state.operators.filter((operator) => operator.id !== changed.id), changed].sort(byName) }));

    return {
      phase: 'idle',
      operators: [],
      pending: {},
      errors: {},

      async load() {
        if (get().phase === 'idle') set({ phase: 'loading' });
        begin(operatorActionKeys.load);
        const result = await client.invoke('operators.list', {});
        if (!result.ok) {
          end(operatorActionKeys.load, actionError(result.error));
          set({ phase: 'error' });
          return;
        }
        set({ phase: 'ready', operators: result.value.operators });
        end(operatorActionKeys.load);
      },

      async add(input) {
        begin(operatorActionKeys.add);
        const result = await client.invoke('operators.add', input);
        if (!result.ok) {
          end(operatorActionKeys.add, actionError(result.error));
          return false;
        }
        replace(result.value);
        end(operatorActionKeys.add);
        return true;
      },

      async update(input) {
        const key = operatorActionKeys.update(input.operatorId);
        begin(key);
        const result = await client.invoke('operators.update', input);
        if (!result.ok) {
          end(key, actionError(result.error));
          // Removed elsewhere meanwhile: show the list as it is now.
          if (result.error.code === 'NOT_FOUND') void get().load();
          return false;
        }
        replace(result.value);
        end(key);
        return true;
      },

      async remove(operatorId) {
        const key = operatorActionKeys.remove(operatorId);
        begin(key);
        const result = await client.invoke('operators.remove', { operatorId });
        if (!result.ok) {
          end(key, actionError(result.error));
          if (result.error.code === 'NOT_FOUND') void get().load();
          return false;
        }
        set((state) => ({ operators: state.operators.filter((operator) => operator.id !== operatorId) }));
        end(key);
        return true;
      },

      clearError,
    };
  });
}
