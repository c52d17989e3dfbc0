import { v7 as uuidv7 } from 'uuid';

/**
 * UUIDv7: created offline on any terminal, unique, and sortable by creation time.
 *
 * Random bytes come from a pool refilled 256 ids at a time, because crypto.getRandomValues per id
 * (what uuid does by default) cost more than the rest of an imported row. Milliseconds and the
 * sequence counter are kept here exactly as uuid keeps them internally, so ids stay monotonic
 * within the process.
 */
const pool = new Uint8Array(16 * 256);
let poolOffset = pool.length;
let lastMsecs = -Infinity;
let sequence = 0;

export function newId(): string {
  if (poolOffset === pool.length) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const random = pool.subarray(poolOffset, (poolOffset += 16));
  const now = Date.now();
  if (now > lastMsecs) {
    sequence = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
    lastMsecs = now;
  } else {
    sequence = (sequence + 1) | 0;
    if (sequence === 0) lastMsecs++;
  }
  return uuidv7({ random, msecs: lastMsecs, seq: sequence });
}
