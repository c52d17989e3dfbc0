import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDatabase } from '../../db/connection.ts';
import type { Store } from '../../db/store.ts';
import { syncedTables, tableColumns } from '../../db/synced-tables.ts';
import { checkinSetup } from '../../test/fixtures/checkin.ts';
import { expectOk } from '../../test/fixtures/commands.ts';
import { insertTicket } from '../../test/fixtures/store.ts';
import { conflict } from '../errors.ts';
import { defineCommand, runCommand } from './command.ts';
import { query } from './query-builder.ts';

/**
 * The before-images a syncing command keeps (migration 0015), which a pull's rebase undoes it with:
 * the first image of each row it writes in a synced table, under its seq, and nothing else.
 */

const images = (store: Store) =>
  (store.db.prepare('SELECT seq, table_name, row_id, image FROM before_images ORDER BY id').all() as { seq: number; table_name: string; row_id: number; image: string | null }[]).map((row) => ({
    ...row,
    image: row.image === null ? null : (JSON.parse(row.image) as Record<string, unknown>),
  }));

const rowidOf = (store: Store, table: string, id: string) => (store.db.prepare(`SELECT rowid AS rowid FROM "${table}" WHERE id = ?`).get(id) as { rowid: number }).rowid;

describe('before-images of syncing commands', () => {
  it('keep, under the command’s seq, an insert as absent and an updated row as it was before the command, once per row', async () => {
    const setup = checkinSetup();
    const ticket = setup.ticket();
    const before = setup.store.db.prepare('SELECT * FROM tickets WHERE id = ?').get(ticket.id);
    const verdict = await setup.scan(ticket.reference, { at: '2026-07-11T10:00:00.000Z' });
    expect(images(setup.store)).toEqual(
      expect.arrayContaining([
        { seq: 1, table_name: 'scans', row_id: rowidOf(setup.store, 'scans', verdict.scanId), image: null },
        { seq: 1, table_name: 'tickets', row_id: rowidOf(setup.store, 'tickets', ticket.id), image: before },
      ]),
    );
    // One image per row, however often the command wrote it.
    const keys = images(setup.store).map((image) => `${image.table_name}:${image.row_id}`);
    expect(new Set(keys).size).toBe(keys.length);

    await setup.scan(ticket.reference, { direction: 'exit', at: '2026-07-11T11:00:00.000Z' });
    expect(images(setup.store).filter((image) => image.seq === 2 && image.table_name === 'tickets')).toEqual([
      { seq: 2, table_name: 'tickets', row_id: rowidOf(setup.store, 'tickets', ticket.id), image: expect.objectContaining({ entry_count: 1, inside_since: '2026-07-11T10:00:00.000Z' }) },
    ]);
  });

  it('are not kept for writes outside a syncing command: local commands, fixtures, a pull’s upserts', async () => {
    const setup = checkinSetup();
    insertTicket(setup.store, { eventId: setup.eventId, ticketTypeId: setup.types.weekend, reference: 'LOOSE-1' });
    expectOk(await setup.core.invoke('events.choose', { eventId: setup.eventId }));
    expect(images(setup.store)).toEqual([]);
    expect(setup.store.db.prepare('SELECT count(*) AS n FROM command_capture').get()).toEqual({ n: 0 });
  });

  it('go with the command when it fails: nothing of it stays', () => {
    const setup = checkinSetup();
    const failing = defineCommand({
      name: 'events.renameThenFail',
      version: 1,
      input: z.object({ eventId: z.string() }),
      *body(tx, input) {
        yield* tx.run(query.updateTable('events').set({ name: 'Renamed' }).where('id', '=', input.eventId));
        throw conflict('refused after writing', 'eventId');
      },
    });
    expect(() => runCommand(setup.core.context, failing, { eventId: setup.eventId })).toThrow(/refused after writing/);
    expect(images(setup.store)).toEqual([]);
    expect(setup.store.db.prepare('SELECT count(*) AS n FROM command_capture').get()).toEqual({ n: 0 });
  });

  it('are taken on every synced table, each trigger naming every column the table has', () => {
    const db = openDatabase(':memory:');
    const triggers = new Map((db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '%_before_image_%'").all() as { name: string; sql: string }[]).map((row) => [row.name, row.sql]));
    for (const table of syncedTables(db)) {
      for (const kind of ['insert', 'update', 'delete']) expect(triggers.has(`${table}_before_image_${kind}`), `${table} ${kind}`).toBe(true);
      for (const column of tableColumns(db, table)) expect(triggers.get(`${table}_before_image_update`), `${table}.${column.name}`).toContain(`'${column.name}', OLD."${column.name}"`);
    }
    expect(syncedTables(db)).not.toContain('before_images');
  });
});
