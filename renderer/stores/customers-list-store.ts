import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BoxOfficeClient, CustomerListRow, CustomerSearchResult, EventSummary } from '../api/operations.ts';
import type { VerificationStatus } from '../../core/enumerations.ts';

export type StatusFilter = 'all' | VerificationStatus;
export type SortColumn = 'name' | 'created' | 'total_spent';
export type SortDirection = 'asc' | 'desc';

export interface SearchState {
  /** waiting: typed, debounce running; loading: asked the host; done: results are for `forQuery`. */
  phase: 'idle' | 'waiting' | 'loading' | 'done';
  results: CustomerSearchResult[];
  forQuery: string;
  error: string | null;
}

export interface CustomersListState {
  query: string;
  search: SearchState;
  status: StatusFilter;
  sort: SortColumn;
  direction: SortDirection;
  /** Rows in the filtered list (customers.list `total`); null until the first page arrives. */
  total: number | null;
  /** Loaded pages of the list, by page index; pages far from the viewport are dropped. */
  pages: Record<number, CustomerListRow[]>;
  listError: string | null;
  /** Index of the selected row in what is shown (search results, or the list without a query). */
  selectedIndex: number;
  /** Currency of the event (events.list), for the Total amount spent column. */
  currency: string;
  /** The data folder's events with their ticket types (events.list). */
  events: EventSummary[];

  setQuery(query: string): void;
  /** Runs a pending (debounced) search now; resolves when the latest search has its answer. */
  flushSearch(): Promise<void>;
  setStatusFilter(status: StatusFilter): void;
  /** Sorts by a column; the same column again flips the direction. */
  sortBy(column: SortColumn): void;
  /** The rows the list shows now (virtualiser range): loads the pages they are on. */
  showRange(startIndex: number, endIndex: number): void;
  /** Loads the list again from the host (after a change elsewhere), keeping filter and sort. */
  refresh(): void;
  moveSelection(delta: number): void;
  select(index: number): void;
  /** Stops timers; the store must not be used afterwards. */
  dispose(): void;
}

export interface CustomersListOptions {
  searchDelayMs?: number;
  pageSize?: number;
  /** Scrolling fast through 500,000 rows must not load every page passed on the way. */
  rangeDelayMs?: number;
  /** Pages kept in memory; the farthest from the viewport go first. */
  maxPages?: number;
  searchLimit?: number;
}

export type CustomersListStore = StoreApi<CustomersListState>;

/** Rows shown right now: search results with a query, the paged list without. */
export function isSearching(state: Pick<CustomersListState, 'query'>): boolean {
  return state.query.trim() !== '';
}

export function shownRowCount(state: CustomersListState): number {
  return isSearching(state) ? state.search.results.length : (state.total ?? 0);
}

export function listRowAt(state: Pick<CustomersListState, 'pages'>, index: number, pageSize: number): CustomerListRow | undefined {
  return state.pages[Math.floor(index / pageSize)]?.[index % pageSize];
}

export function selectedCustomerId(state: CustomersListState, pageSize: number): string | undefined {
  if (isSearching(state)) return state.search.results[state.selectedIndex]?.customerId;
  return listRowAt(state, state.selectedIndex, pageSize)?.customerId;
}

const idleSearch: SearchState = { phase: 'idle', results: [], forQuery: '', error: null };

export const defaultPageSize = 100;
/** Search results asked for per query: enough to pick from, small enough to answer at once. */
export const searchLimit = 50;

