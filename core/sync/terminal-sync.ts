import type { CoreEvent } from '../api/pubsub.ts';
import type { CheckSummary, SyncCheckInput, SyncCommandView, SyncEnrolInput, SyncNowResult, SyncStatusView, syncCommandFilters } from './sync.contract.ts';

/**
 * What core needs from the host's sync (host/sync): core stays host-agnostic and never opens a
 * socket or a thread; the long-running hosts (desktop app, `box-office serve`) run the sync worker
 * and hand core this capability, like readers (core/devices/device-manager.ts). Throws DomainError
 * for what staff must fix (a wrong code, a server that cannot be reached).
 */
export interface TerminalSync {
  status(): SyncStatusView;
  enrol(input: SyncEnrolInput): Promise<SyncStatusView>;
  /** One sync that starts after the call; its counts. */
  syncNow(): Promise<SyncNowResult>;
  /** A sync, then the consistency check, with no other sync in between (sync/terminal/consistency-check.ts `syncThenCheck`). */
  check(input: SyncCheckInput): Promise<CheckSummary>;
  commands(filter: (typeof syncCommandFilters)[number], limit: number): { commands: SyncCommandView[]; total: number };
  /** sync.status and sync.progress events, for the core's subscribers. Returns the unsubscribe. */
  onEvent(listener: (event: CoreEvent) => void): () => void;
}
