/**
 * The one interface every reader driver implements (DESIGN.md section 8). Drivers turn bytes from
 * a device into these typed events; the device manager (host) and the UI only ever see events.
 */

/** ISO 14443A tag families, from SAK/ATQA. */
export type TagKind = 'ntag' | 'ultralight' | 'classic' | 'desfire' | 'iso14443a' | 'unknown';

export type Symbology =
  | 'qr'
  | 'code128'
  | 'ean13'
  | 'ean8'
  | 'upca'
  | 'upce'
  | 'code39'
  | 'datamatrix'
  | 'pdf417'
  | 'aztec'
  | 'interleaved2of5'
  | 'unknown';

export type ReaderEvent =
  | { type: 'connected'; readerId: string }
  | { type: 'disconnected'; readerId: string; reason: string }
  | {
      type: 'tagPresented';
      readerId: string;
      /** Upper-case hex without separators (DESIGN.md section 4). */
      uid: string;
      atqa: string;
      sak: string;
      kind: TagKind;
      /** 4-byte UIDs starting 0x08 are random per read (phones, bank cards): never bind them. */
      randomUid: boolean;
    }
  | { type: 'tagRemoved'; readerId: string; uid: string }
  | { type: 'barcodeScanned'; readerId: string; text: string; symbology: Symbology; source: 'serial' | 'hid' | 'keyboard' | 'simulated' }
  | { type: 'error'; readerId: string; code: string; message: string; retryable: boolean };

export type ReaderEventListener = (event: ReaderEvent) => void;

export interface Reader {
  readonly id: string;
  /** Opens the device and starts reading; resolves once the first attempt is under way. */
  start(): Promise<void>;
  /** Stops reading and releases the device; no events after it resolves. */
  stop(): Promise<void>;
  /** Returns the unsubscribe function. */
  onEvent(listener: ReaderEventListener): () => void;
}
