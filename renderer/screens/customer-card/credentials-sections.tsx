import type { ReactElement } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app-context.tsx';
import type { CustomerCard } from '../../api/operations.ts';
import { InlineError } from '../../components/field.tsx';
import { Toggle } from '../../components/toggle.tsx';
import { formatEventTime, timeZoneNote } from '../../format/dates.ts';
import { formatTagUid } from '../../format/tag-uid.ts';
import { actionKeys } from '../../stores/customer-card-store.ts';
import { useMayCall } from '../sign-in-screen.tsx';

type CardTicket = CustomerCard['tickets'][number];

/** "12 Jul 2026, 21:04 · North · Entry admitted", in the ticket's event zone. */
function lastScanText(ticket: CardTicket, shownZone: string): string {
  const scan = ticket.lastScan;
  if (!scan) return 'N/A';
  const where = scan.gate ?? 'no gate';
  const what = `${scan.direction === 'entry' ? 'Entry' : 'Exit'} ${scan.verdict}`;
  return `${formatEventTime(scan.at, ticket.timeZone, shownZone)} · ${where} · ${what}`;
}

/** The one status pill of a ticket or tag (its rule lives in core: ticket-status.ts, tag-status.ts). */
export function StatusPill({ status }: { status: CardTicket['credentialStatus'] }): ReactElement {
  return <span className={`status status-${status.tone}`}>{status.label}</span>;
}

export function TicketsSection({ card, onOpenScanHistory }: { card: CustomerCard; onOpenScanHistory(): void }): ReactElement {
  const { customerCard } = useServices();
  // Redeeming by hand and banning are a supervisor's: other roles see the state, not a switch.
  const mayRedeem = useMayCall('tickets.setRedeemed');
  const mayBan = useMayCall('tickets.setBanned');
  const errors = useStore(customerCard, (state) => state.errors);
  const pending = useStore(customerCard, (state) => state.pending);
  const store = customerCard.getState;

  return (
    <section className="panel" aria-labelledby="tickets-title">
      <header className="panel-header">
        <h2 id="tickets-title">Tickets</h2>
        <span className="muted">
          {card.tickets.length} · {timeZoneNote(card.timeZone)}
        </span>
      </header>
      {card.tickets.length === 0 ? (
        <p className="muted">No tickets. Use Assign ticket in the action menu.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Ticket</th>
                <th scope="col">Ticket type</th>
                <th scope="col">Status</th>
                <th scope="col">Last scan</th>
                <th scope="col">Redeemed</th>
                <th scope="col">Banned</th>
                <th scope="col">Scan history</th>
              </tr>
            </thead>
            <tbody>
              {card.tickets.map((ticket) => {
                const redeemedKey = actionKeys.ticketRedeemed(ticket.id);
                const bannedKey = actionKeys.ticketBanned(ticket.id);
                const rowError = errors[redeemedKey]?.message ?? errors[bannedKey]?.message;
                return (
                  <tr key={ticket.id}>
                    <th scope="row" className="mono">
                      {ticket.reference}
                      <InlineError message={rowError} />
                    </th>
                    <td>{ticket.ticketType}</td>
                    <td>
                      <StatusPill status={ticket.credentialStatus} />
                    </td>
                    <td>{lastScanText(ticket, card.timeZone)}</td>
                    <td>
                      {mayRedeem ? (
                        <Toggle
                          on={ticket.redeemed}
                          label={`Redeemed, ticket ${ticket.reference}`}
                          onText="Redeemed"
                          offText="Valid"
                          busy={pending[redeemedKey]}
                          onChange={(next) => void store().setTicketRedeemed(ticket.id, next)}
                        />
                      ) : (
                        ticket.redeemed ? 'Redeemed' : 'Valid'
                      )}
                    </td>
                    <td>
                      {mayBan ? (
                        <Toggle
                          on={ticket.banned}
                          tone="danger"
                          label={`Banned, ticket ${ticket.reference}`}
                          onText="Banned"
                          offText="Valid"
                          busy={pending[bannedKey]}
                          onChange={(next) => void store().setTicketBanned(ticket.id, next)}
                        />
                      ) : (
                        ticket.banned ? 'Banned' : 'Valid'
                      )}
                    </td>
                    <td>
                      {ticket.scanCount > 0 ? (
                        <button
                          type="button"
                          className="ghost-button small"
                          aria-label={`Scan history of ticket ${ticket.reference}`}
                          onClick={() => {
                            onOpenScanHistory();
                            void store().openScanHistory(ticket.id);
                          }}
                        >
                          Scan history ({ticket.scanCount})
                        </button>
                      ) : (
                        <span className="muted">N/A</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function TagsSection({ card }: { card: CustomerCard }): ReactElement {
  const { customerCard } = useServices();
  const mayBan = useMayCall('tags.setBanned');
  const errors = useStore(customerCard, (state) => state.errors);
  const pending = useStore(customerCard, (state) => state.pending);
  const store = customerCard.getState;

  return (
    <section className="panel" aria-labelledby="tags-title">
      <header className="panel-header">
        <h2 id="tags-title">Tags</h2>
        <span className="muted">Only one tag can be active at a time</span>
      </header>
      {card.tags.length === 0 ? (
        <p className="muted">No tags. Use Assign tag in the action menu.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Tag UID</th>
                <th scope="col">Ticket type</th>
                <th scope="col">Status</th>
                <th scope="col">Active</th>
                <th scope="col">Banned</th>
              </tr>
            </thead>
            <tbody>
              {card.tags.map((tag) => {
                const uid = formatTagUid(tag.uid);
                const activeKey = actionKeys.tagActive(tag.id);
                const bannedKey = actionKeys.tagBanned(tag.id);
                const rowError = errors[activeKey]?.message ?? errors[bannedKey]?.message;
                return (
                  <tr key={tag.id}>
                    <th scope="row" className="mono">
                      {uid}
                      <InlineError message={rowError} />
                    </th>
                    <td>{tag.ticketType}</td>
                    <td>
                      <StatusPill status={tag.credentialStatus} />
                    </td>
                    <td>
                      {tag.active ? (
                        <span className="muted">Current tag</span>
                      ) : (
                        <button
                          type="button"
                          className="ghost-button small"
                          aria-label={`Make tag ${uid} active`}
                          disabled={pending[activeKey] || tag.banned}
                          title={tag.banned ? 'A banned tag cannot be made active' : undefined}
                          onClick={() => void store().makeTagActive(tag.id)}
                        >
                          Make active
                        </button>
                      )}
                    </td>
                    <td>
                      {mayBan ? (
                        <Toggle
                          on={tag.banned}
                          tone="danger"
                          label={`Banned, tag ${uid}`}
                          onText="Banned"
                          offText="Unbanned"
                          busy={pending[bannedKey]}
                          onChange={(next) => void store().setTagBanned(tag.id, next)}
                        />
                      ) : (
                        tag.banned ? 'Banned' : 'Unbanned'
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
