import { envelopeOfOutboxRow, rerunEnvelope } from '../../core/commands/command.ts';
import { commandKey } from '../../core/commands/envelope.ts';
import { NothingChanged } from '../../core/commands/nothing-changed.ts';
import { commandRegistry, type CommandRegistry } from '../../core/commands/registry.ts';
import { reindexCustomer } from '../../core/customers/search-index.ts';
import { sql, type Store } from '../../db/store.ts';
import { tableColumns } from '../../db/synced-tables.ts';

/**
 * The rebase of a pull page (DESIGN.md section 6, "Apply on the terminal"), in the page's
 * transaction: the unsettled commands' effects are undone from their before-images (migration
 * 0015), the caller upserts the server's rows, and the commands still unsettled run again on top,
 * capturing new images. Afterwards the terminal holds the server's state plus its pending commands.
 *
 * A command is unsettled while its effects are not in the rows this terminal pulled: pending, or
 * acknowledged by a push whose effects a later page will bring. Rejected ones are undone and never
 * run again. The projections the undo and the upserts touch (the customer search index) are
 * refreshed at the end; the commands that ran again refreshed their own.
 */

/** Customers whose search row may be stale: by id, and by rowid for those an undo deleted. */
export class TouchedCustomers {
  readonly ids = new Set<string>();
  readonly rowids = new Set<number>();

  /** Reindexes each touched customer, and drops the search row of those an undo removed. */
  refresh(store: Store): void {
    const ids = new Set(this.ids);
    for (const rowid of this.rowids) {
      const customer = store.statement('SELECT id FROM customers WHERE search_rowid = ?').get(rowid) as { id: string } | undefined;
      if (customer) ids.add(customer.id);
      else store.statement('DELETE FROM customer_search WHERE rowid = ?').run(rowid);
    }
    for (const id of ids) reindexCustomer(store, id);
  }
}

interface ImageRow {
  seq: number;
  table_name: string;
  row_id: number;
  image: string | null;
}

/**
 * Undoes every unsettled command's local effects, newest write first, and forgets their images (the
 * commands that run again capture new ones). Returns how many commands it undid. The caller has
 * deferred foreign keys: a command's parent and child rows come back in either order.
 */
export function undoUnsettledCommands(store: Store, touched: TouchedCustomers): number {
  const images = store.statement('SELECT seq, table_name, row_id, image FROM before_images ORDER BY id DESC').all() as ImageRow[];
  const commands = new Set<number>();
  const columns = new Map<string, string[]>();
  for (const image of images) {
    commands.add(image.seq);
    noteTouched(store, image, touched);
    let names = columns.get(image.table_name);
    if (!names) columns.set(image.table_name, (names = tableColumns(store.db, image.table_name).map((column) => column.name)));
    restore(store, image, names);
  }
  store.statement('DELETE FROM before_images').run();
  return commands.size;
}

function noteTouched(store: Store, image: ImageRow, touched: TouchedCustomers): void {
  if (image.table_name === 'customers') touched.rowids.add(image.row_id);
  if (image.table_name === 'customer_emails') {
    const current = store.statement('SELECT customer_id FROM customer_emails WHERE rowid = ?').get(image.row_id) as { customer_id: string } | undefined;
    if (current) touched.ids.add(current.customer_id);
    if (image.image !== null) touched.ids.add((JSON.parse(image.image) as { customer_id: string }).customer_id);
  }
}

/** Puts one row back as its image says: deleted when it was absent, else rewritten (or inserted again) with every column. */
function restore(store: Store, image: ImageRow, columns: readonly string[]): void {
  const table = `"${image.table_name}"`;
  if (image.image === null) {
    store.statement(`DELETE FROM ${table} WHERE rowid = ?`).run(image.row_id);
    return;
  }
  const row = JSON.parse(image.image) as Record<string, unknown>;
  const values = columns.map((column) => row[column] ?? null);
  const { changes } = store.statement(`UPDATE ${table} SET ${columns.map((column) => `"${column}" = ?`).join(', ')} WHERE rowid = ?`).run(...values, image.row_id);
  if (changes === 0) store.statement(`INSERT INTO ${table} (rowid, ${columns.map((column) => `"${column}"`).join(', ')}) VALUES (?, ${columns.map(() => '?').join(', ')})`).run(image.row_id, ...values);
}

export interface Rerun {
  /** Commands run again on top of the server's rows. */
  rerun: number;
  /** Commands that no longer apply on the server's rows (their effects are absent here until the server decides), with why. */
  failed: { seq: number; command: string; message: string }[];
}

/**
 * Runs again, in seq order, every command after `settled` that the server did not reject, each in
 * its own savepoint: one that fails now (its ticket was cancelled meanwhile, say) leaves no effect
 * and stays in the outbox for the server to decide.
 */
export function rerunUnsettledCommands(store: Store, settled: number, registry: CommandRegistry = commandRegistry): Rerun {
  const rows = store.all(sql.selectFrom('outbox').selectAll().where('seq', '>', settled).where('status', '<>', 'rejected').orderBy('seq'));
  const outcome: Rerun = { rerun: 0, failed: [] };
  for (const row of rows) {
    const envelope = envelopeOfOutboxRow(row);
    const command = registry.get(commandKey(envelope));
    try {
      if (!command) throw new Error(`This terminal cannot run ${commandKey(envelope)}`);
      rerunEnvelope(store, command, { ...envelope, seq: row.seq });
      outcome.rerun += 1;
    } catch (error) {
      if (error instanceof NothingChanged) {
        outcome.rerun += 1;
        continue;
      }
      outcome.failed.push({ seq: row.seq, command: commandKey(envelope), message: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcome;
}
