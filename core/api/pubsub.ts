import type { CheckinVerdict } from '../checkin/checkin.contract.ts';
import type { ReaderStatus } from '../readers/readers.contract.ts';
import type { CheckinMode } from '../station/station.contract.ts';
import type { ReaderEvent } from '../../drivers/reader.ts';
import type { SyncProgress, SyncStatusView } from '../sync/sync.contract.ts';

/**
 * The core's publish/subscribe: what the core tells whoever subscribed through
 * `BoxOfficeClient.subscribe` (the renderer over the Electron bridge or the web host's WebSocket,
 * the CLI's import progress, the host's check-in station). Published with `CoreContext.emit` by
 * handlers after their transaction committed, by import jobs and by the host's readers. Not the
 * festival events of core/events: these are notifications, never stored. Imports no Node API: the
 * renderer uses the types.
 */

export interface ImportProgressEvent {
  type: 'import.progress';
  jobId: string;
  rowsRead: number;
  imported: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Bytes of the file read so far and its size, when known, for a progress bar. */
  bytesRead: number;
  bytesTotal: number | null;
  done: boolean;
}

/** A scan's verdict, published after its transaction committed (check-in screen, second screen, live counts). */
export interface CheckinVerdictEvent {
  type: 'checkin.verdict';
  verdict: CheckinVerdict;
}

/**
 * A reader's scan the host could not record while checking in (an unexpected failure): the screen
 * says "not recorded, scan again" instead of leaving the previous verdict up.
 */
export interface CheckinNotRecordedEvent {
  type: 'checkin.notRecorded';
  /** The tag UID or barcode text as the reader read it. */
  code: string;
  message: string;
}

/** The station's check-in mode changed (a check-in screen opened or closed, here or in another window). */
export interface StationCheckinModeEvent {
  type: 'station.checkinMode';
  mode: CheckinMode;
}

/** An admission undone by its terminal (the counts change). */
export interface CheckinUndoneEvent {
  type: 'checkin.undone';
  scanId: string;
  undoneAt: string;
  ticketId: string | null;
  tagId: string | null;
  entries: number;
  inside: boolean;
}

/** Everything a reader reports (tags, barcodes, connection changes), as the driver emitted it. */
export interface ReaderCoreEvent {
  type: 'reader';
  event: ReaderEvent;
}

/** A reader's status changed (connected, disconnected with the reason, error...). */
export interface ReaderStatusEvent {
  type: 'reader.status';
  status: ReaderStatus;
}

/**
 * Where this terminal stands with the central server changed (online/offline, commands waiting,
 * a sync done or failed): the status indicator and the Sync screen redraw from it.
 */
export interface SyncStatusEvent {
  type: 'sync.status';
  status: SyncStatusView;
}

/** A first load's progress (rows, rows/s, time left), for the Sync screen's progress bar. */
export interface SyncProgressEvent extends SyncProgress {
  type: 'sync.progress';
}

export type CoreEvent =
  | ImportProgressEvent
  | CheckinVerdictEvent
  | CheckinNotRecordedEvent
  | CheckinUndoneEvent
  | StationCheckinModeEvent
  | ReaderCoreEvent
  | ReaderStatusEvent
  | SyncStatusEvent
  | SyncProgressEvent;

export type CoreEventListener = (event: CoreEvent) => void;

export interface PubSub {
  publish(event: CoreEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: CoreEventListener): () => void;
}

/** Delivers each event synchronously to every listener subscribed at the time, in subscription order. */
export function createPubSub(): PubSub {
  const listeners = new Set<CoreEventListener>();
  return {
    publish(event) {
      for (const listener of listeners) listener(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
