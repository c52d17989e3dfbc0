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

export type CoreEvent = ImportProgressEvent;

export type CoreEventListener = (event: CoreEvent) => void;
