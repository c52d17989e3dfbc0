import { useEffect, useRef, useState, type ReactElement } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app-context.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { Field, InlineError } from '../../components/field.tsx';
import { currencyDigits, formatMoney } from '../../format/money.ts';
import { errorForField, errorOutsideFields } from '../../stores/action-error.ts';
import {
  createNewOrderStore,
  errorForCatalogItem,
  groupCatalog,
  lineProblems,
  orderTotal,
  paymentSummary,
  unitsLeft,
  type CatalogItem,
  type CreatedOrder,
} from '../../stores/new-order-store.ts';
import './new-order.css';

const fieldsWithTheirOwnError = ['amountPaid', 'flags'];

/**
 * The menu item that opened the dialog is gone when it closes, so the browser would put focus on
 * the page body; the card's Actions button (the menu's own button, Alt+A) gets it back instead.
 */
function focusCardActions(): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>('.card-screen button[aria-keyshortcuts="Alt+A"]')?.focus());
}

/**
 * Seed 000 "New Order" / seed 004 "Sell/Reserve": catalog items with quantities, the amount the
 * customer paid (the total unless staff change it), flags, then Sell or Reserve. Only those two
 * buttons complete an order (Enter in a field does not), the footer keeps the total, paid and
 * change due in view, and a sale ends on a confirmation of what it delivered.
 */
export function NewOrderDialog({ customerId, currency, onClose }: { customerId: string; currency: string; onClose(): void }): ReactElement {
  const { client, customerCard } = useServices();
  const [store] = useState(() =>
    createNewOrderStore(client, { customerId, currency, onCreated: () => customerCard.getState().reload() }),
  );
  const state = useStore(store);
  useEffect(() => {
    void store.getState().load();
  }, [store]);
  const close = () => {
    onClose();
    focusCardActions();
  };

  if (state.created) return <OrderConfirmation order={state.created} onClose={close} />;

  const total = orderTotal(state.catalog, state.quantities);
  const payment = paymentSummary(total, state.amountPaidText, currencyDigits(currency));
  const blocked = state.busy || Object.keys(state.quantities).length === 0 || Object.keys(lineProblems(state.catalog, state.quantities)).length > 0;
  // An error on one catalog line shows at its quantity; any other (items, customer, event) on top.
  const shownAtLine = state.sentItemIds.some((id) => errorForCatalogItem(state, id) !== undefined);
  const submit = (reserve: boolean) => void store.getState().submit(reserve);

  return (
    <Dialog
      title="New order"
      wide
      onClose={close}
      footer={
        <div className="order-footer">
          <dl className="order-summary" aria-live="polite">
            <div>
              <dt>Total</dt>
              <dd data-testid="order-total">{formatMoney(total, currency)}</dd>
            </div>
            <div>
              <dt>Paid</dt>
              <dd>{payment.paid === undefined ? '—' : formatMoney(payment.paid, currency)}</dd>
            </div>
            {payment.missing > 0 ? (
              <div className="order-missing">
                <dt>Still to pay</dt>
                <dd data-testid="order-missing">{formatMoney(payment.missing, currency)}</dd>
              </div>
            ) : (
              <div>
                <dt>Change due</dt>
                <dd data-testid="order-change">{formatMoney(payment.changeDue, currency)}</dd>
              </div>
            )}
          </dl>
          <Field label={`Amount paid (${currency})`} error={errorForField(state.error, 'amountPaid')}>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                className="order-paid"
                inputMode="decimal"
                autoComplete="off"
                value={state.amountPaidText}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onChange={(event) => store.getState().setAmountPaid(event.target.value)}
              />
            )}
          </Field>
          <div className="order-actions">
            <button type="button" className="ghost-button" onClick={close}>
              Cancel
            </button>
            <button type="button" className="ghost-button" disabled={blocked} onClick={() => submit(true)}>
              Reserve
            </button>
            <button type="button" className="primary-button" disabled={blocked} onClick={() => submit(false)}>
              {state.busy ? 'Saving…' : 'Sell'}
            </button>
          </div>
        </div>
      }
    >
      {/* Never submitted: Enter in a quantity or the amount must not complete a sale. */}
      <form noValidate onSubmit={(event) => event.preventDefault()}>
        <InlineError message={shownAtLine ? undefined : errorOutsideFields(state.error, fieldsWithTheirOwnError)} />
        {state.phase === 'loading' ? <p className="muted">Loading catalog…</p> : null}
        {state.phase === 'ready' && state.catalog.length === 0 ? <p className="muted">This event has no catalog items to sell.</p> : null}
        {groupCatalog(state.catalog).map((group, groupIndex) => (
          <fieldset key={group.kind} className="order-catalog">
            <legend>{group.label}</legend>
            {group.items.map((item, itemIndex) => (
              <CatalogLine
                key={item.id}
                item={item}
                currency={currency}
                quantity={state.quantities[item.id] ?? 0}
                error={errorForCatalogItem(state, item.id)}
                autoFocus={groupIndex === 0 && itemIndex === 0}
                onQuantity={(quantity) => store.getState().setQuantity(item.id, quantity)}
              />
            ))}
          </fieldset>
        ))}
        <Field label="Flags" hint="Comma-separated, e.g. cash, walk-in" error={errorForField(state.error, 'flags')}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              autoComplete="off"
              value={state.flagsText}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(event) => store.getState().setFlags(event.target.value)}
            />
          )}
        </Field>
      </form>
    </Dialog>
  );
}

