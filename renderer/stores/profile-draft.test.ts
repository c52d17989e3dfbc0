import { describe, expect, it } from 'vitest';
import type { CardProfile } from '../api/operations.ts';
import { cardFixture } from '../test-support/fake-host.ts';
import { draftOf, emailRemovalWarning, profileChanges } from './profile-draft.ts';

// A customer whose gender was typed as free text before the choices existed.
const profile: CardProfile = { ...cardFixture().profile, gender: 'banana' };

describe('the Edit form', () => {
  it('warns before the primary e-mail is removed, saying what it means', () => {
    const cleared = profileChanges(profile, { ...draftOf(profile), email: '' });
    expect(cleared).toEqual({ email: '' });
    expect(emailRemovalWarning(profile, cleared)).toBe(
      'Remove the e-mail anna@example.com? The customer can no longer be found by that e-mail address, and e-mails and receipts cannot be sent.',
    );
    const nameless = profileChanges(profile, { ...draftOf(profile), email: ' ', firstName: '', lastName: '' });
    expect(emailRemovalWarning(profile, nameless)).toMatch(/becomes an anonymous customer/);
  });

  it('does not warn when the e-mail is changed, kept, or there was none', () => {
    expect(emailRemovalWarning(profile, { email: 'new@example.com' })).toBeNull();
    expect(emailRemovalWarning(profile, { city: 'Delft' })).toBeNull();
    expect(emailRemovalWarning({ ...profile, email: null }, { email: '' })).toBeNull();
  });

  it('leaves an older free-text gender alone when other fields are saved', () => {
    expect(profileChanges(profile, { ...draftOf(profile), city: 'Delft' })).toEqual({ city: 'Delft' });
  });
});
