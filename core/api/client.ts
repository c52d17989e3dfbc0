import type { Result } from '../result.ts';
import type { CoreEventListener } from './pubsub.ts';
import type { Contract, OperationName } from './contract.ts';
import type { OperationInput, OperationOutput } from './operation.ts';

/**
 * The one interface the renderer and every host talk to the core through. Implementations: the
 * in-process core (createCore), the Electron preload bridge and the web host's WebSocket client.
 */
export interface BoxOfficeClient {
  invoke<K extends OperationName>(
    name: K,
    input: OperationInput<Contract[K]>,
  ): Promise<Result<OperationOutput<Contract[K]>>>;
  /** Returns the unsubscribe function. */
  subscribe(listener: CoreEventListener): () => void;
}
