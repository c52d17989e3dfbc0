import type { CheckinVerdict } from '../checkin/checkin.contract.ts';
import type { ReaderStatus } from '../devices/devices.contract.ts';
import type { ReaderEvent } from '../../drivers/reader.ts';

/**
 * Events that flow from the core to whoever subscribed (UI, CLI): progress of long jobs now; reader
 * events, scan verdicts and sync status join this union as those capabilities arrive.
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

export type CoreEvent = ImportProgressEvent | CheckinVerdictEvent | CheckinUndoneEvent | ReaderCoreEvent | ReaderStatusEvent;

export type CoreEventListener = (event: CoreEvent) => void;
