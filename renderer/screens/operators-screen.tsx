import { useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../app-context.tsx';
import { roleLabels, roles, type Role } from '../../core/operators/roles.ts';
import type { OperatorSummary } from '../api/operations.ts';
import { Dialog } from '../components/dialog.tsx';
import { Field, InlineError } from '../components/field.tsx';
import { formatDate } from '../format/dates.ts';
import { errorForField, errorOutsideFields } from '../stores/action-error.ts';
import { operatorActionKeys } from '../stores/operators-store.ts';
import { PinInput } from './checkin/station-lock.tsx';
import './operators.css';

/** What each role may do, as the README's table says it (DESIGN.md section 6a). */
const roleDescriptions: Readonly<Record<Role, string>> = {
  steward: 'Checks in at the gates and locks the station.',
  box_office: 'Also finds customers, edits their cards, activates wristbands and sells.',
  supervisor: 'Also undoes admissions, bans and redeems by hand, refunds orders and sets the station PIN.',
  admin: 'Also imports customers, adds gates and readers, and manages operators.',
};

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const mismatchOf = (pin: string, repeat: string) => (repeat.length >= 4 && repeat !== pin ? 'The two PINs differ' : undefined);

function RoleField({ value, onChange, error, autoFocus }: { value: Role; onChange(role: Role): void; error: string | undefined; autoFocus?: boolean }): ReactElement {
  return (
    <Field label="Role" hint={roleDescriptions[value]} error={error}>
      {({ id, describedBy, invalid }) => (
        <select id={id} value={value} autoFocus={autoFocus} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(event) => onChange(event.target.value as Role)}>
          {roles.map((role) => (
            <option key={role} value={role}>
              {roleLabels[role]}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function AddOperatorForm({ onAdded }: { onAdded(message: string): void }): ReactElement {
  const { operators } = useServices();
  const error = useStore(operators, (state) => state.errors[operatorActionKeys.add]);
  const busy = useStore(operators, (state) => Boolean(state.pending[operatorActionKeys.add]));
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('steward');
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  useEffect(() => () => operators.getState().clearError(operatorActionKeys.add), [operators]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pin !== repeat) return;
    if (await operators.getState().add({ name, role, pin })) {
      onAdded(`Added ${name.trim()} (${roleLabels[role].toLowerCase()}). They sign in with their name and PIN.`);
      setName('');
      setPin('');
      setRepeat('');
    }
  };
  return (
    <form noValidate aria-label="Add an operator" onSubmit={(event) => void submit(event)}>
      <InlineError message={errorOutsideFields(error, ['name', 'role', 'pin'])} />
      <div className="form-grid operators-form">
        <Field label="Name" error={errorForField(error, 'name')}>
          {({ id, describedBy, invalid }) => (
            <input id={id} autoComplete="off" spellCheck={false} aria-describedby={describedBy} aria-invalid={invalid || undefined} value={name} onChange={(event) => setName(event.target.value)} />
          )}
        </Field>
        <RoleField value={role} onChange={setRole} error={errorForField(error, 'role')} />
        <Field label="PIN (4 to 12 digits)" error={errorForField(error, 'pin')}>
          {(ids) => <PinInput {...ids} value={pin} onChange={setPin} />}
        </Field>
        <Field label="PIN again" error={mismatchOf(pin, repeat)}>
          {(ids) => <PinInput {...ids} value={repeat} onChange={setRepeat} />}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary-button" disabled={busy || name.trim() === '' || pin.length < 4 || pin !== repeat}>
          {busy ? 'Adding…' : 'Add operator'}
        </button>
      </div>
    </form>
  );
}

function ChangeRoleDialog({ operator, onDone, onClose }: { operator: OperatorSummary; onDone(message: string): void; onClose(): void }): ReactElement {
  const { operators } = useServices();
  const key = operatorActionKeys.update(operator.id);
  const error = useStore(operators, (state) => state.errors[key]);
  const busy = useStore(operators, (state) => Boolean(state.pending[key]));
  const [role, setRole] = useState<Role>(operator.role);
  useEffect(() => () => operators.getState().clearError(key), [operators, key]);
  const formId = `change-role-${operator.id}`;
  return (
    <Dialog
      title={`Change role of ${operator.name}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="ghost-button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="primary-button" disabled={busy || role === operator.role}>
            {busy ? 'Saving…' : 'Save role'}
          </button>
        </>
      }
    >
      <form
        noValidate
        id={formId}
        onSubmit={async (event) => {
          event.preventDefault();
          if (await operators.getState().update({ operatorId: operator.id, role })) onDone(`${operator.name} is now ${roleLabels[role].toLowerCase()}.`);
        }}
      >
        <p className="muted">Now: {roleLabels[operator.role]}. A window where they are signed in gets the new role at its next action.</p>
        <InlineError message={errorOutsideFields(error, ['role'])} />
        <RoleField value={role} onChange={setRole} error={errorForField(error, 'role')} autoFocus />
      </form>
    </Dialog>
  );
}

function ResetPinDialog({ operator, onDone, onClose }: { operator: OperatorSummary; onDone(message: string): void; onClose(): void }): ReactElement {
  const { operators } = useServices();
  const key = operatorActionKeys.update(operator.id);
  const error = useStore(operators, (state) => state.errors[key]);
  const busy = useStore(operators, (state) => Boolean(state.pending[key]));
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  useEffect(() => () => operators.getState().clearError(key), [operators, key]);
  const formId = `reset-pin-${operator.id}`;
  return (
    <Dialog
      title={`Reset the PIN of ${operator.name}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="ghost-button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="primary-button" disabled={busy || pin.length < 4 || pin !== repeat}>
            {busy ? 'Saving…' : 'Set new PIN'}
          </button>
        </>
      }
    >
      <form
        noValidate
        id={formId}
        onSubmit={async (event) => {
          event.preventDefault();
          if (pin !== repeat) return;
          if (await operators.getState().update({ operatorId: operator.id, pin })) onDone(`New PIN set for ${operator.name}. Their old PIN no longer works.`);
        }}
      >
        <p className="muted">Their old PIN stops working at once, and a wait after wrong PINs is lifted.</p>
        <InlineError message={errorOutsideFields(error, ['pin'])} />
        <Field label="New PIN (4 to 12 digits)" error={errorForField(error, 'pin')}>
          {(ids) => <PinInput {...ids} value={pin} onChange={setPin} autoFocus />}
        </Field>
        <Field label="New PIN again" error={mismatchOf(pin, repeat)}>
          {(ids) => <PinInput {...ids} value={repeat} onChange={setRepeat} />}
        </Field>
      </form>
    </Dialog>
  );
}

function RemoveOperatorDialog({ operator, onDone, onClose }: { operator: OperatorSummary; onDone(message: string): void; onClose(): void }): ReactElement {
  const { operators } = useServices();
  const key = operatorActionKeys.remove(operator.id);
  const error = useStore(operators, (state) => state.errors[key]);
  const busy = useStore(operators, (state) => Boolean(state.pending[key]));
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => () => operators.getState().clearError(key), [operators, key]);
  return (
    <Dialog
      title={`Remove ${operator.name}?`}
      onClose={onClose}
      // The safe choice has the focus: Enter right after opening keeps the operator.
      initialFocus={keep}
      footer={
        <>
          <button ref={keep} type="button" className="ghost-button" onClick={onClose}>
            Keep {operator.name}
          </button>
          <button
            type="button"
            className="danger-button"
            disabled={busy}
            onClick={async () => {
              if (await operators.getState().remove(operator.id)) onDone(`Removed ${operator.name}. Their name stays in the history.`);
            }}
          >
            {busy ? 'Removing…' : 'Remove operator'}
          </button>
        </>
      }
    >
      <p>
        {operator.name} ({roleLabels[operator.role].toLowerCase()}) will no longer be able to sign in, and a window signed in as them is signed out at its next action.
        What they did stays in the history under their name.
      </p>
      <InlineError message={error?.message} />
    </Dialog>
  );
}

type OpenDialog = { kind: 'role' | 'pin' | 'remove'; operator: OperatorSummary } | null;

function OperatorRow({ operator, isYou, onOpen }: { operator: OperatorSummary; isYou: boolean; onOpen(kind: 'role' | 'pin' | 'remove'): void }): ReactElement {
  return (
    <tr>
      <th scope="row">
        {operator.name}
        {isYou ? (
          <>
            {' '}
            <span className="operator-you">you</span>
          </>
        ) : null}
      </th>
      <td>
        <span className={`status operator-role-${operator.role}`}>{roleLabels[operator.role]}</span>
      </td>
      <td>{formatDate(operator.createdAt)}</td>
      <td>
        <div className="operator-actions">
          <button type="button" className="ghost-button small" aria-label={`Change role of ${operator.name}`} onClick={() => onOpen('role')}>
            Change role
          </button>
          <button type="button" className="ghost-button small" aria-label={`Reset the PIN of ${operator.name}`} onClick={() => onOpen('pin')}>
            Reset PIN
          </button>
          {isYou ? null : (
            <button type="button" className="ghost-button small operator-remove" aria-label={`Remove ${operator.name}`} onClick={() => onOpen('remove')}>
              Remove
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}

/**
 * Operators (admins only, DESIGN.md section 6a): who may sign in at this terminal and with which
 * role. An admin adds operators, changes roles, resets forgotten PINs and removes operators; core
 * keeps one admin at least and refuses removing yourself.
 */
export function OperatorsScreen(): ReactElement {
  const { operators, operator } = useServices();
  const list = useStore(operators, (state) => state.operators);
  const phase = useStore(operators, (state) => state.phase);
  const loadError = useStore(operators, (state) => state.errors[operatorActionKeys.load]);
  const signedIn = useStore(operator, (state) => state.current?.operator ?? null);
  const firstRun = useStore(operator, (state) => state.current?.firstRun === true);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [done, setDone] = useState('');

  useEffect(() => {
    void operators.getState().load();
  }, [operators]);

  const finish = (message: string) => {
    const changedYou = dialog !== null && signedIn !== null && sameName(dialog.operator.name, signedIn.name);
    setDialog(null);
    setDone(message);
    // A change to your own role shows at once in the top bar and the menu.
    if (changedYou) void operator.getState().load();
  };

  const admins = list.filter((entry) => entry.role === 'admin').length;
  return (
    <section className="operators-screen" aria-labelledby="operators-title">
      <header className="screen-header">
        <h1 id="operators-title">Operators</h1>
        <p className="screen-summary">
          {phase === 'ready' ? `${list.length} ${list.length === 1 ? 'operator' : 'operators'}, ${admins} ${admins === 1 ? 'admin' : 'admins'}` : 'Loading operators…'}
        </p>
      </header>
      <p className="operators-done" role="status" aria-live="polite">
        {done}
      </p>
      <InlineError message={loadError?.message} />
      <section className="panel" aria-labelledby="operators-list-title">
        <header className="panel-header">
          <h2 id="operators-list-title">Who signs in here</h2>
        </header>
        {phase === 'ready' && list.length === 0 ? <p className="muted">No operators yet: create the first admin (above), then add the others here.</p> : null}
        {list.length > 0 ? (
          <div className="table-wrap">
            <table className="table operators-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Added</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((entry) => (
                  <OperatorRow
                    key={entry.id}
                    operator={entry}
                    isYou={signedIn !== null && sameName(entry.name, signedIn.name)}
                    onOpen={(kind) => {
                      setDone('');
                      setDialog({ kind, operator: entry });
                    }}
                  />
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      {firstRun && list.length === 0 ? null : (
        <section className="panel" aria-labelledby="add-operator-title">
          <header className="panel-header">
            <h2 id="add-operator-title">Add an operator</h2>
          </header>
          <AddOperatorForm onAdded={setDone} />
        </section>
      )}
      {dialog?.kind === 'role' ? <ChangeRoleDialog operator={dialog.operator} onDone={finish} onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'pin' ? <ResetPinDialog operator={dialog.operator} onDone={finish} onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'remove' ? <RemoveOperatorDialog operator={dialog.operator} onDone={finish} onClose={() => setDialog(null)} /> : null}
    </section>
  );
}
