/**
 * The choices offered for a customer's gender (seed 000 lists the field without values; these are
 * the usual ones, spelled as the store already holds them: `female`, `male`, `non-binary`). No
 * value (null) is "Not specified". Pure data: the contract validates with it, the card's form
 * offers it, the CSV and CLI name it.
 */
export const genders = ['female', 'male', 'non-binary', 'other', 'prefer-not-to-say'] as const;
export type Gender = (typeof genders)[number];

export const genderLabels: Readonly<Record<Gender, string>> = {
  female: 'Female',
  male: 'Male',
  'non-binary': 'Non-binary',
  other: 'Other',
  'prefer-not-to-say': 'Prefers not to say',
};

export const genderNotSpecified = 'Not specified';

export function isGender(value: string): value is Gender {
  return (genders as readonly string[]).includes(value);
}

/** A stored value as staff read it: the choice's label, or an older free-text value as it was typed. */
export function genderLabel(value: string | null): string {
  if (value === null || value === '') return genderNotSpecified;
  return isGender(value) ? genderLabels[value] : value;
}

/** Typed text as a choice's value when it names one (`Female`, `female`, `F`, `Prefers not to say`); else the text, for the schema to refuse. */
export function genderFromText(text: string): string {
  const key = text.trim().toLowerCase().replace(/[\s_]+/g, '-');
  const byLabel = genders.find((gender) => genderLabels[gender].toLowerCase().replace(/\s+/g, '-') === key);
  return byLabel ?? ({ f: 'female', m: 'male' } as Record<string, string>)[key] ?? key;
}
