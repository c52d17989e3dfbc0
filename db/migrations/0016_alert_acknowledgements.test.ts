import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.ts';
import { alertAcknowledgements } from './0016_alert_acknowledgements.ts';
import { migrateToLatest } from './index.ts';

const at = '2026-05-01T09:00:00.000Z';

describe('migration 0016 (who acknowledged an alert, and its HLC)', () => {
  it('keeps the alerts it held, acknowledged or not, with no one named; a pending command’s before-image holds the new columns', () => {
    const db = openDatabase(':memory:', { migrate: false });
    migrateToLatest(db, alertAcknowledgements.version - 1);
    db.exec(`
      INSERT INTO events (id, name, time_zone, currency, created_at, updated_at) VALUES ('ev-1', 'Spring Fair', 'Europe/Amsterdam', 'EUR', '${at}', '${at}');
      INSERT INTO alerts (id, event_id, kind, message, device_id, created_at) VALUES ('al-1', 'ev-1', 'double_admission', 'Admitted twice', 'd', '${at}');
      INSERT INTO alerts (id, event_id, kind, message, device_id, created_at, acknowledged_at) VALUES ('al-2', 'ev-1', 'tag_replaced', 'Replaced', 'd', '${at}', '${at}');
    `);
    migrateToLatest(db, alertAcknowledgements.version);
    expect(db.prepare('SELECT id, acknowledged_at, acknowledged_by, acknowledged_hlc FROM alerts ORDER BY id').all()).toEqual([
      { id: 'al-1', acknowledged_at: null, acknowledged_by: null, acknowledged_hlc: null },
      { id: 'al-2', acknowledged_at: at, acknowledged_by: null, acknowledged_hlc: null },
    ]);

    db.exec(`
      INSERT INTO command_capture (id, seq) VALUES (1, 1);
      UPDATE alerts SET acknowledged_at = '${at}', acknowledged_by = 'Ada', acknowledged_hlc = 'h1' WHERE id = 'al-1';
      DELETE FROM command_capture;
    `);
    const { image } = db.prepare("SELECT image FROM before_images WHERE table_name = 'alerts'").get() as { image: string };
    expect(JSON.parse(image)).toMatchObject({ id: 'al-1', acknowledged_at: null, acknowledged_by: null, acknowledged_hlc: null });
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
  });
});
