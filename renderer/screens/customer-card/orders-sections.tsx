import type { ReactElement } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app-context.tsx';
import type { CustomerCard } from '../../api/operations.ts';
import { InlineError } from '../../components/field.tsx';
import { Icon } from '../../components/icons.tsx';
import { formatDate, formatDateTime } from '../../format/dates.ts';
import { describeChanges, describeOperation } from '../../format/history.ts';
import { formatMoney } from '../../format/money.ts';
import { orderBadge, orderStatusLabel } from '../../format/statuses.ts';
import { formatTagUid } from '../../format/tag-uid.ts';
import { actionKeys } from '../../stores/customer-card-store.ts';

function itemsText(items: { description: string; quantity: number }[]): string {
  return items.map((item) => `${item.quantity} × ${item.description}`).join(', ');
}

export function OrdersSection({ card }: { card: CustomerCard }): ReactElement {
  const { customerCard } = useServices();
  const filters = useStore(customerCard, (state) => state.filters);
  const loadError = useStore(customerCard, (state) => state.errors[actionKeys.load]);
  const store = customerCard.getState;
  const currency = card.totals.currency;

  return (
    <section className="panel" aria-labelledby="orders-title">
      <header className="panel-header">
        <h2 id="orders-title">{filters.deletedOrders ? 'Deleted orders' : 'Orders'}</h2>
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
                  <span>{formatDateTime(order.createdAt)}</span>
                  {order.amountPaid !== order.total ? <span>Paid {formatMoney(order.amountPaid, currency)}</span> : null}
                  {order.deletedAt ? <span>Deleted {formatDateTime(order.deletedAt)}</span> : null}
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
      </header>
      {card.timeline.length === 0 ? (
        <p className="muted">No purchases yet.</p>
      ) : (
        <ol className="timeline">
          {card.timeline.map((entry) => (
            <li key={entry.orderId}>
              <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
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

function entityName(card: CustomerCard, entity: string, entityId: string): string {
  if (entity === 'ticket') return `Ticket ${card.tickets.find((ticket) => ticket.id === entityId)?.reference ?? entityId}`;
  if (entity === 'tag') {
    const tag = card.tags.find((candidate) => candidate.id === entityId);
    return `Tag ${tag ? formatTagUid(tag.uid) : entityId}`;
  }
  if (entity === 'customer') return 'Customer';
  return `${entity.charAt(0).toUpperCase()}${entity.slice(1)}`;
}

export function HistorySection({ card }: { card: CustomerCard }): ReactElement {
  return (
    <section className="panel" aria-labelledby="history-title">
      <header className="panel-header">
        <h2 id="history-title">History</h2>
        <span className="muted">Who changed what</span>
      </header>
      {card.history.length === 0 ? (
        <p className="muted">No changes recorded yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
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
                    <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                  </td>
                  <td>
                    {entry.operator ?? 'system'}
                    <div className="muted small-text">{entry.deviceId}</div>
                  </td>
                  <td>
                    {describeOperation(entry.operation)}
                    <div className="muted small-text">{entityName(card, entry.entity, entry.entityId)}</div>
                  </td>
                  <td>
                    <ul className="plain-list">
                      {describeChanges(entry.before, entry.after).map((change) => (
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
