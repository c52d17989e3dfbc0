import type { CommandTx } from '../commands/tx.ts';
import { describeCustomer, type CustomerRow } from './existing-customer.ts';
import { isOverwritten } from './last-writer-wins.ts';

/**
 * What staff read when a profile edit lost fields to a later one (last-writer-wins.ts): the
 * receipt's `field_overwritten` conflict, naming the fields. The audit entry of the edit keeps what
 * it tried under `notApplied`, so the card's history shows both edits.
 */

const fieldWords: Readonly<Record<string, string>> = {
  email: 'e-mail',
  description: 'internal note',
  webUser: 'web user',
};

/** `firstName` → "first name", as staff read a field's name in a message. */
export function fieldInWords(field: string): string {
  return fieldWords[field] ?? field.replace(/([a-z\d])([A-Z])/g, '$1 $2').toLowerCase();
}

function listInWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** Reports the fields (API names) a later edit keeps; nothing when there are none. */
export function reportOverwrittenFields(tx: Pick<CommandTx, 'conflict'>, customer: ReportedCustomer, fields: readonly string[]): void {
  if (fields.length === 0) return;
  const list = listInWords(fields.map(fieldInWords));
  const one = fields.length === 1;
  report(tx, customer, `The ${list} of ${describeCustomer(customer)} ${one ? 'was' : 'were'} changed later on another terminal: this edit left ${one ? 'it' : 'them'} as ${one ? 'it is' : 'they are'}`);
}

/** An add or removal of one of a customer's rows (an alternative e-mail, a label), as staff read it. */
export interface RowChange {
  /** "The label VIP". */
  what: string;
  change: 'added' | 'removed';
  /** What the audit entry keeps under `notApplied` when the change loses. */
  notApplied: Record<string, unknown>;
}

/**
 * Two terminals adding and removing one row of a customer: the later change by HLC wins, in either
 * arrival order (last-writer-wins.ts, as for a profile field). A change that loses leaves the row
 * as the later one left it, is audited under `notApplied` and reported. True when it lost.
 */
export function* rowChangeOverwritten(tx: CommandTx, customer: ReportedCustomer, row: { hlc: string | null } | undefined, change: RowChange) {
  if (!row || !isOverwritten(row.hlc, tx.envelope.hlc)) return false;
  yield* tx.audit({ entity: 'customer', entityId: customer.id, before: {}, after: { notApplied: change.notApplied } });
  const stays = change.change === 'added' ? 'removed' : 'added';
  report(tx, customer, `${change.what} of ${describeCustomer(customer)} was ${stays === 'added' ? 'added again' : 'removed'} later on another terminal: it stays ${stays}`);
  return true;
}

type ReportedCustomer = Pick<CustomerRow, 'id' | 'first_name' | 'last_name' | 'email'>;

function report(tx: Pick<CommandTx, 'conflict'>, customer: ReportedCustomer, message: string): void {
  tx.conflict({ kind: 'field_overwritten', message, entity: 'customer', entityId: customer.id });
}
