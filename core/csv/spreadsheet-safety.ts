/**
 * CSV injection (OWASP): a spreadsheet runs a cell starting with `=`, `+`, `-` or `@` as a formula,
 * and tab or CR can hide such a start. Text that came from users (names, notes, references...) gets
 * a leading `'`, which spreadsheets show as plain text. Numbers we format ourselves (amounts,
 * negative balances) never pass through here, so they stay numbers.
 */
const formulaStarts = new Set(['=', '+', '-', '@', '\t', '\r']);

export function userText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return formulaStarts.has(value.charAt(0)) ? `'${value}` : value;
}
