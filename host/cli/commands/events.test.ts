import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/connection.ts';
import { Store } from '../../../db/store.ts';
import { insertEvent } from '../../../test/fixtures/store.ts';
import { runCli as run } from '../../../test/fixtures/cli.ts';
import { storeFile } from '../../data-dir.ts';

describe('box-office events list and choose', () => {
  it('lists the events, chooses one by name or id for the commands that name none, and refuses an unknown one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'box-office-events-'));
    const store = new Store(openDatabase(storeFile(dataDir)));
    const spring = insertEvent(store, { name: 'Spring Fair' });
    const summer = insertEvent(store, { name: 'Summer Festival' });
    store.close();

    const scan = ['checkin', 'NOPE-1', '--data-dir', dataDir];
    expect((await run(scan)).stderr).toBe('box-office: This data folder holds several events: choose one with eventId\n');

    expect(await run(['events', 'choose', 'summer festival', '--data-dir', dataDir])).toEqual({ code: 0, stdout: 'This terminal now works on Summer Festival.\n', stderr: '' });
    const listed = JSON.parse((await run(['events', 'list', '--json', '--data-dir', dataDir])).stdout) as { events: { id: string }[]; chosenEventId: string };
    expect(listed.chosenEventId).toBe(summer);
    expect(listed.events.map((event) => event.id).sort()).toEqual([spring, summer].sort());
    expect((await run(['events', 'list', '--data-dir', dataDir])).stdout).toMatch(/^\*\s+Summer Festival/m);
    expect((await run(scan)).code).toBe(0);

    expect(await run(['events', 'choose', spring, '--data-dir', dataDir])).toMatchObject({ code: 0, stdout: 'This terminal now works on Spring Fair.\n' });
    expect(await run(['events', 'choose', 'Winter', '--data-dir', dataDir])).toEqual({ code: 1, stdout: '', stderr: 'box-office: No event is named Winter (box-office events list shows them)\n' });
  });
});
