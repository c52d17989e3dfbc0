import type { Migration } from './index.ts';
import { createBeforeImageTriggers } from './0015_before_images.ts';

/**
 * Who acknowledged a conflict alert, beside when (`acknowledged_at`, there since 0012), so every
 * terminal shows "acknowledged by Ada at 14:02" once the acknowledgement synced
 * (core/alerts/acknowledge.ts):
 *
 * - alerts.acknowledged_by: the operator the acknowledging command's envelope names (null when a
 *   terminal without operators acknowledged it).
 * - alerts.acknowledged_hlc: that command's HLC. Two terminals that acknowledge one alert offline
 *   are told apart by it: the earliest acknowledgement stands, whatever order the server receives
 *   them in.
 *
 * The before-image triggers name every column of the table (0015): they are made again so a
 * pending acknowledgement is undone with its two new columns by a pull's rebase.
 */
export const alertAcknowledgements: Migration = {
  version: 16,
  name: 'alert_acknowledgements',
  up(db) {
    db.exec(`
      ALTER TABLE alerts ADD COLUMN acknowledged_by TEXT;
      ALTER TABLE alerts ADD COLUMN acknowledged_hlc TEXT;
    `);
    createBeforeImageTriggers(db);
  },
};
