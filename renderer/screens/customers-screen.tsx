import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent, type ReactElement } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../app-context.tsx';
import { useMayCall } from './sign-in-screen.tsx';
import type { CustomerListRow, CustomerSearchResult } from '../api/operations.ts';
import { Icon } from '../components/icons.tsx';
import { formatDate } from '../format/dates.ts';
import { formatMoney } from '../format/money.ts';
import { verificationLabel } from '../format/statuses.ts';
import { formatTagUid } from '../format/tag-uid.ts';
import { navigate } from '../routing/use-hash-route.ts';
import {
  defaultPageSize,
  isSearching,
  listRowAt,
  searchLimit,
  selectedCustomerId,
  shownRowCount,
  type SortColumn,
  type StatusFilter,
} from '../stores/customers-list-store.ts';

const rowHeight = 44;

const matchLabels: Record<CustomerSearchResult['matchedBy'], string> = {
  ticket: 'Ticket',
  tag: 'Tag',
  email: 'Email',
  phone: 'Phone',
  name: 'Name',
};

function matchText(result: CustomerSearchResult): string {
  // A name or main e-mail match is visible in its own column; credentials and other values are not.
  const visible = result.matchedBy === 'name' || (result.matchedBy === 'email' && result.matchedValue === result.email);
  if (!result.matchedValue || visible) return matchLabels[result.matchedBy];
  const value = result.matchedBy === 'tag' ? formatTagUid(result.matchedValue) : result.matchedValue;
  return `${matchLabels[result.matchedBy]} ${value}`;
}

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

function openCustomer(customerId: string | undefined): void {
  if (customerId) navigate({ screen: 'customer', customerId });
}

interface ColumnSpec {
  label: string;
  sort?: SortColumn;
}

function SortHeader({ column, className }: { column: ColumnSpec; className: string }): ReactElement {
  const { customersList } = useServices();
  const sort = useStore(customersList, (state) => state.sort);
  const direction = useStore(customersList, (state) => state.direction);
  const searching = useStore(customersList, (state) => isSearching(state));
  const sortBy = useStore(customersList, (state) => state.sortBy);
  const active = !searching && column.sort !== undefined && column.sort === sort;
  const ariaSort = active ? (direction === 'asc' ? 'ascending' : 'descending') : undefined;
  return (
    <div role="columnheader" className={className} aria-sort={ariaSort}>
      {column.sort && !searching ? (
        <button type="button" className="sort-button" onClick={() => column.sort && sortBy(column.sort)}>
          {column.label}
          <span className="sort-mark" aria-hidden="true">
            {active ? (direction === 'asc' ? '▲' : '▼') : '↕'}
          </span>
        </button>
      ) : (
        column.label
      )}
    </div>
  );
}

function Row({
  index,
  row,
  selected,
  currency,
  searching,
  start,
}: {
  index: number;
  row: CustomerListRow | CustomerSearchResult | undefined;
  selected: boolean;
  currency: string;
  searching: boolean;
  start: number;
}): ReactElement {
  const { customersList } = useServices();
  const select = useStore(customersList, (state) => state.select);
  const style = { transform: `translateY(${start}px)`, height: rowHeight };
  if (!row) {
    return (
      <div role="row" aria-rowindex={index + 2} className="grid-row grid-row-loading" style={style}>
        <div role="gridcell" className="col-name">
          <span className="skeleton" aria-label="Loading" />
        </div>
      </div>
    );
  }
  return (
    <div
      role="row"
      id={`customer-row-${index}`}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={selected ? 'grid-row grid-row-selected' : 'grid-row'}
      style={style}
      onClick={() => {
        select(index);
        openCustomer(row.customerId);
      }}
    >
      <div role="gridcell" className="col-name">
        <a href={`#/customers/${encodeURIComponent(row.customerId)}`} tabIndex={-1} className={row.name ? 'row-name' : 'row-name row-anonymous'}>
          {row.name ?? 'Anonymous customer'}
        </a>
      </div>
      <div role="gridcell" className="col-email">
        {row.email ?? '—'}
      </div>
      <div role="gridcell" className="col-spent numeric">
        {formatMoney(row.totalSpent, currency)}
      </div>
      <div role="gridcell" className="col-status">
        <span className={`badge badge-${row.verificationStatus}`}>{verificationLabel(row.verificationStatus)}</span>
      </div>
      <div role="gridcell" className="col-extra">
        {searching && 'matchedBy' in row ? matchText(row) : 'createdAt' in row ? formatDate(row.createdAt) : ''}
      </div>
    </div>
  );
}

