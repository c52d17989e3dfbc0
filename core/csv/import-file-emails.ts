import { importFieldLabels } from './header-mapping.ts';
import { profileColumns } from './import-plan.ts';
import type { ImportRow } from './import-row.ts';

/** Profile fields two rows of one person agree on; the e-mail itself is the key. */
const comparedFields = profileColumns.map(([field]) => field).filter((field) => field !== 'email');

type ComparedField = (typeof comparedFields)[number];

export type RepeatedEmail =
  | { kind: 'first' }
  /** Same person again (e.g. one row per ticket): imported into the same customer, and flagged. */
  | { kind: 'repeat'; message: string }
  /** Another person with the same address: rejected, or their name would overwrite the first's. */
  | { kind: 'conflict'; reason: string };

/**
 * E-mail addresses already met in this file (issue 8: a duplicate e-mail within one file was not
 * flagged). Rows share a customer by e-mail, so a later row with the same address either adds to
 * that customer (a second ticket: imported, with a warning naming the first row) or, when it says
 * something else about the person (another first name), is rejected with the first row's number.
 */
export class FileEmails {
  private readonly seen = new Map<string, { row: number; profile: Partial<Record<ComparedField, string>> }>();

  check(row: ImportRow): RepeatedEmail {
    if (row.email === null) return { kind: 'first' };
    const first = this.seen.get(row.email);
    if (!first) {
      const profile: Partial<Record<ComparedField, string>> = {};
      for (const field of comparedFields) if (row[field] !== null) profile[field] = row[field];
      this.seen.set(row.email, { row: row.row, profile });
      return { kind: 'first' };
    }
    const differing = comparedFields.filter((field) => {
      const earlier = first.profile[field];
      const value = row[field];
      return earlier !== undefined && value !== null && earlier.toLowerCase() !== value.toLowerCase();
    });
    if (differing.length > 0) {
      const field = differing[0]!;
      const label = importFieldLabels[field].toLowerCase();
      return {
        kind: 'conflict',
        reason: `email: ${row.email} is also on row ${first.row}, with another ${label} ("${first.profile[field]}" there, "${row[field]}" here); one address cannot hold two people, so this row was not imported`,
      };
    }
    for (const field of comparedFields) if (row[field] !== null) first.profile[field] ??= row[field];
    return { kind: 'repeat', message: `The email ${row.email} is also on row ${first.row}: this row was added to the same customer` };
  }
}
