import { rmSync } from 'node:fs';
import { demoDataKey } from '../../core/events/data-folder.ts';
import { storeFile } from '../data-dir.ts';
import { createHost } from '../host.ts';
import { firstDayAroundToday } from './festival.ts';
import { seedSyntheticEvent } from './synthetic-event.ts';

/** The demo `npm start` shows: big enough to scroll and search, small enough to seed in a second. */
export const demoSize = { customers: 2000, tickets: 3000, tags: 1500, seed: 1 } as const;

export type DemoFolderState = 'seeded' | 'replaced' | 'current' | 'not-a-demo';

function readDemoState(dataDir: string): { firstDay: string | undefined; empty: boolean } {
  const host = createHost({ dataDir });
  try {
    const firstDay = (host.store.db.prepare('SELECT value FROM terminal_state WHERE key = ?').pluck().get(demoDataKey) as string | undefined) ?? undefined;
    const events = host.store.db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    const customers = host.store.db.prepare('SELECT count(*) FROM (SELECT 1 FROM customers LIMIT 1)').pluck().get() as number;
    return { firstDay, empty: events === 0 && customers === 0 };
  } finally {
    host.close();
  }
}

function seedDemo(dataDir: string, firstDay: string): void {
  const host = createHost({ dataDir });
  try {
    seedSyntheticEvent(host.store, { ...demoSize, firstDay });
  } finally {
    host.close();
  }
}

/**
 * Makes the demo folder hold the demo festival placed around `now`: seeds an empty folder, and
 * re-seeds a demo placed on another day (its tickets would be rejected as expired or not yet
 * valid). A folder that holds anything but the demo is left as it is: only the demo's own data is
 * ever replaced.
 */
export function ensureDemoFolder(dataDir: string, now: Date): { state: DemoFolderState; firstDay: string | undefined } {
  const today = firstDayAroundToday(now);
  const { firstDay, empty } = readDemoState(dataDir);
  if (empty) {
    seedDemo(dataDir, today);
    return { state: 'seeded', firstDay: today };
  }
  if (firstDay === undefined) return { state: 'not-a-demo', firstDay };
  if (firstDay === today) return { state: 'current', firstDay };
  const store = storeFile(dataDir);
  for (const file of [store, `${store}-wal`, `${store}-shm`]) rmSync(file, { force: true });
  seedDemo(dataDir, today);
  return { state: 'replaced', firstDay: today };
}
