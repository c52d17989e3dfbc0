import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BoxOfficeClient, Output } from '../api/operations.ts';
import { quantityProblem } from '../../core/orders/quantity.ts';
import { currencyDigits, minorUnitsToDecimal } from '../format/money.ts';
import { actionError, messageUnderField, type ActionError } from './action-error.ts';

export type CatalogItem = Output<'catalog.list'>['items'][number];
export type CatalogItemKind = CatalogItem['kind'];
export type CreatedOrder = Output<'orders.create'>;

/** Seed 000 lists packs, accesses, credits, virtual credits and tokens; seed 004 adds the rest. */
export const catalogKindOrder: readonly CatalogItemKind[] = [
  'ticket',
  'pack',
  'access',
  'credit',
  'virtual_credit',
  'token',
  'product',
  'subscription',
  'gift_card',
];

export const catalogKindLabels: Record<CatalogItemKind, string> = {
  ticket: 'Tickets',
  pack: 'Packs',
  access: 'Accesses',
  credit: 'Credits',
  virtual_credit: 'Virtual credits',
  token: 'Tokens',
  product: 'Products',
  subscription: 'Subscriptions',
  gift_card: 'Gift cards',
};

/** The catalog in the dialog's order: kinds as above, items by name inside a kind. */
export function groupCatalog(items: readonly CatalogItem[]): { kind: CatalogItemKind; label: string; items: CatalogItem[] }[] {
  return catalogKindOrder
    .map((kind) => ({
      kind,
      label: catalogKindLabels[kind],
      items: items.filter((item) => item.kind === kind).sort((a, b) => a.name.localeCompare(b.name)),
    }))
    .filter((group) => group.items.length > 0);
}

/** Units still for sale, or null when the item has no capacity. */
export function unitsLeft(item: CatalogItem): number | null {
  return item.capacity === null ? null : Math.max(0, item.capacity - item.sold);
}

/** Integer minor units: the sum of price × quantity, never a float. */
export function orderTotal(items: readonly CatalogItem[], quantities: Readonly<Record<string, number>>): number {
  return items.reduce((sum, item) => sum + item.price * (quantities[item.id] ?? 0), 0);
}

/**
 * What staff type as an amount ("12.50", "12,5", "€ 12") to integer minor units, parsed as text so
 * no floating point touches money. Undefined when it is not an amount with at most the currency's
 * number of decimals.
 */
export function parseMoneyInput(text: string, digits: number): number | undefined {
  const compact = text.replace(/[\s\u00a0€$£]/g, '');
  const match = /^(\d+)(?:[.,](\d*))?$/.exec(compact);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return undefined;
  const minor = Number(`${match[1]}${fraction.padEnd(digits, '0')}`);
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** "cash, walk-in" → ['cash', 'walk-in']; empty pieces dropped, the host checks the rest. */
export function parseFlags(text: string): string[] {
  return text
    .split(',')
    .map((flag) => flag.trim())
    .filter((flag) => flag !== '');
}

/** What is wrong with each chosen line as typed (above what is left, not whole), by catalog item id. */
export function lineProblems(catalog: readonly CatalogItem[], quantities: Readonly<Record<string, number>>): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const item of catalog) {
    const quantity = quantities[item.id];
    if (quantity === undefined) continue;
    const problem = item.notSellableReason ?? quantityProblem(quantity, item.name, unitsLeft(item));
    if (problem !== null) problems[item.id] = problem;
  }
  return problems;
}

/** The footer's sum: what was typed as paid, and the change to hand back or what is still missing. */
export function paymentSummary(total: number, amountPaidText: string, digits: number): { paid: number | undefined; changeDue: number; missing: number } {
  const paid = parseMoneyInput(amountPaidText, digits);
  if (paid === undefined) return { paid, changeDue: 0, missing: 0 };
  return { paid, changeDue: Math.max(0, paid - total), missing: Math.max(0, total - paid) };
}

/**
 * The error to show at one catalog line: what is wrong with it as typed, else the host's error
 * about it (`items.<n>…` of what was sent).
 */
export function errorForCatalogItem(state: Pick<NewOrderState, 'error' | 'sentItemIds' | 'catalog' | 'quantities'>, catalogItemId: string): string | undefined {
  const local = lineProblems(state.catalog, state.quantities)[catalogItemId];
  if (local !== undefined) return local;
  const error = state.error;
  const match = error?.field ? /^items\.(\d+)(\.|$)/.exec(error.field) : null;
  if (!error || !match || state.sentItemIds[Number(match[1])] !== catalogItemId) return undefined;
  return messageUnderField(error);
}

