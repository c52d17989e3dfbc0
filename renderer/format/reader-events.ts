import type { ReaderEventView, ReaderStatusView } from '../api/operations.ts';
import { formatTagUid } from './tag-uid.ts';

const symbologyNames: Record<string, string> = {
  qr: 'QR code',
  code128: 'Code 128',
  ean13: 'EAN-13',
  ean8: 'EAN-8',
  upca: 'UPC-A',
  upce: 'UPC-E',
  code39: 'Code 39',
  datamatrix: 'Data Matrix',
  pdf417: 'PDF417',
  aztec: 'Aztec',
  interleaved2of5: 'Interleaved 2 of 5',
};

/** One line saying what a reader reported, in staff's words. */
export function describeReaderEvent(event: ReaderEventView): string {
  switch (event.type) {
    case 'connected':
      return 'Connected';
    case 'disconnected':
      return `Disconnected: ${event.reason}`;
    case 'tagPresented':
      return `Tag ${formatTagUid(event.uid)} presented${event.randomUid ? ' (random UID: a phone or bank card, not a wristband)' : ''}`;
    case 'tagRemoved':
      return `Tag ${formatTagUid(event.uid)} taken away`;
    case 'barcodeScanned': {
      const symbology = symbologyNames[event.symbology];
      return `Scanned ${event.text}${symbology ? ` (${symbology})` : ''}`;
    }
    case 'error':
      return `${event.retryable ? 'Problem, retrying' : 'Stopped'}: ${event.message}`;
  }
}

export const statusLabels: Record<ReaderStatusView['state'], string> = {
  stopped: 'Stopped',
  connecting: 'Connecting…',
  connected: 'Connected',
  disconnected: 'Disconnected',
  error: 'Error',
  unavailable: 'Unavailable',
};

export function statusTone(state: ReaderStatusView['state']): 'good' | 'warn' | 'bad' | 'neutral' {
  if (state === 'connected') return 'good';
  if (state === 'connecting' || state === 'disconnected') return 'warn';
  if (state === 'error' || state === 'unavailable') return 'bad';
  return 'neutral';
}
