import { Fragment, useEffect, useRef, useState, type ReactElement, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app-context.tsx';
import type { CardProfile, CustomerCard, VerificationStatus } from '../../api/operations.ts';
import { genderLabel, genderLabels, genderNotSpecified, genders, isGender } from '../../../core/customers/genders.ts';
import { Field, InlineError } from '../../components/field.tsx';
import { formatDate } from '../../format/dates.ts';
import { verificationLabel } from '../../format/statuses.ts';
import { errorForField, errorOutsideFields } from '../../stores/action-error.ts';
import { actionKeys } from '../../stores/customer-card-store.ts';
import { draftOf, emailRemovalWarning, profileChanges, profileFields, profileFormFields, type ProfileDraft } from '../../stores/profile-draft.ts';

/**
 * An e-mail address that wraps only after the @ and at dots (never mid-word), so a long address
 * in a narrow column stays readable; the full address is also its title.
 */
export function EmailText({ email }: { email: string }): ReactElement {
  const parts = email.split(/(?=@)|(?<=\.)/);
  return (
    <span className="email-text" title={email}>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {index > 0 ? <wbr /> : null}
          <span>{part}</span>
        </Fragment>
      ))}
    </span>
  );
}

/** Gender choices; an older free-text value stays listed (and selected) so saving keeps it. */
function GenderSelect({ id, value, describedBy, invalid, onChange }: { id: string; value: string; describedBy?: string; invalid: boolean; onChange(value: string): void }): ReactElement {
  return (
    <select id={id} value={value} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(event) => onChange(event.target.value)}>
      <option value="">{genderNotSpecified}</option>
      {genders.map((gender) => (
        <option key={gender} value={gender}>
          {genderLabels[gender]}
        </option>
      ))}
      {value !== '' && !isGender(value) ? <option value={value}>{`${value} (not a listed choice)`}</option> : null}
    </select>
  );
}

