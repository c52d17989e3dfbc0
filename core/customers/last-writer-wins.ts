import { z } from 'zod';
import { compareHlc, parseHlc } from '../terminal/hlc.ts';

/**
 * Last writer wins, per field, by HLC (DESIGN.md section 6: "same profile field edited on two
 * terminals"). Each field of a customer carries the HLC of the command that last wrote it
 * (customers.field_hlcs, `{column: hlc}`); an edit applies to a field unless the field's stamp is
 * newer than the edit's HLC, so two edits end the same way whichever reaches the server first.
 * Rows with one stamp (an alternative e-mail, a label on a customer) follow the same comparison.
 * Pure: the command bodies call it on the terminal, on the server and in a rebase alike.
 */

/** Column name → HLC text of the command that last wrote it. */
export type FieldStamps = Readonly<Record<string, string>>;

const fieldStampsSchema = z.record(z.string(), z.string());

/**
 * The stamps a row holds. Text that is not a JSON object of strings counts as no stamps: the
 * fields then take any edit, which is how rows written before stamps existed behave too.
 */
export function parseFieldStamps(text: string | null): FieldStamps {
  if (text === null || text === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {};
  }
  const parsed = fieldStampsSchema.safeParse(json);
  return parsed.success ? parsed.data : {};
}

/** The stamps as stored: keys in code-point order, so every store writes the same text. */
export function formatFieldStamps(stamps: FieldStamps): string {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(stamps).sort()) sorted[key] = stamps[key]!;
  return JSON.stringify(sorted);
}

function deviceOf(hlc: string): string {
  return hlc.split(':').slice(2).join(':');
}

/**
 * Orders two HLC texts: by wall time and counter (core/terminal/hlc.ts), then by device id, the
 * tie-break of the text form. Text that is no HLC sorts before every HLC: a malformed stamp never
 * wins over a real one.
 */
export function compareStamps(a: string, b: string): number {
  const left = parseHlc(a);
  const right = parseHlc(b);
  if (!left || !right) return left ? 1 : right ? -1 : 0;
  const byClock = compareHlc(left, right);
  if (byClock !== 0) return byClock;
  const [deviceA, deviceB] = [deviceOf(a), deviceOf(b)];
  return deviceA < deviceB ? -1 : deviceA > deviceB ? 1 : 0;
}

/**
 * Whether a write stamped `hlc` loses to what the row holds (stamped `stamp`): only a newer stamp
 * wins over it. No stamp, an older one or the same one (the command run again) lets it apply.
 */
export function isOverwritten(stamp: string | null | undefined, hlc: string): boolean {
  return stamp !== null && stamp !== undefined && compareStamps(stamp, hlc) > 0;
}

export interface FieldWrites<F extends string> {
  /** The fields the edit writes: no newer write holds them. */
  applied: F[];
  /** The fields a newer write holds: the edit leaves them alone. */
  overwritten: F[];
}

/** Splits the fields an edit stamped `hlc` changes into those it writes and those a newer write keeps. */
export function decideFieldWrites<F extends string>(stamps: FieldStamps, hlc: string, fields: readonly F[]): FieldWrites<F> {
  const writes: FieldWrites<F> = { applied: [], overwritten: [] };
  for (const field of fields) (isOverwritten(stamps[field], hlc) ? writes.overwritten : writes.applied).push(field);
  return writes;
}

/** The stamps after an edit stamped `hlc` wrote `fields`. */
export function stampFields(stamps: FieldStamps, hlc: string, fields: readonly string[]): FieldStamps {
  const next: Record<string, string> = { ...stamps };
  for (const field of fields) next[field] = hlc;
  return next;
}

export interface StampedEdit<F extends string> extends FieldWrites<F> {
  /** The row's `field_hlcs` after the edit: the written fields stamped with its HLC. */
  fieldHlcs: string;
}

/** An edit stamped `hlc` of `fields` of a row whose stamps are `fieldHlcs` (its text as stored). */
export function decideStampedEdit<F extends string>(fieldHlcs: string | null, hlc: string, fields: readonly F[]): StampedEdit<F> {
  const stamps = parseFieldStamps(fieldHlcs);
  const writes = decideFieldWrites(stamps, hlc, fields);
  return { ...writes, fieldHlcs: formatFieldStamps(stampFields(stamps, hlc, writes.applied)) };
}
