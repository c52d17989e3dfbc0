import type { Logger } from 'pino';
import type { CoreEvent } from '../../core/api/pubsub.ts';
import type { BoxOfficeCore } from '../../core/api/core.ts';
import { readCheckinMode } from '../../core/station/checkin-mode.ts';
import type { Store } from '../../db/store.ts';
import type { ReaderEvent } from '../../drivers/reader.ts';

/**
 * The check-in station (issue 8, item 6): while the station is in check-in mode, every tag
 * presented and barcode scanned on this terminal's readers is decided and recorded here, in the
 * host, as the event arrives: one `checkin.scan` command, whose `checkin.verdict` event the
 * check-in screens show. Before, the renderer ran the scan when it received the reader event, so a
 * presentation during a reload, a dropped WebSocket or a hung renderer was never recorded.
 */

export interface CheckinStationOptions {
  store: Store;
  core: Pick<BoxOfficeCore, 'invoke' | 'context'>;
  /** Reader events as the device manager publishes them. */
  onDeviceEvent(listener: (event: CoreEvent) => void): () => void;
  logger: Pick<Logger, 'warn'>;
}

/** What a reader read that is a credential to check in: a tag UID or a barcode's text. */
export function presentedCode(event: ReaderEvent): string | null {
  if (event.type === 'tagPresented') return event.uid;
  if (event.type === 'barcodeScanned') return event.text;
  return null;
}

/** Starts deciding reader scans in check-in mode; returns the function that stops it. */
export function startCheckinStation(options: CheckinStationOptions): () => void {
  const { store, core, logger } = options;
  return options.onDeviceEvent((event) => {
    if (event.type !== 'reader') return;
    const code = presentedCode(event.event);
    if (code === null) return;
    const mode = readCheckinMode(store);
    if (!mode.active) return;
    // invoke validates and runs the command synchronously (better-sqlite3): the scan is committed
    // before the next reader event is handled, in the order the reader saw them.
    void core.invoke('checkin.scan', { code, gateId: mode.gateId, direction: mode.direction }).then((result) => {
      if (result.ok) return;
      // Rejections are verdicts (result.ok); this is a scan that could not be recorded at all.
      logger.warn({ code: result.error.code, field: result.error.field }, 'reader scan not recorded');
      core.context.emit({ type: 'checkin.notRecorded', code, message: result.error.message });
    });
  });
}
