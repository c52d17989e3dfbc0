import { useEffect, useState, type FormEvent, type ReactElement } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../app-context.tsx';
import { roleLabels } from '../../core/operators/roles.ts';
import { Dialog } from '../components/dialog.tsx';
import { Field, InlineError } from '../components/field.tsx';
import { errorForField, errorOutsideFields } from '../stores/action-error.ts';
import { PinInput } from './checkin/station-lock.tsx';
import { mayCall } from '../stores/operator-store.ts';
import type { OperationName } from '../api/operations.ts';
import './sign-in.css';

/** Staff sign in with their name and PIN; nothing else shows until they do (DESIGN.md section 6a). */
export function SignInScreen(): ReactElement {
  const { operator } = useServices();
  const error = useStore(operator, (state) => state.error ?? undefined);
  const pending = useStore(operator, (state) => state.pending);
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const signedIn = await operator.getState().signIn(name, pin);
    setPin('');
    if (signedIn) setName('');
  };
  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <header className="screen-header">
        <h1 id="sign-in-title">Sign in</h1>
        <p className="screen-summary">Enter your name and PIN. What you can do here depends on your role.</p>
      </header>
      <form aria-label="Sign in" className="sign-in-form" onSubmit={(event) => void submit(event)}>
        <Field label="Name" error={errorForField(error, 'name')}>
          {({ id, describedBy, invalid }) => (
            <input id={id} autoComplete="username" autoFocus aria-describedby={describedBy} aria-invalid={invalid || undefined} value={name} onChange={(event) => setName(event.target.value)} />
          )}
        </Field>
        <Field label="PIN" error={errorForField(error, 'pin')}>
          {(ids) => <PinInput {...ids} value={pin} onChange={setPin} />}
        </Field>
        <InlineError message={errorOutsideFields(error, ['name', 'pin'])} />
        <div className="form-actions">
          <button type="submit" className="primary-button" disabled={pending || name.trim() === '' || pin.length < 4}>
            Sign in
          </button>
        </div>
      </form>
    </section>
  );
}

/** First run: whoever sets the terminal up becomes its first admin (name and PIN, typed twice). */
function FirstAdminDialog({ onClose }: { onClose(): void }): ReactElement {
  const { operator } = useServices();
  const error = useStore(operator, (state) => state.error ?? undefined);
  const pending = useStore(operator, (state) => state.pending);
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  useEffect(() => () => operator.getState().clearError(), [operator]);
  const mismatch = repeat.length >= 4 && repeat !== pin ? 'The two PINs differ' : undefined;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pin !== repeat) return;
    if (await operator.getState().createFirstAdmin(name, pin)) onClose();
  };
  return (
    <Dialog title="Create the first admin" onClose={onClose}>
      <form aria-label="Create the first admin" onSubmit={(event) => void submit(event)}>
        <p className="muted">The first admin adds the other operators (box-office operators add). From then on everyone signs in with a PIN.</p>
        <Field label="Name" error={errorForField(error, 'name')}>
          {({ id, describedBy, invalid }) => (
            <input id={id} autoComplete="off" aria-describedby={describedBy} aria-invalid={invalid || undefined} value={name} onChange={(event) => setName(event.target.value)} />
          )}
        </Field>
        <Field label="PIN (4 to 12 digits)" error={errorForField(error, 'pin')}>
          {(ids) => <PinInput {...ids} value={pin} onChange={setPin} />}
        </Field>
        <Field label="PIN again" error={mismatch}>
          {(ids) => <PinInput {...ids} value={repeat} onChange={setRepeat} />}
        </Field>
        <InlineError message={errorOutsideFields(error, ['name', 'pin'])} />
        <div className="form-actions">
          <button type="button" className="ghost-button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary-button" disabled={pending || name.trim() === '' || pin.length < 4 || pin !== repeat}>
            Create and sign in
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** A terminal without operators acts as its own administrator, as before operators existed; it asks for a first admin. */
export function FirstAdminNotice(): ReactElement {
  const [open, setOpen] = useState(false);
  return (
    <div className="first-admin-notice" role="note">
      <p>No operators yet: anyone using this terminal acts as its administrator.</p>
      <button type="button" className="primary-button" onClick={() => setOpen(true)}>
        Create the first admin
      </button>
      {open ? <FirstAdminDialog onClose={() => setOpen(false)} /> : null}
    </div>
  );
}

/** The operator's name and role, always visible, and how to sign out. */
export function OperatorBadge(): ReactElement | null {
  const { operator } = useServices();
  const signedIn = useStore(operator, (state) => state.current?.operator ?? null);
  if (!signedIn) return null;
  return (
    <div className="operator-badge">
      <span className="operator-name" aria-label={`Signed in as ${signedIn.name}, ${roleLabels[signedIn.role].toLowerCase()}`}>
        {signedIn.name} <span className="operator-role">{roleLabels[signedIn.role]}</span>
      </span>
      <button type="button" className="link-button" onClick={() => void operator.getState().signOut()}>
        Sign out
      </button>
    </div>
  );
}

/** Whether the signed-in role may call `operation`: actions it may not are hidden (core refuses them anyway). */
export function useMayCall(operation: OperationName): boolean {
  const { operator } = useServices();
  return useStore(operator, (state) => mayCall(state.current, operation));
}
