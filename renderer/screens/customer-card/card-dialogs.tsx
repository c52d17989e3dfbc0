import { useEffect, useState, type ReactElement } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app-context.tsx';
import type { CustomerCard } from '../../api/operations.ts';
import { Dialog } from '../../components/dialog.tsx';
import { Field, InlineError } from '../../components/field.tsx';
import { whoChanged } from '../../../core/customers/who-changed.ts';
import { formatInZone, timeZoneNote } from '../../format/dates.ts';
import { scanReasonLabel } from '../../format/scan-reasons.ts';
import { formatTagUid } from '../../format/tag-uid.ts';
import { errorForField, errorOutsideFields } from '../../stores/action-error.ts';
import { actionKeys, parseReferences } from '../../stores/customer-card-store.ts';
import { ticketTypeChoices } from '../../stores/ticket-type-choices.ts';

export function AssignTicketDialog({ onClose }: { onClose(): void }): ReactElement {
  const { customerCard, credentialScans } = useServices();
  const error = useStore(customerCard, (state) => state.errors[actionKeys.assignTickets]);
  const busy = useStore(customerCard, (state) => Boolean(state.pending[actionKeys.assignTickets]));
  const [text, setText] = useState('');
  const references = parseReferences(text);
  // Tickets scanned on a reader while the dialog is open are added, one per line.
  useEffect(
    () => credentialScans.getState().claim({ barcode: (scan) => setText((current) => (current.trim() === '' ? scan.value : `${current.replace(/\n*$/, '')}\n${scan.value}`)) }),
    [credentialScans],
  );

  useEffect(() => () => customerCard.getState().clearError(actionKeys.assignTickets), [customerCard]);

  return (
    <Dialog
      title="Assign ticket"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="ghost-button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="assign-ticket-form" className="primary-button" disabled={busy || references.length === 0}>
            {busy ? 'Assigning…' : references.length > 1 ? `Accept (${references.length} tickets)` : 'Accept'}
          </button>
        </>
      }
    >
      <form
        noValidate
        id="assign-ticket-form"
        onSubmit={async (event) => {
          event.preventDefault();
          if (await customerCard.getState().assignTickets(references)) onClose();
        }}
      >
        <InlineError message={errorOutsideFields(error, ['references'])} />
        <Field label="Ticket references" hint="Scan or type one or many references, one per line." error={errorForField(error, 'references')}>
          {({ id, describedBy, invalid }) => (
            <textarea
              id={id}
              rows={5}
              autoFocus
              className="mono"
              value={text}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(event) => setText(event.target.value)}
            />
          )}
        </Field>
      </form>
    </Dialog>
  );
}

