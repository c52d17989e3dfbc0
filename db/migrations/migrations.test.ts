import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../connection.ts';
import { currentVersion, latestVersion, migrateToLatest, migrations } from './index.ts';

function tableNames(db: Database.Database): string[] {
  return db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .map((row) => row.name);
}

function rowCounts(db: Database.Database): Record<string, number> {
  return Object.fromEntries(
    tableNames(db).map((name) => [name, (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]),
  );
}

describe('migrations', () => {
  it('are numbered 1..n in the order of the index', () => {
    expect(migrations.map((migration) => migration.version)).toEqual(migrations.map((_, index) => index + 1));
  });

  it('bring an empty database to the latest version, with foreign keys intact', () => {
    const db = openDatabase(':memory:');
    expect(currentVersion(db)).toBe(latestVersion);
    expect(tableNames(db)).toEqual(
      expect.arrayContaining(['events', 'customers', 'tickets', 'tags', 'scans', 'orders', 'ledger_entries', 'audit_log', 'outbox']),
    );
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
  });

  it('is idempotent: opening an up-to-date database changes nothing', () => {
    const db = openDatabase(':memory:');
    const before = db.prepare("SELECT sql FROM sqlite_schema ORDER BY name").all();
    expect(migrateToLatest(db)).toBe(latestVersion);
    expect(db.prepare("SELECT sql FROM sqlite_schema ORDER BY name").all()).toEqual(before);
  });

  for (const migration of migrations) {
    it(`${migration.version} (${migration.name}) applies on top of version ${migration.version - 1} and keeps its rows`, () => {
      const db = openDatabase(':memory:', { migrate: false });
      migrateToLatest(db, migration.version - 1);
      const before = rowCounts(db);
      migrateToLatest(db, migration.version);
      expect(currentVersion(db)).toBe(migration.version);
      const after = rowCounts(db);
      for (const [table, count] of Object.entries(before)) expect(after[table]).toBe(count);
    });
  }

  it('refuses a data folder written by a newer build', () => {
    const db = openDatabase(':memory:');
    db.pragma(`user_version = ${latestVersion + 1}`);
    expect(() => migrateToLatest(db)).toThrow(/newer Box Office/);
  });
});
