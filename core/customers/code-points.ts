/**
 * SQLite compares text as UTF-8 bytes, which is code-point order; JavaScript's `<` compares UTF-16
 * units, which differs only where a surrogate pair (a code point above U+FFFF) meets U+E000-U+FFFF.
 * PostgreSQL's order depends on its collation. So what a command body reports in order (an audit
 * entry's list) is sorted here, alike on every store.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return Math.sign(a.length - b.length);
}
