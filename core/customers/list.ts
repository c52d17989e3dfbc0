import { sql as raw } from 'kysely';
import { sql, type Store } from '../../db/store.ts';
import type { VerificationStatus } from '../../db/schema.ts';
import { compareCodePoints } from './code-points.ts';
import { fullName } from './display-name.ts';
import type { CustomerListInput, CustomerListOutput } from './queries.contract.ts';

/**
 * The customers list (seed 001): a page of live customers filtered by verification status and
 * sorted by name, creation or total spent. Each sort has an index (with and without the status in
 * front; ties break on the status, then on the row key search_rowid, as the index entries are
 * ordered: (sort key, verification_status, search_rowid)), so a page is an index walk and never a sort of the whole table.
 *
 * deleted_at is in none of those indexes: a plain `deleted_at IS NULL ... OFFSET n` reads the row
 * of every skipped entry (80 ms at offset 100,000 of 500,000). OFFSET over the index alone skips
 * entries without reading rows (2 ms), so pages are found that way: directly while there are no
 * deleted customers (the usual case: they only arrive by sync), else by locating the page's first
 * live row from the index and the few deleted rows (partial index customers_deleted).
 */

const sortColumns = {
  name: 'sort_name',
  created: 'created_at',
  total_spent: 'total_spent',
} as const;

type Status = CustomerListInput['status'];

/**
 * The status filter is written `+verification_status = ?`: SQLite would otherwise treat the
 * column as a constant, drop it from the ORDER BY and then find the index order (sort key,
 * status, row key) no longer matching, sorting in a temp b-tree. The unary plus keeps it a filter
 * checked on each index entry.
 */
function customersWithStatus(status: Status) {
  const query = sql.selectFrom('customers');
  return status === 'all' ? query : query.where(raw<VerificationStatus>`+verification_status`, '=', status);
}

export function listCustomers(store: Store, input: CustomerListInput): CustomerListOutput {
  const counts = countCustomers(store, input.status);
  const column = sortColumns[input.sort];
  const direction = input.direction;
  let page = customersWithStatus(input.status)
    .select([
      'id',
      'first_name',
      'last_name',
      'email',
      'phone',
      'verification_status',
      'total_spent',
      'order_count',
      'created_at',
    ])
    .orderBy(column, direction)
    .orderBy('verification_status', direction)
    .orderBy('search_rowid', direction)
    .limit(input.limit);

  if (counts.deleted === 0) {
    page = page.offset(input.offset);
  } else {
    const first = firstLiveRow(store, input);
    if (first === undefined) return { total: counts.live, rows: [] };
    page = page
      .where('deleted_at', 'is', null)
      .where((eb) =>
        eb(eb.refTuple(column, 'verification_status', 'search_rowid'), direction === 'asc' ? '>=' : '<=', eb.tuple(first.key, first.status, first.rowid)),
      );
  }

  const rows = store.all(page).map((row) => ({
    customerId: row.id,
    name: fullName(row.first_name, row.last_name),
    email: row.email,
    phone: row.phone,
    verificationStatus: row.verification_status,
    totalSpent: row.total_spent,
    orderCount: row.order_count,
    createdAt: row.created_at,
  }));
  return { total: counts.live, rows };
}

/**
 * The sort key of the live row with `offset` live rows before it. Starting at that position in
 * the index (deleted rows included), it moves forward by the deleted rows sorting before the
 * candidate until the candidate is live and exactly `offset` live rows precede it. Each step is an
 * index-only skip; the deleted rows' keys are read once (partial index) and compared here, since
 * a range test on the sort index would lead SQLite to walk that index instead.
 */
