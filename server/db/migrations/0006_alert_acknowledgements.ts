import type { PostgresMigration } from './index.ts';

/**
 * The terminal's migration 0016 on the server (the same columns, so one body writes both stores):
 * who acknowledged a conflict alert, and the HLC of that acknowledgement, by which the earliest of
 * two acknowledgements made offline stands (core/alerts/acknowledge.ts). The alert's row is stamped
 * with its event's version on update like on insert (0003's trigger), so the acknowledgement
 * reaches every terminal by pull.
 */
export const alertAcknowledgements: PostgresMigration = {
  version: 6,
  name: 'alert_acknowledgements',
  sql: `
    ALTER TABLE alerts ADD COLUMN acknowledged_by text;
    ALTER TABLE alerts ADD COLUMN acknowledged_hlc text;
  `,
};