function CatalogLine({
  item,
  currency,
  quantity,
  error,
  autoFocus,
  onQuantity,
}: {
  item: CatalogItem;
  currency: string;
  quantity: number;
  error: string | undefined;
  autoFocus: boolean;
  onQuantity(quantity: number): void;
}): ReactElement {
  const left = unitsLeft(item);
  const inputId = `order-quantity-${item.id}`;
  const noteId = `${inputId}-note`;
  const errorId = `${inputId}-error`;
  const notSellable = item.notSellableReason !== null;
  const notes = [
    item.contents.length > 0 ? `Contains ${item.contents.map((content) => `${content.quantity} × ${content.name}`).join(', ')}` : null,
    left !== null ? `${left} left` : null,
    notSellable ? `Not sellable: ${item.notSellableReason}` : null,
  ].filter((note): note is string => note !== null);
  return (
    <div className={notSellable ? 'order-line order-line-unsellable' : 'order-line'}>
      <label htmlFor={inputId} className="order-line-name">
        {item.name}
        {notes.length > 0 ? <small id={noteId}>{notes.join(' · ')}</small> : null}
      </label>
      <span className="order-line-price">{formatMoney(item.price, currency)}</span>
      <input
        id={inputId}
        className="order-quantity"
        type="number"
        min={0}
        step={1}
        inputMode="numeric"
        autoFocus={autoFocus}
        disabled={notSellable}
        value={quantity === 0 ? '' : String(quantity)}
        placeholder="0"
        aria-invalid={error ? true : undefined}
        aria-describedby={[notes.length > 0 ? noteId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined}
        onChange={(event) => onQuantity(event.target.value === '' ? 0 : Number(event.target.value))}
      />
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** What the sale delivered, read back to the customer: items, tickets and codes issued, money. */
function OrderConfirmation({ order, onClose }: { order: CreatedOrder; onClose(): void }): ReactElement {
  const money = (minor: number) => formatMoney(minor, order.currency);
  const sold = order.status === 'paid';
  // Done takes the focus once the dialog is shown (the Dialog's effect, a child's, has run by now),
  // so Enter or Escape ends the sale from the keyboard.
  const done = useRef<HTMLButtonElement>(null);
  useEffect(() => done.current?.focus(), []);
  return (
    <Dialog
      title={sold ? `Sold: order ${order.number}` : `Reserved: order ${order.number}`}
      wide
      onClose={onClose}
      footer={
        <button ref={done} type="button" className="primary-button" onClick={onClose}>
          Done
        </button>
      }
    >
      <div className="order-confirmation" role="status">
        <h3>Items</h3>
        <ul>
          {order.items.map((item, index) => (
            <li key={index}>
              {item.quantity} × {item.description} <span className="muted">{money(item.unitPrice * item.quantity)}</span>
            </li>
          ))}
        </ul>
        {order.tickets.length > 0 ? (
          <>
            <h3>Tickets issued</h3>
            <ul className="issued-codes" aria-label="Tickets issued">
              {order.tickets.map((ticket) => (
                <li key={ticket.reference}>
                  <code>{ticket.reference}</code> {ticket.ticketType}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {order.giftCards.length > 0 ? (
          <>
            <h3>Gift cards issued</h3>
            <ul className="issued-codes" aria-label="Gift cards issued">
              {order.giftCards.map((card) => (
                <li key={card.code}>
                  <code>{card.code}</code> worth {money(card.value)}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {!sold ? <p className="muted">Reserved: nothing is issued until the reservation is paid.</p> : null}
        <dl className="order-summary order-summary-final">
          <div>
            <dt>Total</dt>
            <dd>{money(order.total)}</dd>
          </div>
          <div>
            <dt>Paid</dt>
            <dd>{money(order.amountPaid)}</dd>
          </div>
          {sold ? (
            <div>
              <dt>Change due</dt>
              <dd data-testid="confirmed-change">{money(order.changeDue)}</dd>
            </div>
          ) : null}
        </dl>
      </div>
    </Dialog>
  );
}
