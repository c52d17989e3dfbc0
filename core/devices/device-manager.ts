import type { CoreEvent } from '../api/pubsub.ts';
import type { ReaderEvent } from '../../drivers/reader.ts';
import type { ReaderCandidate, ReaderDriverName, ReaderStatus, SimulateAction } from '../readers/readers.contract.ts';

/**
 * What core needs from the host's device manager (host/devices): core stays host-agnostic and
 * never opens a device; it stores reader configurations and asks the manager to act on them.
 */
export interface DeviceManager {
  /** Whether this process runs readers (the desktop app, `serve`); the CLI only configures them. */
  readonly running: boolean;
  status(readerId: string): ReaderStatus;
  lastEvent(readerId: string): { event: ReaderEvent; at: string } | null;
  drivers(): Promise<{ driver: ReaderDriverName; available: boolean; message: string | null }[]>;
  candidates(): Promise<{ candidates: Omit<ReaderCandidate, 'configuredAs'>[]; unavailable: { kind: 'serial' | 'hid'; message: string }[] }>;
  /** The stored configurations changed (a reader was added or removed): start or stop readers. */
  configurationChanged(): void;
  /** Acts on a running simulated reader; throws DomainError when the reader is not one. */
  simulate(readerId: string, action: SimulateAction): ReaderEvent[];
  /** Reader events and status changes, for the core's subscribers. Returns the unsubscribe. */
  onEvent(listener: (event: CoreEvent) => void): () => void;
}
