import { useState, type ReactElement } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app-context.tsx';
import type { CustomerCard } from '../../api/operations.ts';
import { Field, InlineError } from '../../components/field.tsx';
import { messageUnderField } from '../../stores/action-error.ts';
import { actionKeys } from '../../stores/customer-card-store.ts';
import { EmailText } from './profile-section.tsx';

export function AlternativeEmailsSection({ card }: { card: CustomerCard }): ReactElement {
  const { customerCard } = useServices();
  const errors = useStore(customerCard, (state) => state.errors);
  const pending = useStore(customerCard, (state) => state.pending);
  const [email, setEmail] = useState('');
  const addError = errors[actionKeys.addAlternativeEmail];

  return (
    <section className="panel" aria-labelledby="alt-emails-title">
      <header className="panel-header">
        <h2 id="alt-emails-title">Alternative emails</h2>
      </header>
      {card.alternativeEmails.length === 0 ? <p className="muted">No alternative emails.</p> : null}
      <ul className="plain-list">
        {card.alternativeEmails.map((address) => {
          const key = actionKeys.removeAlternativeEmail(address);
          return (
            <li key={address} className="list-line">
              <span>
                <EmailText email={address} />
              </span>
              <button
                type="button"
                className="ghost-button small"
                aria-label={`Remove alternative email ${address}`}
                disabled={pending[key]}
                onClick={() => void customerCard.getState().removeAlternativeEmail(address)}
              >
                Remove
              </button>
              <InlineError message={errors[key]?.message} />
            </li>
          );
        })}
      </ul>
      <form
        noValidate
        className="inline-form"
        onSubmit={async (event) => {
          event.preventDefault();
          if (await customerCard.getState().addAlternativeEmail(email)) setEmail('');
        }}
      >
        <Field label="Add alternative email" error={addError ? messageUnderField(addError) : undefined}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              type="email"
              value={email}
              autoComplete="off"
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(event) => setEmail(event.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="primary-button small" disabled={pending[actionKeys.addAlternativeEmail] || email.trim() === ''}>
          Add
        </button>
      </form>
    </section>
  );
}

export function DescriptionSection({ card }: { card: CustomerCard }): ReactElement {
  const { customerCard } = useServices();
  const error = useStore(customerCard, (state) => state.errors[actionKeys.description]);
  const saving = useStore(customerCard, (state) => Boolean(state.pending[actionKeys.description]));
  const saved = card.profile.description ?? '';
  const [text, setText] = useState(saved);
  const [base, setBase] = useState(saved);
  // The card was re-read (another edit, another terminal): show the stored note unless mid-edit.
  if (saved !== base) {
    setBase(saved);
    if (text === base) setText(saved);
  }
  const changed = text !== saved;

  return (
    <section className="panel" aria-labelledby="description-title">
      <header className="panel-header">
        <h2 id="description-title">Description</h2>
        <span className="muted small-text">Internal note, only visible in Box Office</span>
      </header>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void customerCard.getState().setDescription(text);
        }}
      >
        <Field label="Internal note" error={error ? messageUnderField(error) : undefined}>
          {({ id, describedBy, invalid }) => (
            <textarea
              id={id}
              rows={3}
              value={text}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(event) => setText(event.target.value)}
            />
          )}
        </Field>
        <div className="form-actions">
          <button type="submit" className="primary-button small" disabled={!changed || saving}>
            {saving ? 'Saving…' : 'Save description'}
          </button>
          {changed ? (
            <button type="button" className="ghost-button small" onClick={() => setText(saved)}>
              Discard
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}