function ProfileForm({ profile, onDone }: { profile: CardProfile; onDone(): void }): ReactElement {
  const { customerCard } = useServices();
  const error = useStore(customerCard, (state) => state.errors[actionKeys.profile]);
  const saving = useStore(customerCard, (state) => Boolean(state.pending[actionKeys.profile]));
  const [draft, setDraft] = useState<ProfileDraft>(() => draftOf(profile));
  const [confirming, setConfirming] = useState<string | null>(null);
  const firstRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    firstRef.current?.focus();
    return () => customerCard.getState().clearError(actionKeys.profile);
  }, [customerCard]);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  async function submit(confirmed: boolean): Promise<void> {
    const changes = profileChanges(profile, draft);
    const warning = confirmed ? null : emailRemovalWarning(profile, changes);
    if (warning) {
      setConfirming(warning);
      return;
    }
    setConfirming(null);
    if (Object.keys(changes).length === 0 || (await customerCard.getState().updateProfile(changes))) onDone();
  }

  return (
    <form
      noValidate
      className="profile-form"
      aria-label="Edit customer"
      onSubmit={(event) => {
        event.preventDefault();
        void submit(false);
      }}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        // Escape first backs out of the e-mail question, then out of the form.
        if (confirming) setConfirming(null);
        else onDone();
      }}
    >
      <InlineError message={errorOutsideFields(error, profileFormFields)} />
      <div className="form-grid">
        {profileFields.map((field, index) => (
          <Field key={field.key} label={field.label} error={errorForField(error, field.key)}>
            {({ id, describedBy, invalid }) =>
              field.type === 'select' ? (
                <GenderSelect id={id} value={draft[field.key]} describedBy={describedBy} invalid={invalid} onChange={(value) => setDraft({ ...draft, [field.key]: value })} />
              ) : (
              <input
                id={id}
                ref={index === 0 ? firstRef : undefined}
                type={field.type}
                autoComplete="off"
                value={draft[field.key]}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                readOnly={field.key === 'email' && profile.verificationStatus === 'verified'}
                onChange={(event) => setDraft({ ...draft, [field.key]: event.target.value })}
              />
              )
            }
          </Field>
        ))}
        <Field
          label="Verification status"
          error={errorForField(error, 'verificationStatus')}
        >
          {({ id, describedBy, invalid }) => (
            <select
              id={id}
              value={draft.verificationStatus}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(event) => setDraft({ ...draft, verificationStatus: event.target.value as VerificationStatus })}
            >
              <option value="non_verified">Non-verified</option>
              <option value="verified">Verified</option>
            </select>
          )}
        </Field>
      </div>
      {profile.verificationStatus === 'verified' ? (
        <p className="field-hint">A verified customer&apos;s email cannot be changed (it belongs to their verified app account).</p>
      ) : null}
      {confirming ? (
        <div className="confirm-box" role="alertdialog" aria-labelledby="email-removal-question">
          <p id="email-removal-question">{confirming}</p>
          <div className="form-actions">
            <button ref={confirmRef} type="button" className="danger-button" disabled={saving} onClick={() => void submit(true)}>
              Remove e-mail and save
            </button>
            <button type="button" className="ghost-button" onClick={() => setConfirming(null)}>
              Keep the e-mail
            </button>
          </div>
        </div>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="primary-button" disabled={saving || confirming !== null}>
          {saving ? 'Saving…' : 'Update customer'}
        </button>
        <button type="button" className="ghost-button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function WebUser({ card, onConnect }: { card: CustomerCard; onConnect(): void }): ReactElement {
  const { customerCard } = useServices();
  const error = useStore(customerCard, (state) => state.errors[actionKeys.disconnectWebUser]);
  const busy = useStore(customerCard, (state) => Boolean(state.pending[actionKeys.disconnectWebUser]));
  const { webUser } = card;
  if (!webUser) {
    return (
      <div className="web-user">
        <span className="muted">No web user connected.</span>
        <button type="button" className="primary-button small" onClick={onConnect}>
          Connect web user
        </button>
      </div>
    );
  }
  const name = [webUser.firstName, webUser.lastName].filter(Boolean).join(' ');
  return (
    <div className="web-user">
      <span>
        Web user:{' '}
        <strong>
          <EmailText email={webUser.email} />
        </strong>
        {name ? ` (${name})` : ''}
      </span>
      <button type="button" className="ghost-button small" disabled={busy} onClick={() => void customerCard.getState().disconnectWebUser()}>
        Disconnect
      </button>
      <InlineError message={error?.message} />
    </div>
  );
}

export function ProfileSection({
  card,
  editing,
  setEditing,
  onConnectWebUser,
}: {
  card: CustomerCard;
  editing: boolean;
  setEditing(editing: boolean): void;
  onConnectWebUser(): void;
}): ReactElement {
  const { profile } = card;
  const details: { label: string; value: ReactNode }[] = [
    { label: 'Status', value: verificationLabel(profile.verificationStatus) },
    { label: 'Created', value: formatDate(profile.createdAt) },
    ...profileFields.map((field) => {
      const value = profile[field.key];
      if (field.key === 'gender') return { label: field.label, value: genderLabel(value) };
      return { label: field.label, value: field.key === 'email' && value ? <EmailText email={value} /> : value };
    }),
  ];
  return (
    <section className="panel" aria-labelledby="profile-title">
      <header className="panel-header">
        <h2 id="profile-title">Contact information</h2>
        {!editing ? (
          <button type="button" className="ghost-button small" onClick={() => setEditing(true)}>
            Edit
          </button>
        ) : null}
      </header>
      {editing ? (
        <ProfileForm profile={profile} onDone={() => setEditing(false)} />
      ) : (
        <dl className="details">
          {details.map((detail) => (
            <div key={detail.label} className="detail">
              <dt>{detail.label}</dt>
              <dd>{detail.value || '—'}</dd>
            </div>
          ))}
        </dl>
      )}
      <WebUser card={card} onConnect={onConnectWebUser} />
    </section>
  );
}
