import { createHash } from 'node:crypto';

/**
 * The consistency check's digest of a table (DESIGN.md section 6): how many rows, and the sum of a
 * hash of each, so a terminal and the server compare a table without either sending its rows.
 *
 * The server computes it in the database (server/sync/consistency.ts), the terminal in JavaScript
 * over the rows it holds, and both must get the same number for the same rows:
 *
 * - A row is hashed as the text PostgreSQL's `json_build_array(...)::text` writes for its values in
 *   the order of the server's columns: `[1, "a", null]` (a space after each comma). The synced
 *   columns are text and integers on both stores (no floats, booleans or dates, whose text would
 *   differ), and `JSON.stringify` escapes a string as PostgreSQL's JSON does (`"`, `\`, \b \f \n \r
 *   \t, other control characters as \u00xx, everything else as it is).
 * - Its hash is the first 15 hex digits of the text's MD5 (a 60-bit number: md5() is built into
 *   PostgreSQL and PGlite alike), and the digest is their sum, written in decimal: a sum does not
 *   depend on the rows' order, which text keys would not give alike (PostgreSQL sorts text by its
 *   collation, SQLite by bytes).
 *
 * A digest is for finding a table that differs, not for security: MD5 is what both stores have.
 */

export type DigestValue = string | number | bigint | null;

/** A row's text as PostgreSQL's json_build_array writes it (values text, integers or null). */
export function rowText(values: readonly DigestValue[]): string {
  return `[${values.map(valueText).join(', ')}]`;
}

function valueText(value: DigestValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  if (!Number.isSafeInteger(value)) throw new Error(`A synced value is text or a whole number, got ${value}`);
  return String(value);
}

/** The hash of one row: the first 15 hex digits of the MD5 of its text. */
export function rowHash(values: readonly DigestValue[]): bigint {
  return BigInt(`0x${createHash('md5').update(rowText(values)).digest('hex').slice(0, 15)}`);
}

/** Rows added one at a time; `digest` is what the server answers for the same rows. */
export class TableDigest {
  rows = 0;
  #sum = 0n;

  add(values: readonly DigestValue[]): void {
    this.rows += 1;
    this.#sum += rowHash(values);
  }

  get digest(): string {
    return this.#sum.toString();
  }
}

/**
 * The SQL (PostgreSQL and PGlite) of one row's hash, given the SQL of its json_build_array text:
 * the first 15 hex digits of its MD5 as a bigint. The digest is `sum()` of it as text (`sum` of
 * bigint is numeric: no overflow), and '0' for no rows.
 */
export const rowHashSql = (rowTextSql: string) => `('x' || substr(md5(${rowTextSql}), 1, 15))::bit(60)::bigint`;
