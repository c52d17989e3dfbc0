import { describe, expect, it } from 'vitest';
import { sql } from '../../db/store.ts';
import { createTestCore, insertEvent, snapshot } from '../../test/fixtures/store.ts';
import { invokeOk } from '../../test/fixtures/customer-reads.ts';
import { demoDataKey } from './data-folder.ts';

describe('events.dataFolder', () => {
  it('reports an empty folder as a first run, and no longer once an event exists', async () => {
    const { store, core } = createTestCore();
    const before = snapshot(store);
    expect(await invokeOk(core, 'events.dataFolder', {})).toEqual({ demo: false, empty: true, events: 0 });
    expect(snapshot(store)).toEqual(before);
    insertEvent(store, { name: 'Summer Festival' });
    expect(await invokeOk(core, 'events.dataFolder', {})).toEqual({ demo: false, empty: false, events: 1 });
  });

  it('hands out no codes for the simulated reader outside the demo', async () => {
    const { store, core } = createTestCore();
    insertEvent(store, { name: 'Summer Festival' });
    expect(await invokeOk(core, 'events.demoCodes', {})).toEqual({ codes: [] });
  });

  it('reports the demo festival by the mark its seed leaves in the store', async () => {
    const { store, core } = createTestCore();
    insertEvent(store, { name: 'Zomerlicht Festival 2026' });
    store.run(sql.insertInto('terminal_state').values({ key: demoDataKey, value: '2026-12-05' }));
    expect(await invokeOk(core, 'events.dataFolder', {})).toEqual({ demo: true, empty: false, events: 1 });
  });
});