function firstLiveRow(store: Store, input: CustomerListInput): SortKey | undefined {
  const column = sortColumns[input.sort];
  const direction = input.direction === 'asc' ? 1 : -1;
  const deleted = deletedKeys(store, input.status, column);
  let position = input.offset;
  for (;;) {
    const candidate = store.first(
      customersWithStatus(input.status)
        .select([`${column} as key`, 'verification_status as status', 'search_rowid as rowid', 'deleted_at'])
        .orderBy(column, input.direction)
        .orderBy('verification_status', input.direction)
        .orderBy('search_rowid', input.direction)
        .limit(1)
        .offset(position),
    );
    if (!candidate) return undefined;
    const deletedBefore = deleted.filter((key) => compareSortKeys(key, candidate) * direction < 0).length;
    const liveBefore = position - deletedBefore;
    if (liveBefore === input.offset && candidate.deleted_at === null) return { key: candidate.key, status: candidate.status, rowid: candidate.rowid };
    position = liveBefore < input.offset ? input.offset + deletedBefore : position + 1;
  }
}

interface SortKey {
  key: string | number;
  status: VerificationStatus;
  rowid: number;
}

/** Orders sort keys as SQLite's BINARY collation does: numbers by value, text by code point. */
export function compareSortKeys(a: SortKey, b: SortKey): number {
  const byKey =
    typeof a.key === 'number' && typeof b.key === 'number' ? Math.sign(a.key - b.key) : compareCodePoints(String(a.key), String(b.key));
  if (byKey !== 0) return byKey;
  const byStatus = compareCodePoints(a.status, b.status);
  return byStatus !== 0 ? byStatus : Math.sign(a.rowid - b.rowid);
}

interface CustomerCounts {
  live: number;
  deleted: number;
}

interface StatusCache {
  counts: CustomerCounts;
  deletedKeys: Map<string, SortKey[]>;
}

interface ListCache {
  version: string;
  byStatus: Map<Status, StatusCache>;
}

const listCaches = new WeakMap<Store, ListCache>();

/**
 * What the list keeps per status until the database changes: the counts and the deleted rows'
 * sort keys. Counting 350,000 index entries takes ~10 ms and scrolling asks for page after page
 * with the same filter. data_version moves when another connection commits, total_changes()
 * when this one writes.
 */
function statusCache(store: Store, status: Status): StatusCache {
  const dataVersion = (store.statement('PRAGMA data_version').get() as { data_version: number }).data_version;
  const changes = (store.statement('SELECT total_changes() AS changes').get() as { changes: number }).changes;
  const version = `${dataVersion}:${changes}`;
  let cache = listCaches.get(store);
  if (!cache || cache.version !== version) {
    cache = { version, byStatus: new Map() };
    listCaches.set(store, cache);
  }
  let entry = cache.byStatus.get(status);
  if (!entry) {
    entry = { counts: countFromIndexes(store, status), deletedKeys: new Map() };
    cache.byStatus.set(status, entry);
  }
  return entry;
}

/** Live and deleted customers with a status (the list's total is the live count). */
export function countCustomers(store: Store, status: Status): CustomerCounts {
  return statusCache(store, status).counts;
}

/**
 * Counted as all rows (a b-tree count, or a range of the status index) minus deleted ones (partial
 * index customers_deleted), because deleted_at is in no other index and filtering on it would read
 * every row.
 */
function countFromIndexes(store: Store, status: Status): CustomerCounts {
  const all = customersWithStatus(status).select((eb) => eb.fn.countAll<number>().as('count'));
  const deleted = all.where('deleted_at', 'is not', null);
  const deletedCount = Number(store.first(deleted)?.count ?? 0);
  return { live: Number(store.first(all)?.count ?? 0) - deletedCount, deleted: deletedCount };
}

function deletedKeys(store: Store, status: Status, column: (typeof sortColumns)[keyof typeof sortColumns]): SortKey[] {
  const cache = statusCache(store, status);
  let keys = cache.deletedKeys.get(column);
  if (!keys) {
    keys = store.all(
      customersWithStatus(status)
        .select([`${column} as key`, 'verification_status as status', 'search_rowid as rowid'])
        .where('deleted_at', 'is not', null),
    );
    cache.deletedKeys.set(column, keys);
  }
  return keys;
}