export interface NewOrderState {
  phase: 'loading' | 'ready' | 'error';
  catalog: CatalogItem[];
  quantities: Record<string, number>;
  /** Decimal text in the Amount paid field; follows the total until staff type their own. */
  amountPaidText: string;
  amountPaidEdited: boolean;
  flagsText: string;
  busy: boolean;
  /** The host's error (a field of orders.create when it named one), or an amount that does not parse. */
  error: ActionError | undefined;
  /** Catalog item ids in the order they were sent, so an error on `items.2` finds its line. */
  sentItemIds: string[];
  /** What the host sold or reserved: the dialog shows it until staff close it. */
  created: CreatedOrder | undefined;

  load(): Promise<void>;
  setQuantity(catalogItemId: string, quantity: number): void;
  setAmountPaid(text: string): void;
  setFlags(text: string): void;
  /** Sells (reserve false) or reserves; on success the customer's card is re-read and `created` set. */
  submit(reserve: boolean): Promise<CreatedOrder | null>;
}

export type NewOrderStore = StoreApi<NewOrderState>;

export interface NewOrderOptions {
  customerId: string;
  /** Currency of the event the order is for, for the amount's decimals. */
  currency: string;
  /** Called after the host accepted the order (re-reads the card). */
  onCreated(order: CreatedOrder): Promise<void>;
}

export function createNewOrderStore(client: BoxOfficeClient, options: NewOrderOptions): NewOrderStore {
  const digits = currencyDigits(options.currency);
  const amountText = (minor: number) => minorUnitsToDecimal(minor, digits);

  return createStore<NewOrderState>()((set, get) => {
    function followTotal(quantities: Record<string, number>): Partial<NewOrderState> {
      return get().amountPaidEdited ? {} : { amountPaidText: amountText(orderTotal(get().catalog, quantities)) };
    }

    return {
      phase: 'loading',
      catalog: [],
      quantities: {},
      amountPaidText: amountText(0),
      amountPaidEdited: false,
      flagsText: '',
      busy: false,
      error: undefined,
      sentItemIds: [],
      created: undefined,

      async load() {
        set({ phase: 'loading', error: undefined });
        const result = await client.invoke('catalog.list', {});
        if (result.ok) set({ phase: 'ready', catalog: result.value.items });
        else set({ phase: 'error', error: actionError(result.error) });
      },

      setQuantity(catalogItemId, quantity) {
        // Kept as typed: 5000 of an item with 100 left is shown as an error at its line, never cut to 100.
        const { [catalogItemId]: _previous, ...rest } = get().quantities;
        const quantities = quantity === 0 || Number.isNaN(quantity) ? rest : { ...rest, [catalogItemId]: quantity };
        set({ quantities, ...followTotal(quantities), error: undefined });
      },

      setAmountPaid(text) {
        set({ amountPaidText: text, amountPaidEdited: true, error: undefined });
      },

      setFlags(text) {
        set({ flagsText: text, error: undefined });
      },

      async submit(reserve) {
        const state = get();
        const items = state.catalog
          .filter((item) => (state.quantities[item.id] ?? 0) > 0)
          .map((item) => ({ catalogItemId: item.id, quantity: state.quantities[item.id] ?? 0 }));
        if (items.length === 0) {
          set({ error: { code: 'VALIDATION', message: 'Add at least one item', field: 'items' } });
          return null;
        }
        // Each problem already shows at its line; nothing is sent until they are fixed.
        if (Object.keys(lineProblems(state.catalog, state.quantities)).length > 0) return null;
        // A reservation is not paid at the counter; a sale records what was typed.
        const amountPaid = reserve ? 0 : parseMoneyInput(state.amountPaidText, digits);
        if (amountPaid === undefined) {
          set({ error: { code: 'VALIDATION', message: `Amount paid must be an amount such as ${amountText(1250)}`, field: 'amountPaid' } });
          return null;
        }
        set({ busy: true, error: undefined, sentItemIds: items.map((item) => item.catalogItemId) });
        const result = await client.invoke('orders.create', {
          customerId: options.customerId,
          items,
          amountPaid,
          flags: parseFlags(state.flagsText),
          reserve,
        });
        if (!result.ok) {
          set({ busy: false, error: actionError(result.error) });
          return null;
        }
        await options.onCreated(result.value);
        set({ busy: false, created: result.value });
        return result.value;
      },
    };
  });
}
