import { useEffect, useState, type ReactElement } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app-context.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { Field, InlineError } from '../../components/field.tsx';
import { formatMoney } from '../../format/money.ts';
import { errorForField, errorOutsideFields } from '../../stores/action-error.ts';
import {
  createNewOrderStore,
  errorForCatalogItem,
  groupCatalog,
  maxQuantity,
  orderTotal,
  unitsLeft,
  type CatalogItem,
} from '../../stores/new-order-store.ts';
import './new-order.css';

const fieldsWithTheirOwnError = ['amountPaid', 'flags'];

/**
 * Seed 000 "New Order" / seed 004 "Sell/Reserve": catalog items with quantities, the amount the
 * customer paid (the total unless staff change it), flags, then Sell or Reserve. Host errors show
 * at the line or field they name; on success the card re-reads and shows the new order card.
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

  const total = orderTotal(state.catalog, state.quantities);
  const nothingChosen = Object.keys(state.quantities).length === 0;
  // An error on one catalog line shows at its quantity; any other (items, customer, event) on top.
  const shownAtLine = state.sentItemIds.some((id) => errorForCatalogItem(state, id) !== undefined);
  const submit = async (reserve: boolean) => {
    if (await store.getState().submit(reserve)) onClose();
  };

  return (
    <Dialog
      title="New order"
      wide
      onClose={onClose}
      footer={
        <>
          <button type="button" className="ghost-button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="ghost-button" disabled={state.busy || nothingChosen} onClick={() => void submit(true)}>
            Reserve
          </button>
          <button type="submit" form="new-order-form" className="primary-button" disabled={state.busy || nothingChosen}>
            {state.busy ? 'Saving…' : 'Sell'}
          </button>
        </>
      }
    >
      <form
        noValidate
        id="new-order-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit(false);
        }}
      >
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
        <p className="order-total" aria-live="polite">
          <span>Total</span>
          <span data-testid="order-total">{formatMoney(total, currency)}</span>
        </p>
        <Field label={`Amount paid (${currency})`} hint="What the customer paid; a reservation is saved unpaid." error={errorForField(state.error, 'amountPaid')}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              inputMode="decimal"
              autoComplete="off"
              value={state.amountPaidText}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(event) => store.getState().setAmountPaid(event.target.value)}
            />
          )}
        </Field>
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
  const errorId = `${inputId}-error`;
  return (
    <div className="order-line">
      <label htmlFor={inputId} className="order-line-name">
        {item.name}
        {left !== null ? <small>{left} left</small> : null}
      </label>
      <span className="order-line-price">{formatMoney(item.price, currency)}</span>
      <input
        id={inputId}
        className="order-quantity"
        type="number"
        min={0}
        max={Math.min(maxQuantity, left ?? maxQuantity)}
        step={1}
        inputMode="numeric"
        autoFocus={autoFocus}
        value={quantity === 0 ? '' : String(quantity)}
        placeholder="0"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
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
