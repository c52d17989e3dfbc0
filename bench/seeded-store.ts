import { closeSync, constants, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../db/connection.ts';
import { latestVersion } from '../db/migrations/index.ts';
import { Store } from '../db/store.ts';
import { festival } from '../host/seed/festival.ts';
import { seedSyntheticEvent, syntheticEventVersion, type SyntheticEventOptions } from '../host/seed/synthetic-event.ts';
import { progress } from './timing.ts';

export interface SeededStore {
  file: string;
  cached: boolean;
  seedSeconds: number | null;
}

/**
 * The seeded store for these parameters, built once under outputDir and reused by every benchmark
 * (the name is the same as customers.bench.ts gives it, so both share one file). The name carries
 * the schema and generator versions, so a change to either builds a new one.
 */
export function seededStoreFile(dataset: SyntheticEventOptions, outputDir: string): SeededStore {
  mkdirSync(outputDir, { recursive: true });
  // The benchmarks' clocks are set on the festival's reference days, so they seed it there too.
  const firstDay = dataset.firstDay ?? festival.referenceFirstDay;
  const name = `customers-c${dataset.customers}-t${dataset.tickets}-g${dataset.tags}-s${dataset.seed}-d${firstDay}-schema${latestVersion}-gen${syntheticEventVersion}.sqlite`;
  const file = join(outputDir, name);
  if (existsSync(file)) return { file, cached: true, seedSeconds: null };
  const partial = `${file}.partial-${process.pid}`;
  const store = new Store(openDatabase(partial));
  progress(`seeding ${dataset.customers} customers, ${dataset.tickets} tickets, ${dataset.tags} tags into ${partial}`);
  const started = performance.now();
  seedSyntheticEvent(store, { ...dataset, firstDay }, (step) => {
    if (step.phase !== 'customers' || step.done % 50_000 === 0 || step.done === step.total) progress(`seed: ${step.phase} ${step.done}/${step.total}`);
  });
  const seedSeconds = (performance.now() - started) / 1000;
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  renameSync(partial, file);
  return { file, cached: false, seedSeconds: Math.round(seedSeconds * 10) / 10 };
}

/**
 * Copies the cached store for a benchmark to write into, and waits until the copy is on disk:
 * otherwise the kernel writes the 2 GB back while the benchmark runs, and the timed writes
 * (imports, scans) compete with it for the disk.
 */
export function copySeededStore(from: string, to: string): void {
  copyFileSync(from, to, constants.COPYFILE_FICLONE);
  const descriptor = openSync(to, 'r+');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}
