import type { Migration } from './index.ts';

/**
 * Order lines and an order's status history sync like every other row (DESIGN.md section 4): they
 * carry the `server_version` the server stamped them with, null until the server has them. Their
 * rows are only ever inserted (an order's timeline grows), so nothing else changes.
 */
export const orderLinesServerVersion: Migration = {
  version: 11,
  name: 'order_lines_server_version',
  up(db) {
    db.exec(`
      ALTER TABLE order_items ADD COLUMN server_version INTEGER;
      ALTER TABLE order_status_history ADD COLUMN server_version INTEGER;
    `);
  },
};
