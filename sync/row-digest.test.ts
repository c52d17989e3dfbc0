import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshServerDatabase, serverStoreKinds, type TestServerDatabase } from '../test/fixtures/server-database.ts';
import { rowHashSql, rowText, TableDigest, type DigestValue } from './row-digest.ts';

/**
 * The digest the terminal computes in JavaScript equals the one each server store computes in SQL,
 * for the values synced tables hold: text (quotes, backslashes, control characters, accents, emoji,
 * other scripts), whole numbers up to a server version's size, and nulls.
 */
const rows: DigestValue[][] = [
  ['t-1', 'HD-1003', 0, null],
  ['t-2', 'Zoë "the" \\ O’Brien', 12, '2026-07-11T10:00:00.000Z'],
  ['t-3', 'line\nbreak\ttab\r\bback\fform', -7, 'ünïcödé 日本語 🎟️'],
  ['t-4', '\u0001\u001f\u007f control', 9007199254740991, ''],
  ['t-5', '', 1, null],
];

describe.each(serverStoreKinds)('row digests on %s', (kind) => {
  let server: TestServerDatabase;
  beforeAll(async () => {
    server = await freshServerDatabase(kind);
  });
  afterAll(() => server.drop());

  it('writes each row as json_build_array does, and sums the same hashes', async () => {
    const values = rows.map(
      (row) => sql`SELECT ${sql.val(row[0])}::text AS a, ${sql.val(row[1])}::text AS b, ${sql.val(String(row[2]))}::bigint AS c, ${sql.val(row[3])}::text AS d`,
    );
    const table = sql.join(values, sql` UNION ALL `);
    const rowTextSql = 'json_build_array(a, b, c, d)::text';
    const { rows: texts } = await sql<{ text: string }>`SELECT ${sql.raw(rowTextSql)} AS text FROM (${table}) r ORDER BY a`.execute(server.db);
    expect(texts.map((row) => row.text)).toEqual(rows.map(rowText));

    const { rows: sums } = await sql<{ rows: string; digest: string }>`SELECT count(*)::text AS rows, coalesce(sum(${sql.raw(rowHashSql(rowTextSql))}), 0)::text AS digest FROM (${table}) r`.execute(server.db);
    const digest = new TableDigest();
    for (const row of rows) digest.add(row);
    expect(sums[0]).toEqual({ rows: String(rows.length), digest: digest.digest });
  });
});

describe('rowText', () => {
  it('refuses a value no synced column holds', () => {
    expect(() => rowText([1.5])).toThrow(/text or a whole number, got 1.5/);
  });
});
