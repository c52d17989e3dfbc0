import { createStore, type StoreApi } from 'zustand/vanilla';
import { contract, type OperationName } from '../../core/api/contract.ts';
import type { CurrentOperator } from '../../core/operators/operators.contract.ts';
import { roleAllows } from '../../core/operators/roles.ts';
import type { BoxOfficeClient, Result } from '../api/operations.ts';
import { actionError, type ActionError } from './action-error.ts';

/**
 * Who is signed in at this window. The host keeps the sign-in per connection (per window in the
 * desktop app); the PIN goes straight to it and is never kept here.
 */
export interface OperatorState {
  current: CurrentOperator | null;
  phase: 'idle' | 'loading' | 'ready' | 'error';
  pending: boolean;
  error: ActionError | null;
  load(): Promise<void>;
  signIn(name: string, pin: string): Promise<boolean>;
  signOut(): Promise<void>;
  createFirstAdmin(name: string, pin: string): Promise<boolean>;
  clearError(): void;
}

export type OperatorStore = StoreApi<OperatorState>;

/**
 * Whether the window may call `operation`: the same rule core applies (the contract's roles), used
 * to hide what the role lacks. A terminal without operators (first run) may call everything.
 */
export function mayCall(current: CurrentOperator | null, operation: OperationName): boolean {
  if (current === null) return false;
  if (current.operator === null) return current.firstRun;
  return roleAllows(contract[operation].roles, current.operator.role);
}

export function createOperatorStore(client: BoxOfficeClient): OperatorStore {
  return createStore<OperatorState>()((set) => {
    async function act(run: () => Promise<Result<CurrentOperator>>): Promise<boolean> {
      set({ pending: true, error: null });
      const result = await run();
      if (!result.ok) {
        set({ pending: false, error: actionError(result.error) });
        return false;
      }
      set({ pending: false, current: result.value, phase: 'ready' });
      return true;
    }
    return {
      current: null,
      phase: 'idle',
      pending: false,
      error: null,
      async load() {
        set((state) => (state.phase === 'idle' ? { phase: 'loading' } : {}));
        const result = await client.invoke('operators.current', {});
        if (result.ok) set({ current: result.value, phase: 'ready' });
        else set({ phase: 'error', error: actionError(result.error) });
      },
      signIn: (name, pin) => act(() => client.invoke('operators.signIn', { name, pin })),
      async signOut() {
        await act(() => client.invoke('operators.signOut', {}));
      },
      createFirstAdmin: (name, pin) => act(() => client.invoke('operators.createFirstAdmin', { name, pin })),
      clearError() {
        set({ error: null });
      },
    };
  });
}
