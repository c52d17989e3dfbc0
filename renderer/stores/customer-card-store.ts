import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  BoxOfficeClient,
  CsvFile,
  CustomerCard,
  Input,
  LabelSummary,
  OperationName,
  Output,
  Result,
  ScanHistory,
  UpdateCustomerInput,
  WebUserSummary,
} from '../api/operations.ts';
import { actionError, type ActionError } from './action-error.ts';

/**
 * Keys under which pending flags and errors are kept, one per place the user can act, so an error
 * appears next to the toggle, field or dialog that caused it.
 */
export const actionKeys = {
  load: 'load',
  profile: 'profile',
  description: 'description',
  addAlternativeEmail: 'alternativeEmail.add',
  removeAlternativeEmail: (email: string) => `alternativeEmail.remove:${email}`,
  addLabel: 'label.add',
  removeLabel: (labelId: string) => `label.remove:${labelId}`,
  labelSuggestions: 'label.suggestions',
  webUserSearch: 'webUser.search',
  connectWebUser: 'webUser.connect',
  disconnectWebUser: 'webUser.disconnect',
  ticketRedeemed: (ticketId: string) => `ticket.redeemed:${ticketId}`,
  ticketBanned: (ticketId: string) => `ticket.banned:${ticketId}`,
  assignTickets: 'tickets.assign',
  assignTag: 'tags.assign',
  tagActive: (tagId: string) => `tag.active:${tagId}`,
  tagBanned: (tagId: string) => `tag.banned:${tagId}`,
  scanHistory: 'scanHistory',
  customerCsv: 'export.customerCsv',
  creditHistoryCsv: 'export.creditHistoryCsv',
} as const;

export interface ScanHistoryView {
  ticketId: string;
  phase: 'loading' | 'ready' | 'error';
  history: ScanHistory | null;
}

export interface WebUserSearchView {
  query: string;
  phase: 'idle' | 'loading' | 'done';
  results: WebUserSummary[];
}

export interface CardFilters {
  orderEventId: string | null;
  deletedOrders: boolean;
}

export interface CustomerCardState {
  customerId: string | null;
  card: CustomerCard | null;
  /** loading: first load of this customer (a reload after an action keeps the card shown). */
  phase: 'idle' | 'loading' | 'ready' | 'error';
  filters: CardFilters;
  pending: Record<string, boolean>;
  errors: Record<string, ActionError>;
  labelSuggestions: LabelSummary[];
  webUserSearch: WebUserSearchView;
  scanHistory: ScanHistoryView | null;

  open(customerId: string): Promise<void>;
  reload(): Promise<void>;
  setOrderEvent(eventId: string | null): Promise<void>;
  setDeletedOrders(deleted: boolean): Promise<void>;
  clearError(key: string): void;

  /** Every action resolves to true when the host accepted it (the card is then re-read). */
  updateProfile(changes: Omit<UpdateCustomerInput, 'customerId'>): Promise<boolean>;
  setDescription(description: string): Promise<boolean>;
  addAlternativeEmail(email: string): Promise<boolean>;
  removeAlternativeEmail(email: string): Promise<boolean>;
  loadLabelSuggestions(): Promise<void>;
  addLabel(label: string): Promise<boolean>;
  removeLabel(labelId: string): Promise<boolean>;
  searchWebUsers(query: string): Promise<void>;
  connectWebUser(webUserId: string): Promise<boolean>;
  disconnectWebUser(): Promise<boolean>;
  setTicketRedeemed(ticketId: string, redeemed: boolean): Promise<boolean>;
  setTicketBanned(ticketId: string, banned: boolean): Promise<boolean>;
  assignTickets(references: string[]): Promise<boolean>;
  assignTag(tag: { uid: string; ticketTypeId: string; makeActive: boolean }): Promise<boolean>;
  makeTagActive(tagId: string): Promise<boolean>;
  setTagBanned(tagId: string, banned: boolean): Promise<boolean>;
  openScanHistory(ticketId: string): Promise<void>;
  closeScanHistory(): void;
  /** The CSV the host made, or null (the error is then under the action's key). */
  exportCustomerCsv(): Promise<CsvFile | null>;
  exportCreditHistoryCsv(): Promise<CsvFile | null>;
}

export type CustomerCardStore = StoreApi<CustomerCardState>;

const noFilters: CardFilters = { orderEventId: null, deletedOrders: false };
const idleWebUserSearch: WebUserSearchView = { query: '', phase: 'idle', results: [] };

