import { createStore, type StoreApi } from 'zustand/vanilla';
import { contract, type OperationName } from '../../core/api/contract.ts';
import type { CurrentOperator } from '../../core/operators/operators.contract.ts';
import { anyone, roleAllows } from '../../core/operators/roles.ts';
import type { ConnectedClient } from '../api/connection.ts';
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
  /**
   * Asks again who is signed in after core refused an operation: an admin may have removed this
   * operator (core signed the window out) or changed their role. When the window is signed out
   * now, the refusal stays as the error the sign-in screen shows.
   */
  recheck(refusal: ActionError): Promise<void>;
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
  return createStore<OperatorState>()((set, get) => {
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
      async recheck(refusal) {
        const wasSignedIn = get().current?.operator != null;
        const result = await client.invoke('operators.current', {});
        if (!result.ok) return;
        const signedOut = wasSignedIn && result.value.operator === null;
        set(signedOut ? { current: result.value, phase: 'ready', error: refusal } : { current: result.value, phase: 'ready' });
      },
      clearError() {
        set({ error: null });
      },
    };
  });
}

/**
 * The client the screens use: a FORBIDDEN answer to an operation that needs a role makes the
 * window ask again who is signed in (core checks the operator at every call), so a removed
 * operator's window goes back to the sign-in screen and a changed role shows its screens at once.
 * Wrong PINs (sign-in itself) are the operator store's own business and are not watched.
 */
export function recheckingOnRefusal(client: ConnectedClient, operator: OperatorStore): ConnectedClient {
  const invoke = (async (name: OperationName, input: unknown) => {
    const result = await (client.invoke as (name: OperationName, input: unknown) => Promise<Result<unknown>>)(name, input);
    if (!result.ok && result.error.code === 'FORBIDDEN' && Object.hasOwn(contract, name) && contract[name].roles !== anyone) {
      void operator.getState().recheck(actionError(result.error));
    }
    return result;
  }) as ConnectedClient['invoke'];
  return {
    invoke,
    subscribe: (listener) => client.subscribe(listener),
    connectionState: () => client.connectionState(),
    onConnectionState: (listener) => client.onConnectionState(listener),
    reconnectNow: () => client.reconnectNow(),
  };
}
