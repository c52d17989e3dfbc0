import type { ReactElement } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app-context.tsx';
import type { CustomerCard } from '../../api/operations.ts';
import { InlineError } from '../../components/field.tsx';
import { Icon } from '../../components/icons.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { formatDate, formatEventTime, formatInZone, timeZoneNote } from '../../format/dates.ts';
import { formatMoney } from '../../format/money.ts';
import { orderBadge, orderStatusLabel } from '../../format/statuses.ts';
import { actionKeys } from '../../stores/customer-card-store.ts';
import { StatusPill } from './credentials-sections.tsx';

type CardOrder = CustomerCard['orders'][number];

function itemsText(items: { description: string; quantity: number }[]): string {
  return items.map((item) => `${item.quantity} × ${item.description}`).join(', ');
}

export function OrdersSection({ card, onOpenOrder }: { card: CustomerCard; onOpenOrder(orderId: string): void }): ReactElement {
  const { customerCard } = useServices();
  const filters = useStore(customerCard, (state) => state.filters);
  const loadError = useStore(customerCard, (state) => state.errors[actionKeys.load]);
  const store = customerCard.getState;
  const currency = card.totals.currency;

  return (
    <section className="panel" aria-labelledby="orders-title">
      <header className="panel-header">
        <h2 id="orders-title">{filters.deletedOrders ? 'Deleted orders' : 'Orders'}</h2>
        <span className="muted small-text">{timeZoneNote(card.timeZone)}</span>
        <div className="panel-tools">
          <label className="inline-label">
            <Icon name="calendar" />
            <span className="visually-hidden">Event</span>
            <select aria-label="Event filter" value={filters.orderEventId ?? ''} onChange={(event) => void store().setOrderEvent(event.target.value || null)}>
              <option value="">All events</option>
              {card.events.map((event) => (
                <option key={event.id} value={event.id}>
                  {event.name}
                  {event.startsAt ? ` (${formatDate(event.startsAt)})` : ''}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className={filters.deletedOrders ? 'ghost-button small pressed' : 'ghost-button small'}
            aria-pressed={filters.deletedOrders}
            onClick={() => void store().setDeletedOrders(!filters.deletedOrders)}
          >
            <Icon name="trash" /> Deleted orders
          </button>
        </div>
      </header>
      <InlineError message={loadError?.message} />
      {card.orders.length === 0 ? (
        <p className="muted">{filters.deletedOrders ? 'No deleted orders.' : 'No orders.'}</p>
      ) : (
        <ul className="order-cards" aria-label={filters.deletedOrders ? 'Deleted orders' : 'Orders'}>
          {card.orders.map((order) => {
            const badge = orderBadge(order);
            return (
              <li key={order.id} className={`order-card order-${badge.tone}`}>
                {/* The whole card opens the order's detail: a button, so Tab reaches it and Enter opens it. */}
                <button type="button" className="order-card-open" aria-label={`Order ${order.number}: show details`} onClick={() => onOpenOrder(order.id)} />
                <div className="order-card-top">
                  <span className={`order-icon tone-${badge.tone}`} role="img" aria-label={badge.label} title={badge.label}>
                    <Icon name={badge.icon} size={20} />
                  </span>
                  <span className="order-number">Order {order.number}</span>
                  <span className="order-price">{formatMoney(order.total, currency)}</span>
                </div>
                <div className="order-meta">
                  <span>{order.eventName}</span>
                  <span>{orderStatusLabel(order.status)}</span>
                  <span>{formatEventTime(order.createdAt, order.timeZone, card.timeZone)}</span>
                  {order.amountPaid !== order.total ? <span>Paid {formatMoney(order.amountPaid, currency)}</span> : null}
                  {order.deletedAt ? <span>Deleted {formatEventTime(order.deletedAt, order.timeZone, card.timeZone)}</span> : null}
                </div>
                <ul className="order-items">
                  {order.items.map((item, index) => (
                    <li key={index}>
                      <span>
                        {item.quantity} × {item.description}
                      </span>
                      <span className="numeric">{formatMoney(item.unitPrice * item.quantity, currency)}</span>
                    </li>
                  ))}
                </ul>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function TimelineSection({ card }: { card: CustomerCard }): ReactElement {
  const currency = card.totals.currency;
  return (
    <section className="panel" aria-labelledby="timeline-title">
      <header className="panel-header">
        <h2 id="timeline-title">Timeline</h2>
        <span className="muted small-text">{timeZoneNote(card.timeZone)}</span>
      </header>
      {card.timeline.length === 0 ? (
        <p className="muted">No purchases yet.</p>
      ) : (
        <ol className="timeline">
          {card.timeline.map((entry) => (
            <li key={entry.orderId}>
              <time dateTime={entry.at}>{formatEventTime(entry.at, entry.timeZone, card.timeZone)}</time>
              <div>
                <strong>Order {entry.number}</strong> · {entry.channel === 'online' ? 'Online' : 'Box office'} · {orderStatusLabel(entry.status)} ·{' '}
                {formatMoney(entry.total, currency)}
                <div className="muted">{itemsText(entry.items)}</div>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Seed 002's order details: what was bought, amounts, the status timeline, the tickets and gift cards issued. */
export function OrderDetailDialog({ card, order, onClose }: { card: CustomerCard; order: CardOrder; onClose(): void }): ReactElement {
  const currency = card.totals.currency;
  const badge = orderBadge(order);
  return (
    <Dialog title={`Order ${order.number}`} onClose={onClose} wide>
      <p>
        {badge.label} · {order.eventName} · {orderStatusLabel(order.status)} · {formatInZone(order.createdAt, order.timeZone)}{' '}
        <span className="muted small-text">({timeZoneNote(order.timeZone)})</span>
      </p>
      <h3>Items</h3>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Quantity</th>
              <th scope="col">Unit price</th>
              <th scope="col">Amount</th>
            </tr>
          </thead>
          <tbody>
            {order.items.map((item, index) => (
              <tr key={index}>
                <th scope="row">{item.description}</th>
                <td className="numeric">{item.quantity}</td>
                <td className="numeric">{formatMoney(item.unitPrice, currency)}</td>
                <td className="numeric">{formatMoney(item.unitPrice * item.quantity, currency)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                Total
              </th>
              <td className="numeric">{formatMoney(order.total, currency)}</td>
            </tr>
            <tr>
              <th scope="row" colSpan={3}>
                Amount paid
              </th>
              <td className="numeric">{formatMoney(order.amountPaid, currency)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <h3>Status history</h3>
      {order.statusHistory.length === 0 ? (
        <p className="muted">No status changes recorded.</p>
      ) : (
        <ol className="timeline">
          {order.statusHistory.map((entry, index) => (
            <li key={index}>
              <time dateTime={entry.at}>{formatInZone(entry.at, order.timeZone)}</time>
              <div>
                {orderStatusLabel(entry.status)}
                {entry.note ? <div className="muted">{entry.note}</div> : null}
              </div>
            </li>
          ))}
        </ol>
      )}
      <h3>Tickets issued</h3>
      {order.tickets.length === 0 ? (
        <p className="muted">This order issued no tickets.</p>
      ) : (
        <ul className="plain-list">
          {order.tickets.map((ticket) => (
            <li key={ticket.reference} className="list-line">
              <span className="mono">{ticket.reference}</span>
              <span>{ticket.ticketType}</span>
              <StatusPill status={ticket.credentialStatus} />
            </li>
          ))}
        </ul>
      )}
      {order.giftCards.length > 0 ? (
        <>
          <h3>Gift cards issued</h3>
          <ul className="plain-list">
            {order.giftCards.map((giftCard) => (
              <li key={giftCard.code} className="list-line">
                <span className="mono">{giftCard.code}</span>
                <span>{formatMoney(giftCard.value, currency)}</span>
                <span className={giftCard.status === 'active' ? 'status status-good' : 'status status-neutral'}>
                  {giftCard.status === 'active' ? 'Active' : 'Canceled'}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Dialog>
  );
}

export function HistorySection({ card }: { card: CustomerCard }): ReactElement {
  return (
    <section className="panel" aria-labelledby="history-title">
      <header className="panel-header">
        <h2 id="history-title">History</h2>
        <span className="muted small-text">Who changed what · {timeZoneNote(card.timeZone)}</span>
      </header>
      {card.history.length === 0 ? (
        <p className="muted">No changes recorded yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table history-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {card.history.map((entry, index) => (
                <tr key={`${entry.at}-${index}`}>
                  <td>
                    <time dateTime={entry.at}>{formatInZone(entry.at, card.timeZone)}</time>
                  </td>
                  <td>{entry.who}</td>
                  <td>
                    {entry.action}
                    <div className="muted small-text">{entry.subject}</div>
                  </td>
                  <td>
                    <ul className="plain-list">
                      {entry.changes.map((change) => (
                        <li key={change.field}>
                          {change.field}: {change.before} → {change.after}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
