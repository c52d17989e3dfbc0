import { describe, expect, it } from 'vitest';
import type { SnapshotRequest } from '../../sync/protocol.ts';
import type { Device } from '../devices/enrolment.ts';
import type { EncodedSnapshotPage } from './snapshot.ts';
import { SnapshotReadAhead } from './snapshot-read-ahead.ts';

/**
 * The server reads the page a first load will ask for next while the terminal loads the one it
 * got: the request then finds it read. These tests use a table of 4 pages and count the reads.
 */

const device = (id: string) => ({ id }) as Device;

/** Pages 0 to 3 of one table at version 7: page n starts after key n. */
function pagedTable() {
  const reads: string[] = [];
  let failNext = 0;
  const read = async (reader: Device, request: SnapshotRequest): Promise<EncodedSnapshotPage> => {
    const at = Number(request.after ?? 0);
    reads.push(`${reader.id}:${at}`);
    if (failNext > 0) {
      failNext -= 1;
      throw new Error('the database went away');
    }
    const next = at < 3 ? { table: 'tickets', after: String(at + 1) } : null;
    return { version: 7, next, rows: 1, json: (serverTime) => JSON.stringify({ at, serverTime }) };
  };
  return { read, reads, failOnce: () => (failNext = 1) };
}

const request = (after: number | null): SnapshotRequest => ({ scope: 'e1', version: 7, table: 'tickets', ...(after === null ? {} : { after: String(after) }) });

describe('reading a snapshot page ahead', () => {
  it('reads each page once: the request for the next page takes the page read ahead', async () => {
    const table = pagedTable();
    const ahead = new SnapshotReadAhead(table.read);
    const texts: string[] = [];
    for (const after of [null, 1, 2, 3]) texts.push((await ahead.page(device('d1'), request(after))).json('T'));
    expect(texts).toEqual([0, 1, 2, 3].map((at) => JSON.stringify({ at, serverTime: 'T' })));
    expect(table.reads).toEqual(['d1:0', 'd1:1', 'd1:2', 'd1:3']);
    // The last page names no next: nothing is kept.
    expect(ahead.size).toBe(0);
  });

  it('keeps one page per device, not another device’s, and none past its time', async () => {
    const table = pagedTable();
    let now = 0;
    const ahead = new SnapshotReadAhead(table.read, { keepMs: 1000, now: () => now });
    await ahead.page(device('d1'), request(null));
    // Another device asking for d1's next page reads it itself (its role may show other columns).
    await ahead.page(device('d2'), request(1));
    expect(table.reads).toEqual(['d1:0', 'd1:1', 'd2:1', 'd2:2']);
    // d1 starts again from the start: the page it left unasked for goes.
    await ahead.page(device('d1'), request(null));
    expect(ahead.size).toBe(2);
    now = 1001;
    await ahead.page(device('d1'), request(1));
    expect(table.reads.slice(4)).toEqual(['d1:0', 'd1:1', 'd1:1', 'd1:2']);
  });

  it('reads a page again when its read ahead failed, and bounds the pages kept', async () => {
    const table = pagedTable();
    const ahead = new SnapshotReadAhead(table.read, { pages: 2 });
    await ahead.page(device('d1'), request(null));
    table.failOnce();
    await ahead.page(device('d1'), request(1));
    // The read ahead of page 2 failed: the request reads it again and gets it.
    expect(JSON.parse((await ahead.page(device('d1'), request(2))).json('T'))).toEqual({ at: 2, serverTime: 'T' });
    expect(table.reads).toEqual(['d1:0', 'd1:1', 'd1:2', 'd1:2', 'd1:3']);
    for (const id of ['d2', 'd3', 'd4']) await ahead.page(device(id), request(null));
    expect(ahead.size).toBe(2);
  });
});