/** Splits what staff paste or type into the Assign ticket box: one reference per line or comma. */
export function parseReferences(text: string): string[] {
  return text
    .split(/[\n,;]+/)
    .map((reference) => reference.trim())
    .filter((reference) => reference !== '');
}

export function createCustomerCardStore(client: BoxOfficeClient): CustomerCardStore {
  let loadSeq = 0;
  let webUserSeq = 0;
  let scanSeq = 0;

  return createStore<CustomerCardState>()((set, get) => {
    function without<T>(record: Record<string, T>, key: string): Record<string, T> {
      if (!(key in record)) return record;
      const { [key]: _removed, ...rest } = record;
      return rest;
    }

    function setPending(key: string, on: boolean): void {
      set((state) => ({ pending: on ? { ...state.pending, [key]: true } : without(state.pending, key) }));
    }

    function setError(key: string, error: ActionError | undefined): void {
      set((state) => ({ errors: error ? { ...state.errors, [key]: error } : without(state.errors, key) }));
    }

    async function load(customerId: string, filters: CardFilters): Promise<void> {
      const seq = ++loadSeq;
      const result = await client.invoke('customers.card', {
        customerId,
        orderEventId: filters.orderEventId,
        deletedOrders: filters.deletedOrders,
      });
      // The user may have opened another customer (or changed a filter) meanwhile.
      if (seq !== loadSeq) return;
      if (result.ok) {
        set((state) => ({ card: result.value, phase: 'ready', errors: without(state.errors, actionKeys.load) }));
      } else {
        set((state) => ({ phase: state.card ? 'ready' : 'error', errors: { ...state.errors, [actionKeys.load]: actionError(result.error) } }));
      }
    }

    /**
     * Calls one command for the open customer and re-reads the card on success: every toggle acts at
     * once, and what the screen then shows is what the host stored (no optimistic state to undo).
     */
    async function act<K extends OperationName>(key: string, name: K, input: Input<K>): Promise<Result<Output<K>>> {
      const customerId = get().customerId;
      setPending(key, true);
      setError(key, undefined);
      const result = await client.invoke(name, input);
      if (get().customerId !== customerId) return result;
      setPending(key, false);
      if (!result.ok) {
        setError(key, actionError(result.error));
        return result;
      }
      if (customerId) await load(customerId, get().filters);
      return result;
    }

    function currentCustomer(): string {
      const customerId = get().customerId;
      if (!customerId) throw new Error('No customer card is open');
      return customerId;
    }

    async function exportCsv(key: string, name: 'export.customerCsv' | 'export.creditHistoryCsv'): Promise<CsvFile | null> {
      const customerId = currentCustomer();
      setPending(key, true);
      setError(key, undefined);
      const result = await client.invoke(name, { customerId });
      setPending(key, false);
      if (result.ok) return result.value;
      setError(key, actionError(result.error));
      return null;
    }

    return {
      customerId: null,
      card: null,
      phase: 'idle',
      filters: noFilters,
      pending: {},
      errors: {},
      labelSuggestions: [],
      webUserSearch: idleWebUserSearch,
      scanHistory: null,

      open(customerId) {
        webUserSeq += 1;
        scanSeq += 1;
        set({
          customerId,
          card: null,
          phase: 'loading',
          filters: noFilters,
          pending: {},
          errors: {},
          webUserSearch: idleWebUserSearch,
          scanHistory: null,
        });
        return load(customerId, noFilters);
      },

      reload() {
        const customerId = get().customerId;
        return customerId ? load(customerId, get().filters) : Promise.resolve();
      },

      setOrderEvent(orderEventId) {
        set((state) => ({ filters: { ...state.filters, orderEventId } }));
        return get().reload();
      },

      setDeletedOrders(deletedOrders) {
        set((state) => ({ filters: { ...state.filters, deletedOrders } }));
        return get().reload();
      },

      clearError(key) {
        setError(key, undefined);
      },

      async updateProfile(changes) {
        const result = await act(actionKeys.profile, 'customers.update', { ...changes, customerId: currentCustomer() });
        return result.ok;
      },

      async setDescription(description) {
        const result = await act(actionKeys.description, 'customers.setDescription', { customerId: currentCustomer(), description });
        return result.ok;
      },

      async addAlternativeEmail(email) {
        const result = await act(actionKeys.addAlternativeEmail, 'customers.addAlternativeEmail', { customerId: currentCustomer(), email });
        return result.ok;
      },

      async removeAlternativeEmail(email) {
        const result = await act(actionKeys.removeAlternativeEmail(email), 'customers.removeAlternativeEmail', { customerId: currentCustomer(), email });
        return result.ok;
      },

      async loadLabelSuggestions() {
        const result = await client.invoke('labels.list', {});
        if (result.ok) {
          set({ labelSuggestions: result.value.labels });
          setError(actionKeys.labelSuggestions, undefined);
        } else {
          setError(actionKeys.labelSuggestions, actionError(result.error));
        }
      },

      async addLabel(label) {
        const result = await act(actionKeys.addLabel, 'customers.addLabel', { customerId: currentCustomer(), label });
        if (result.ok) void get().loadLabelSuggestions();
        return result.ok;
      },

      async removeLabel(labelId) {
        const result = await act(actionKeys.removeLabel(labelId), 'customers.removeLabel', { customerId: currentCustomer(), labelId });
        return result.ok;
      },

      async searchWebUsers(query) {
        const seq = ++webUserSeq;
        const trimmed = query.trim();
        setError(actionKeys.webUserSearch, undefined);
        if (trimmed === '') {
          set({ webUserSearch: { query, phase: 'idle', results: [] } });
          return;
        }
        set((state) => ({ webUserSearch: { ...state.webUserSearch, query, phase: 'loading' } }));
        const result = await client.invoke('webUsers.search', { query: trimmed });
        if (seq !== webUserSeq) return;
        if (result.ok) {
          set({ webUserSearch: { query, phase: 'done', results: result.value.webUsers } });
        } else {
          set({ webUserSearch: { query, phase: 'done', results: [] } });
          setError(actionKeys.webUserSearch, actionError(result.error));
        }
      },

      async connectWebUser(webUserId) {
        const result = await act(actionKeys.connectWebUser, 'customers.connectWebUser', { customerId: currentCustomer(), webUserId });
        if (result.ok) set({ webUserSearch: idleWebUserSearch });
        return result.ok;
      },

      async disconnectWebUser() {
        const result = await act(actionKeys.disconnectWebUser, 'customers.disconnectWebUser', { customerId: currentCustomer() });
        return result.ok;
      },

      async setTicketRedeemed(ticketId, redeemed) {
        const result = await act(actionKeys.ticketRedeemed(ticketId), 'tickets.setRedeemed', { ticketId, redeemed });
        return result.ok;
      },

      async setTicketBanned(ticketId, banned) {
        const result = await act(actionKeys.ticketBanned(ticketId), 'tickets.setBanned', { ticketId, banned });
        return result.ok;
      },

      async assignTickets(references) {
        const result = await act(actionKeys.assignTickets, 'tickets.assign', { customerId: currentCustomer(), references });
        return result.ok;
      },

      async assignTag({ uid, ticketTypeId, makeActive }) {
        const result = await act(actionKeys.assignTag, 'tags.assign', { customerId: currentCustomer(), uid, ticketTypeId, makeActive });
        return result.ok;
      },

      async makeTagActive(tagId) {
        const result = await act(actionKeys.tagActive(tagId), 'tags.makeActive', { tagId });
        return result.ok;
      },

      async setTagBanned(tagId, banned) {
        const result = await act(actionKeys.tagBanned(tagId), 'tags.setBanned', { tagId, banned });
        return result.ok;
      },

      async openScanHistory(ticketId) {
        const seq = ++scanSeq;
        setError(actionKeys.scanHistory, undefined);
        set({ scanHistory: { ticketId, phase: 'loading', history: null } });
        const result = await client.invoke('tickets.scanHistory', { ticketId });
        if (seq !== scanSeq) return;
        if (result.ok) {
          set({ scanHistory: { ticketId, phase: 'ready', history: result.value } });
        } else {
          set({ scanHistory: { ticketId, phase: 'error', history: null } });
          setError(actionKeys.scanHistory, actionError(result.error));
        }
      },

      closeScanHistory() {
        scanSeq += 1;
        set({ scanHistory: null });
        setError(actionKeys.scanHistory, undefined);
      },

      exportCustomerCsv() {
        return exportCsv(actionKeys.customerCsv, 'export.customerCsv');
      },

      exportCreditHistoryCsv() {
        return exportCsv(actionKeys.creditHistoryCsv, 'export.creditHistoryCsv');
      },
    };
  });
}
