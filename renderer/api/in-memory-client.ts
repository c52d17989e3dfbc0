import type { ConnectedClient, ConnectionListener, ConnectionState } from './connection.ts';
import type { BoxOfficeClient, CoreEvent, CoreEventListener, Result } from './operations.ts';

/** Anything that answers calls: a fake a test controls, or an in-process core. */
export interface Invoker {
  invoke(name: string, input: unknown): Result<unknown> | Promise<Result<unknown>>;
}

export interface InMemoryClient extends ConnectedClient {
  /** Delivers an event to subscribers, as a host would. */
  emit(event: CoreEvent): void;
  setConnectionState(state: ConnectionState): void;
}

/**
 * A client for tests (and demos) that wraps any object with an `invoke` function. Answers are
 * always delivered asynchronously, as over IPC or a socket, so stores are tested with real ordering.
 */
export function createInMemoryClient(invoker: Invoker): InMemoryClient {
  const eventListeners = new Set<CoreEventListener>();
  const stateListeners = new Set<ConnectionListener>();
  let state: ConnectionState = { kind: 'online' };
  const invoke = async (name: string, input: unknown): Promise<Result<unknown>> => {
    await Promise.resolve();
    return invoker.invoke(name, input);
  };
  return {
    invoke: invoke as BoxOfficeClient['invoke'],
    subscribe(listener) {
      eventListeners.add(listener);
      return () => {
        eventListeners.delete(listener);
      };
    },
    emit(event) {
      for (const listener of eventListeners) listener(event);
    },
    connectionState: () => state,
    onConnectionState(listener) {
      stateListeners.add(listener);
      return () => {
        stateListeners.delete(listener);
      };
    },
    setConnectionState(next) {
      state = next;
      for (const listener of stateListeners) listener(next);
    },
    reconnectNow: () => undefined,
  };
}
