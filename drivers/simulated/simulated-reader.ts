import type { Reader, ReaderEvent, ReaderEventListener, Symbology, TagKind } from '../reader.ts';

/**
 * A reader with no device, for demos and development: staff (or a test) present tags and scan
 * barcodes on demand, and it emits exactly the events a real reader would, including one
 * `tagPresented` while a tag is held and a `tagRemoved` when it is taken away.
 */

export interface SimulatedTag {
  /** Upper-case hex, 4, 7 or 10 bytes. */
  uid: string;
  kind?: TagKind;
  /** Take the tag away after this many ms (a tap); held until `removeTag()` when absent. */
  holdMs?: number;
}

export interface SimulatedReader extends Reader {
  presentTag(tag: SimulatedTag): ReaderEvent[];
  removeTag(): ReaderEvent[];
  scanBarcode(text: string, symbology?: Symbology): ReaderEvent[];
  /** The UID of the tag held on the reader, if any. */
  readonly heldTag: string | null;
}

/** ATQA and SAK a real tag of each family answers with. */
const answers: Record<TagKind, { atqa: string; sak: string }> = {
  ntag: { atqa: '0044', sak: '00' },
  ultralight: { atqa: '0044', sak: '00' },
  classic: { atqa: '0004', sak: '08' },
  desfire: { atqa: '0344', sak: '20' },
  iso14443a: { atqa: '0004', sak: '20' },
  unknown: { atqa: '0000', sak: '00' },
};

function kindForLength(uid: string): TagKind {
  if (uid.length === 14) return 'ntag';
  if (uid.length === 8) return 'classic';
  return 'iso14443a';
}

export function createSimulatedReader(id: string): SimulatedReader {
  const listeners = new Set<ReaderEventListener>();
  let running = false;
  let held: string | null = null;
  let holdTimer: ReturnType<typeof setTimeout> | undefined;

  const emit = (events: ReaderEvent[]): ReaderEvent[] => {
    if (!running) return [];
    for (const event of events) for (const listener of [...listeners]) listener(event);
    return events;
  };

  const takeAway = (): ReaderEvent[] => {
    if (holdTimer) clearTimeout(holdTimer);
    holdTimer = undefined;
    if (held === null) return [];
    const uid = held;
    held = null;
    return [{ type: 'tagRemoved', readerId: id, uid }];
  };

  return {
    id,
    async start() {
      if (running) return;
      running = true;
      emit([{ type: 'connected', readerId: id }]);
    },
    async stop() {
      if (!running) return;
      emit([...takeAway(), { type: 'disconnected', readerId: id, reason: 'Reader stopped' }]);
      running = false;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    presentTag(tag) {
      if (!running) return [];
      const uid = tag.uid.toUpperCase();
      const events: ReaderEvent[] = [];
      if (held !== uid) {
        events.push(...takeAway());
        const kind = tag.kind ?? kindForLength(uid);
        held = uid;
        events.push({ type: 'tagPresented', readerId: id, uid, ...answers[kind], kind, randomUid: uid.length === 8 && uid.startsWith('08') });
      }
      if (holdTimer) clearTimeout(holdTimer);
      holdTimer = tag.holdMs === undefined ? undefined : setTimeout(() => emit(takeAway()), tag.holdMs);
      return emit(events);
    },
    removeTag() {
      if (!running) return [];
      return emit(takeAway());
    },
    scanBarcode(text, symbology = 'unknown') {
      return emit([{ type: 'barcodeScanned', readerId: id, text, symbology, source: 'simulated' }]);
    },
    get heldTag() {
      return held;
    },
  };
}
