import type { ReactElement } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app-context.tsx';
import type { CardTicket } from '../../api/operations.ts';
import { formatDateTime } from '../../format/dates.ts';

function ticketState(ticket: CardTicket): string {
  if (ticket.status === 'invalid') return `Invalid (${ticket.invalidReason ?? 'invalid'})`;
  if (ticket.banned) return 'Banned';
  if (ticket.redeemed) return 'Exchanged for a wristband';
  if (ticket.lastScan) return `Last scan ${formatDateTime(ticket.lastScan.at)}`;
  return 'Not used yet';
}

/**
 * The supervisor's manual check-in: find the customer (name, e-mail, phone, reference...), then
 * check in one of their tickets by hand. It goes through checkin.scan like any scan, so it is
 * decided by the same rules and recorded in the scan history.
 */
export function ManualCheckin({ onClose }: { onClose(): void }): ReactElement {
  const { checkin } = useServices();
  const manual = useStore(checkin, (state) => state.manual);

  return (
    <section id="manual-checkin" className="manual-checkin panel" aria-labelledby="manual-title">
      <header className="panel-header">
        <h2 id="manual-title">Manual check-in</h2>
        <button type="button" className="link-button" onClick={onClose}>
          Close
        </button>
      </header>
      <label className="visually-hidden" htmlFor="manual-search">
        Find customer
      </label>
      <input
        id="manual-search"
        type="search"
        className="manual-search"
        placeholder="Find customer: name, e-mail, phone, ticket…"
        autoFocus
        value={manual.query}
        onChange={(event) => void checkin.getState().searchManual(event.target.value)}
      />
      {manual.error ? (
        <p className="inline-error" role="alert">
          {manual.error.message}
        </p>
      ) : null}
      {manual.customer ? (
        <div className="manual-customer">
          <div className="manual-customer-head">
            <strong>{manual.customer.name}</strong>
            <button type="button" className="link-button" onClick={() => checkin.getState().closeManualCustomer()}>
              Back to results
            </button>
          </div>
          {manual.customer.tickets.length === 0 ? <p className="muted">No tickets</p> : null}
          <ul className="plain-list" aria-label={`Tickets of ${manual.customer.name}`}>
            {manual.customer.tickets.map((ticket) => (
              <li key={ticket.id} className="list-line manual-ticket">
                <span>
                  <span className="mono">{ticket.reference}</span> · {ticket.ticketType}
                  <span className="muted small-text"> · {ticketState(ticket)}</span>
                </span>
                <button type="button" className="primary-button small" aria-label={`Check in ${ticket.reference}`} onClick={() => void checkin.getState().checkInManually(ticket.reference)}>
                  Check in
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <ul className="plain-list" aria-label="Customers found">
          {manual.phase === 'ready' && manual.results.length === 0 && manual.query.trim() !== '' ? <li className="muted">No customer matches “{manual.query}”</li> : null}
          {manual.results.map((result) => (
            <li key={result.customerId}>
              <button type="button" className="manual-result" onClick={() => void checkin.getState().openManualCustomer(result.customerId)}>
                <span>{result.name ?? 'Anonymous customer'}</span>
                <span className="muted small-text">{result.email ?? result.matchedValue ?? ''}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
