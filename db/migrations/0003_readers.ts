import type { Migration } from './index.ts';

/**
 * The readers configured at this terminal (DESIGN.md section 8): which driver, which device (a
 * path, or a USB VID:PID found again after a replug) and the driver's options as JSON. Local to the
 * terminal: no server_version, because the devices plugged into one PC mean nothing elsewhere.
 */
export const readers: Migration = {
  version: 3,
  name: 'readers',
  up(db) {
    db.exec(`
      CREATE TABLE readers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        driver TEXT NOT NULL CHECK (driver IN ('pn532', 'serial-barcode', 'hid-pos', 'simulated')),
        path TEXT,
        vendor_id INTEGER CHECK (vendor_id BETWEEN 0 AND 65535),
        product_id INTEGER CHECK (product_id BETWEEN 0 AND 65535),
        options TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX readers_name ON readers (name COLLATE NOCASE);
    `);
  },
};