export function createCustomersListStore(client: BoxOfficeClient, options: CustomersListOptions = {}): CustomersListStore {
  const searchDelayMs = options.searchDelayMs ?? 120;
  const pageSize = options.pageSize ?? defaultPageSize;
  const rangeDelayMs = options.rangeDelayMs ?? 60;
  const maxPages = options.maxPages ?? 40;
  const limit = options.searchLimit ?? searchLimit;

  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  let searchSeq = 0;
  let latestSearch: Promise<void> = Promise.resolve();
  let rangeTimer: ReturnType<typeof setTimeout> | undefined;
  let wanted = { start: 0, end: 0 };
  // Bumped when filter or sort change: pages asked for before belong to another ordering.
  let generation = 0;
  const loadingPages = new Set<number>();

  const store = createStore<CustomersListState>()((set, get) => {
    /** The query goes as typed: a ticket reference is the exact barcode text (the host trims too). */
    async function runSearch(query: string): Promise<void> {
      const seq = ++searchSeq;
      set((state) => ({ search: { ...state.search, phase: 'loading', error: null } }));
      const result = await client.invoke('customers.search', { query, limit });
      // A slower answer to an older keystroke must never replace a newer one.
      if (seq !== searchSeq) return;
      if (result.ok) {
        set({ search: { phase: 'done', results: result.value.results, forQuery: query, error: null }, selectedIndex: 0 });
      } else {
        set({ search: { phase: 'done', results: [], forQuery: query, error: result.error.message }, selectedIndex: 0 });
      }
    }

    function startSearch(query: string): Promise<void> {
      latestSearch = runSearch(query);
      return latestSearch;
    }

    async function loadPage(page: number): Promise<void> {
      const asked = generation;
      loadingPages.add(page);
      const { status, sort, direction } = get();
      const result = await client.invoke('customers.list', { status, sort, direction, offset: page * pageSize, limit: pageSize });
      if (asked !== generation) return;
      loadingPages.delete(page);
      if (!result.ok) {
        set({ listError: result.error.message });
        return;
      }
      set((state) => ({
        total: result.value.total,
        listError: null,
        pages: keepNearest({ ...state.pages, [page]: result.value.rows }),
      }));
    }

    function keepNearest(pages: Record<number, CustomerListRow[]>): Record<number, CustomerListRow[]> {
      const indexes = Object.keys(pages).map(Number);
      if (indexes.length <= maxPages) return pages;
      const centre = (wanted.start + wanted.end) / 2 / pageSize;
      const kept = indexes.sort((a, b) => Math.abs(a - centre) - Math.abs(b - centre)).slice(0, maxPages);
      return Object.fromEntries(kept.map((index) => [index, pages[index] ?? []]));
    }

    function loadWanted(): void {
      rangeTimer = undefined;
      const { pages, total } = get();
      const last = total === null ? 0 : Math.max(0, Math.ceil(total / pageSize) - 1);
      const first = Math.floor(Math.max(0, wanted.start) / pageSize);
      const end = Math.min(last, Math.floor(Math.max(0, wanted.end) / pageSize));
      for (let page = first; page <= end; page += 1) {
        if (!pages[page] && !loadingPages.has(page)) void loadPage(page);
      }
    }

    function reloadList(): void {
      generation += 1;
      loadingPages.clear();
      if (rangeTimer !== undefined) clearTimeout(rangeTimer);
      set({ pages: {}, total: null, listError: null, selectedIndex: 0 });
      wanted = { start: 0, end: pageSize - 1 };
      void loadPage(0);
    }

    return {
      query: '',
      search: idleSearch,
      status: 'all',
      sort: 'name',
      direction: 'asc',
      total: null,
      pages: {},
      listError: null,
      selectedIndex: 0,
      currency: 'EUR',
      events: [],

      setQuery(query) {
        if (searchTimer !== undefined) clearTimeout(searchTimer);
        searchTimer = undefined;
        const trimmed = query.trim();
        if (trimmed === '') {
          searchSeq += 1;
          set({ query, search: idleSearch, selectedIndex: 0 });
          if (get().total === null && !loadingPages.has(0)) reloadList();
          return;
        }
        if (trimmed === get().query.trim() && get().search.phase !== 'idle') {
          set({ query });
          return;
        }
        // An answer still on its way belongs to the text before this keystroke: drop it, or it
        // would show as this query's results (not busy) until the debounced search answers.
        searchSeq += 1;
        set((state) => ({ query, search: { ...state.search, phase: 'waiting', error: null } }));
        searchTimer = setTimeout(() => {
          searchTimer = undefined;
          void startSearch(get().query);
        }, searchDelayMs);
      },

      flushSearch() {
        if (searchTimer !== undefined) {
          clearTimeout(searchTimer);
          searchTimer = undefined;
          return startSearch(get().query);
        }
        return latestSearch;
      },

      setStatusFilter(status) {
        if (status === get().status) return;
        set({ status });
        reloadList();
      },

      sortBy(column) {
        const { sort, direction } = get();
        set(column === sort ? { direction: direction === 'asc' ? 'desc' : 'asc' } : { sort: column, direction: column === 'total_spent' ? 'desc' : 'asc' });
        reloadList();
      },

      showRange(startIndex, endIndex) {
        wanted = { start: startIndex, end: endIndex };
        if (rangeTimer !== undefined) clearTimeout(rangeTimer);
        rangeTimer = setTimeout(loadWanted, rangeDelayMs);
      },

      refresh() {
        const { start, end } = wanted;
        generation += 1;
        loadingPages.clear();
        set({ pages: {} });
        wanted = { start, end };
        void loadPage(Math.floor(start / pageSize)).then(loadWanted);
        if (isSearching(get())) void startSearch(get().query);
      },

      moveSelection(delta) {
        const count = shownRowCount(get());
        if (count === 0) return;
        const next = Math.min(count - 1, Math.max(0, get().selectedIndex + delta));
        set({ selectedIndex: next });
      },

      select(index) {
        const count = shownRowCount(get());
        if (index >= 0 && index < count) set({ selectedIndex: index });
      },

      dispose() {
        if (searchTimer !== undefined) clearTimeout(searchTimer);
        if (rangeTimer !== undefined) clearTimeout(rangeTimer);
        searchSeq += 1;
        generation += 1;
      },
    };
  });

  store.getState().setQuery('');
  void client.invoke('events.list', {}).then((result) => {
    if (!result.ok) return;
    const currency = result.value.events[0]?.currency;
    store.setState({ events: result.value.events, ...(currency ? { currency } : {}) });
  });
  return store;
}