export function AssignTagDialog({ card, onClose }: { card: CustomerCard; onClose(): void }): ReactElement {
  const { customerCard, customersList, credentialScans } = useServices();
  const error = useStore(customerCard, (state) => state.errors[actionKeys.assignTag]);
  const busy = useStore(customerCard, (state) => Boolean(state.pending[actionKeys.assignTag]));
  const events = useStore(customersList, (state) => state.events);
  const choices = ticketTypeChoices(card, events);
  const [uid, setUid] = useState('');
  const [ticketTypeId, setTicketTypeId] = useState(choices[0]?.id ?? '');
  const [makeActive, setMakeActive] = useState(true);

  useEffect(() => () => customerCard.getState().clearError(actionKeys.assignTag), [customerCard]);
  // While the dialog is open, a tag presented on a reader fills the UID field (and opens no card).
  useEffect(() => credentialScans.getState().claim({ tag: (scan) => setUid(formatTagUid(scan.value)) }), [credentialScans]);

  return (
    <Dialog
      title="Assign tag"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="ghost-button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="assign-tag-form" className="primary-button" disabled={busy || uid.trim() === '' || ticketTypeId === ''}>
            {busy ? 'Creating…' : 'Create tag'}
          </button>
        </>
      }
    >
      <form
        noValidate
        id="assign-tag-form"
        onSubmit={async (event) => {
          event.preventDefault();
          if (await customerCard.getState().assignTag({ uid, ticketTypeId, makeActive })) onClose();
        }}
      >
        <InlineError message={errorOutsideFields(error, ['uid', 'ticketTypeId', 'makeActive'])} />
        <Field label="Tag UID" hint="Any spelling: 04:A2:24:B2:C3:3F:80 or 04a224b2c33f80" error={errorForField(error, 'uid')}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              autoFocus
              className="mono"
              autoComplete="off"
              spellCheck={false}
              value={uid}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(event) => setUid(event.target.value)}
            />
          )}
        </Field>
        <Field
          label="Ticket type"
          hint={choices.length === 0 ? 'This customer holds no ticket yet: assign a ticket first, then its ticket type can be chosen.' : undefined}
          error={errorForField(error, 'ticketTypeId')}
        >
          {({ id, describedBy, invalid }) => (
            <select id={id} value={ticketTypeId} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(event) => setTicketTypeId(event.target.value)}>
              {choices.length === 0 ? <option value="">No ticket type available</option> : null}
              {choices.map((choice) => (
                <option key={choice.id} value={choice.id}>
                  {choice.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={makeActive} onChange={(event) => setMakeActive(event.target.checked)} />
          Make active (the customer&apos;s other tags in this event become inactive)
        </label>
      </form>
    </Dialog>
  );
}

export function ConnectWebUserDialog({ onClose }: { onClose(): void }): ReactElement {
  const { customerCard } = useServices();
  const search = useStore(customerCard, (state) => state.webUserSearch);
  const searchError = useStore(customerCard, (state) => state.errors[actionKeys.webUserSearch]);
  const connectError = useStore(customerCard, (state) => state.errors[actionKeys.connectWebUser]);
  const busy = useStore(customerCard, (state) => Boolean(state.pending[actionKeys.connectWebUser]));
  const customerId = useStore(customerCard, (state) => state.customerId);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);

  useEffect(() => {
    const timer = setTimeout(() => void customerCard.getState().searchWebUsers(query), 200);
    return () => clearTimeout(timer);
  }, [query, customerCard]);

  useEffect(() => () => customerCard.getState().clearError(actionKeys.connectWebUser), [customerCard]);

  return (
    <Dialog
      title="Connect web user"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="ghost-button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="primary-button"
            disabled={busy || chosen === null}
            onClick={async () => {
              if (chosen && (await customerCard.getState().connectWebUser(chosen))) onClose();
            }}
          >
            Set web user
          </button>
        </>
      }
    >
      <Field label="Search web users" hint="Name, email or phone" error={searchError?.message}>
        {({ id, describedBy }) => (
          <input id={id} type="search" autoFocus autoComplete="off" value={query} aria-describedby={describedBy} onChange={(event) => setQuery(event.target.value)} />
        )}
      </Field>
      {search.phase === 'loading' ? <p className="muted">Searching…</p> : null}
      {search.phase === 'done' && search.results.length === 0 && !searchError ? <p className="muted">No web user matches.</p> : null}
      {search.results.length > 0 ? (
        <fieldset className="choice-list">
          <legend className="visually-hidden">Web users</legend>
          {search.results.map((user) => {
            const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
            // A web user belongs to one customer: one already connected is shown, with to whom,
            // but cannot be chosen (staff disconnect it on that customer's card first).
            const connection =
              user.connectedTo === null
                ? null
                : user.connectedTo.customerId === customerId
                  ? 'Already connected to this customer'
                  : `Already connected to ${user.connectedTo.name}`;
            return (
              <label key={user.id} className="choice">
                <input
                  type="radio"
                  name="web-user"
                  value={user.id}
                  checked={chosen === user.id}
                  disabled={connection !== null}
                  onChange={() => setChosen(user.id)}
                />
                <span>
                  <strong>{user.email}</strong>
                  {name ? ` · ${name}` : ''}
                  {user.phone ? ` · ${user.phone}` : ''}
                  {connection ? (
                    <>
                      <br />
                      <span className="muted">{connection}</span>
                    </>
                  ) : null}
                </span>
              </label>
            );
          })}
        </fieldset>
      ) : null}
      <InlineError message={connectError?.message} />
    </Dialog>
  );
}

/** "Admitted", "Admitted (re-entry)…" or "Rejected: Already inside": the reason once, in words. */
function scanResult(scan: { verdict: 'admitted' | 'rejected'; reason: string }): string {
  if (scan.verdict === 'admitted') return scan.reason === 'admitted' ? 'Admitted' : `Admitted: ${scanReasonLabel(scan.reason)}`;
  return `Rejected: ${scanReasonLabel(scan.reason)}`;
}

export function ScanHistoryDialog({ card, onClose }: { card: CustomerCard; onClose(): void }): ReactElement | null {
  const { customerCard } = useServices();
  const view = useStore(customerCard, (state) => state.scanHistory);
  const error = useStore(customerCard, (state) => state.errors[actionKeys.scanHistory]);
  if (!view) return null;
  const close = () => {
    customerCard.getState().closeScanHistory();
    onClose();
  };
  const title = view.history ? `Scan history of ticket ${view.history.ticket.reference}` : 'Scan history';
  // Scans happen at the ticket's event: shown on its clock.
  const timeZone = card.tickets.find((ticket) => ticket.id === view.ticketId)?.timeZone ?? card.timeZone;
  return (
    <Dialog title={title} onClose={close} wide>
      <p className="muted small-text">{timeZoneNote(timeZone)}</p>
      {view.phase === 'loading' ? <p className="muted">Loading scans…</p> : null}
      <InlineError message={error?.message} />
      {view.history && view.history.scans.length === 0 ? <p className="muted">This ticket has not been scanned.</p> : null}
      {view.history && view.history.scans.length > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Access point</th>
                <th scope="col">Access area</th>
                <th scope="col">Direction</th>
                <th scope="col">Result</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {view.history.scans.map((scan) => (
                <tr key={scan.id}>
                  <td>{formatInZone(scan.at, timeZone)}</td>
                  <td>{scan.gate ?? '—'}</td>
                  <td>{scan.zone ?? '—'}</td>
                  <td>{scan.direction === 'entry' ? 'Entry' : 'Exit'}</td>
                  <td>
                    <span className={scan.verdict === 'admitted' ? 'status status-good' : 'status status-bad'}>{scanResult(scan)}</span>
                  </td>
                  <td>{whoChanged(scan.operator, scan.deviceId, card.thisDeviceId)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Dialog>
  );
}
