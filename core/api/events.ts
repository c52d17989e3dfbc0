import type { CheckinVerdict } from '../checkin/checkin.contract.ts';
import type { ReaderStatus } from '../devices/devices.contract.ts';
import type { CheckinMode } from '../station/station.contract.ts';
import type { ReaderEvent } from '../../drivers/reader.ts';

/**
 * Events that flow from the core to whoever subscribed (UI, CLI): progress of long jobs, reader
 * events and statuses, scan verdicts, the station's check-in mode.
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

export type CoreEvent =
  | ImportProgressEvent
  | CheckinVerdictEvent
  | CheckinNotRecordedEvent
  | CheckinUndoneEvent
  | StationCheckinModeEvent
  | ReaderCoreEvent
  | ReaderStatusEvent;

export type CoreEventListener = (event: CoreEvent) => void;