export function CustomersScreen(): ReactElement {
  const { customersList } = useServices();
  const mayImport = useMayCall('import.customers');
  const state = useStore(customersList);
  const searchRef = useRef<HTMLInputElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const searching = isSearching(state);
  const count = shownRowCount(state);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (!searching) state.showRange(first, last);
  }, [first, last, searching, state.showRange, state.total, state.status, state.sort, state.direction]);

  useEffect(() => {
    if (count > 0) virtualizer.scrollToIndex(state.selectedIndex, { align: 'auto' });
  }, [state.selectedIndex, count, virtualizer]);

  useEffect(() => {
    searchRef.current?.focus();
    // Coming back from a card: what was changed there (status, totals) shows in the list.
    if (customersList.getState().total !== null) customersList.getState().refresh();
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key === '/' && !isTypingTarget(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [customersList]);

  function navigationKeys(event: KeyboardEvent<HTMLElement>): boolean {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    const move = moves[event.key];
    if (move !== undefined) {
      event.preventDefault();
      state.moveSelection(move);
      return true;
    }
    if (event.key === 'Home' && event.currentTarget.getAttribute('role') === 'grid') {
      event.preventDefault();
      state.select(0);
      return true;
    }
    if (event.key === 'End' && event.currentTarget.getAttribute('role') === 'grid') {
      event.preventDefault();
      state.select(count - 1);
      return true;
    }
    return false;
  }

  async function openSelected(): Promise<void> {
    await customersList.getState().flushSearch();
    openCustomer(selectedCustomerId(customersList.getState(), defaultPageSize));
  }

  const rowFor = (index: number) => (searching ? state.search.results[index] : listRowAt(state, index, defaultPageSize));
  const selectedRowId = count > 0 && rowFor(state.selectedIndex) ? `customer-row-${state.selectedIndex}` : undefined;
  const busy = searching ? state.search.phase === 'waiting' || state.search.phase === 'loading' : state.total === null && !state.listError;
  const error = searching ? state.search.error : state.listError;
  const columns: { spec: ColumnSpec; className: string }[] = [
    { spec: { label: 'Name', sort: 'name' }, className: 'col-name' },
    { spec: { label: 'Email' }, className: 'col-email' },
    { spec: { label: 'Total amount spent', sort: 'total_spent' }, className: 'col-spent numeric' },
    { spec: { label: 'Status' }, className: 'col-status' },
    { spec: searching ? { label: 'Matched by' } : { label: 'Created', sort: 'created' }, className: 'col-extra' },
  ];

  let summary: string;
  if (searching) {
    if (busy) summary = 'Searching…';
    else if (count >= searchLimit) summary = `First ${count} matches: type more to narrow down`;
    else summary = `${count.toLocaleString()} ${count === 1 ? 'match' : 'matches'}`;
  } else {
    if (state.total !== null) summary = `${state.total.toLocaleString()} customers`;
    else summary = state.listError ? '' : 'Loading customers…';
  }

  return (
    <section className="customers-screen" aria-labelledby="customers-title">
      <header className="screen-header">
        <h1 id="customers-title">Customers</h1>
        <p className="screen-summary" role="status" aria-live="polite">
          {summary}
        </p>
      </header>
      <div className="toolbar">
        <div className="search-box">
          <Icon name="search" />
          <input
            ref={searchRef}
            type="search"
            aria-label="Search customers"
            data-scan-target="customer-search"
            aria-describedby="search-help"
            aria-controls="customers-grid"
            placeholder="Name, email, phone, ticket number or tag UID"
            value={state.query}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => state.setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (navigationKeys(event)) return;
              if (event.key === 'Enter') {
                event.preventDefault();
                void openSelected();
              } else if (event.key === 'Escape' && state.query !== '') {
                event.preventDefault();
                state.setQuery('');
              }
            }}
          />
          <kbd aria-hidden="true">/</kbd>
        </div>
        <label className="inline-label">
          Status
          <select
            aria-label="Status filter"
            value={state.status}
            disabled={searching}
            onChange={(event) => state.setStatusFilter(event.target.value as StatusFilter)}
          >
            <option value="all">All</option>
            <option value="verified">Verified</option>
            <option value="non_verified">Non-verified</option>
          </select>
        </label>
        {mayImport ? (
          <a href="#/import" className="ghost-button toolbar-end">
            <Icon name="upload" />
            Import customers
          </a>
        ) : null}
      </div>
      <p id="search-help" className="visually-hidden">
        Type to search. Arrow keys move the selection, Enter opens the customer card, Escape clears the search.
      </p>
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
      <div
        id="customers-grid"
        role="grid"
        aria-label={searching ? 'Search results' : 'Customers'}
        aria-rowcount={count + 1}
        aria-activedescendant={selectedRowId}
        aria-busy={busy}
        tabIndex={0}
        className="grid"
        onKeyDown={(event) => {
          if (navigationKeys(event)) return;
          if (event.key === 'Enter') {
            event.preventDefault();
            void openSelected();
          }
        }}
      >
        <div role="rowgroup" className="grid-head">
          <div role="row" aria-rowindex={1} className="grid-row grid-row-head">
            {columns.map((column) => (
              <SortHeader key={column.spec.label} column={column.spec} className={column.className} />
            ))}
          </div>
        </div>
        <div ref={scrollRef} className="grid-scroll">
          {count === 0 && !busy && !error ? (
            <div className="empty-state">
              {searching ? (
                <p>No customer matches “{state.query.trim()}”. Try a name, an email, a phone number, a ticket number or a tag UID.</p>
              ) : (
                <p>No customers{state.status === 'all' ? ' yet' : ` with status ${state.status === 'verified' ? 'Verified' : 'Non-verified'}`}.</p>
              )}
            </div>
          ) : null}
          <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => (
              <Row
                key={item.key}
                index={item.index}
                start={item.start}
                row={rowFor(item.index)}
                selected={item.index === state.selectedIndex}
                currency={state.currency}
                searching={searching}
              />
            ))}
          </div>
        </div>
      </div>
    </section>
  );
}
