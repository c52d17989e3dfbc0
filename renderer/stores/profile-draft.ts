import type { CardProfile, UpdateCustomerInput, VerificationStatus } from '../api/operations.ts';

/** Seed 000's profile fields, in its order, with the input type the form uses. */
export const profileFields = [
  { key: 'email', label: 'Email', type: 'email' },
  { key: 'firstName', label: 'First name', type: 'text' },
  { key: 'lastName', label: 'Last name', type: 'text' },
  { key: 'phone', label: 'Phone', type: 'tel' },
  { key: 'postcode', label: 'Postcode', type: 'text' },
  { key: 'address', label: 'Address', type: 'text' },
  { key: 'city', label: 'City', type: 'text' },
  { key: 'country', label: 'Country', type: 'text' },
  { key: 'gender', label: 'Gender', type: 'select' },
] as const;

export type ProfileFieldKey = (typeof profileFields)[number]['key'];
export type ProfileDraft = Record<ProfileFieldKey, string> & { verificationStatus: VerificationStatus };

/** Every input path the Edit form shows, so an error naming none of them is shown at the top. */
export const profileFormFields: readonly string[] = [...profileFields.map((field) => field.key), 'verificationStatus'];

export function draftOf(profile: CardProfile): ProfileDraft {
  const draft = { verificationStatus: profile.verificationStatus } as ProfileDraft;
  for (const field of profileFields) draft[field.key] = profile[field.key] ?? '';
  return draft;
}

/**
 * Only what the user changed is sent (customers.update leaves the rest alone), so saving a form
 * never overwrites a field another terminal changed meanwhile. An emptied field is sent as '' (clear).
 */
export function profileChanges(profile: CardProfile, draft: ProfileDraft): Omit<UpdateCustomerInput, 'customerId'> {
  const changes: Omit<UpdateCustomerInput, 'customerId'> = {};
  for (const field of profileFields) {
    if (draft[field.key].trim() !== (profile[field.key] ?? '')) changes[field.key] = draft[field.key];
  }
  if (draft.verificationStatus !== profile.verificationStatus) changes.verificationStatus = draft.verificationStatus;
  return changes;
}

/**
 * What removing the primary e-mail means, said before saving (issue 8: it used to save without a
 * word); null when the change removes no e-mail. Seed 000 allows anonymous customers, so it is
 * allowed once staff confirm.
 */
export function emailRemovalWarning(profile: CardProfile, changes: Omit<UpdateCustomerInput, 'customerId'>): string | null {
  if (profile.email === null || changes.email === undefined || (changes.email ?? '').trim() !== '') return null;
  const named = (changes.firstName ?? profile.firstName ?? '').trim() !== '' || (changes.lastName ?? profile.lastName ?? '').trim() !== '';
  const consequence = named
    ? 'The customer can no longer be found by that e-mail address, and e-mails and receipts cannot be sent.'
    : 'The customer has no name either, so the card becomes an anonymous customer that can only be found by ticket or tag.';
  return `Remove the e-mail ${profile.email}? ${consequence}`;
}
