import type { Store } from '../../db/store.ts';

/**
 * The runner's half of the pending commands' before-images (db/migrations/0015_before_images.ts):
 * while a syncing command runs, command_capture holds its seq and the synced tables' triggers copy
 * the first image of each row it writes into before_images. Two prepared statements per command,
 * both inside the command's transaction: a rollback takes the images with the effects.
 */

const startCapture = 'INSERT INTO command_capture (id, seq) VALUES (1, ?)';
const stopCapture = 'DELETE FROM command_capture';

/** Runs `work` with the rows it writes in synced tables imaged under `seq`. */
export function capturingBeforeImages<R>(store: Store, seq: number, work: () => R): R {
  store.statement(startCapture).run(seq);
  const result = work();
  store.statement(stopCapture).run();
  return result;
}
