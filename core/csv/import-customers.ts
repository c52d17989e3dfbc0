import type { CoreContext } from '../commands/command.ts';
import { runCommand } from '../commands/command.ts';
import { invalid } from '../errors.ts';
import { resolveEvent } from '../events/current.ts';
import { newId } from '../ids.ts';
import { parseInput } from '../validation.ts';
import { sql } from '../../db/store.ts';
import {
  importCustomersInputSchema,
  type ImportCustomersInput,
  type ImportCustomersResult,
  type ImportRejection,
} from './csv.contract.ts';
import { canIdentifyCustomers, cellsByField, chosenMapping, mapHeader } from './header-mapping.ts';
import { importCustomersBatch, UnchangedBatch } from './import-batch.ts';
import { createImportedEvent, importedEventDefaults } from './import-event.ts';
import { ImportState, planBatch, type BatchPlan } from './import-plan.ts';
import { parseImportRow, type ImportRow } from './import-row.ts';
import { openImportFile } from './import-source.ts';

/**
 * Imports customers and their tickets from a CSV file (seed 000: "Import Customers along with their
 * ticket information"). The file streams through csv-parse; every `batchSize` rows the valid ones
 * are planned and written as ONE `import.customers` command (one transaction, audit entries, one
 * outbox row), then an `import.progress` event is emitted. Invalid rows are reported with their
 * spreadsheet row number and left out; they never stop the import.
 *
 * A dry run plans every batch with the same planner against one state that carries what earlier
 * batches would have written, and writes nothing (see import-plan.ts).
 *
 * Exported on its own (not only through the handler) so a host can run it in a worker thread with
 * its own connection.
 */
export async function importCustomers(context: CoreContext, rawInput: ImportCustomersInput): Promise<ImportCustomersResult> {
  const input = parseInput(importCustomersInputSchema, rawInput);
  const { store } = context;
  const existingEvent =
    input.eventId !== undefined || store.first(sql.selectFrom('events').select('id').limit(1))
      ? resolveEvent(store, input.eventId)
      : undefined;

  const file = await openImportFile(input.source);
  // Each batch rewrites pages all over the customers' and tickets' indexes; checkpointing the WAL
  // (copying those pages into the database file, with an fsync) every 1,000 pages would run
  // after nearly every batch and cost a third of the import's time. During the import the
  // threshold is raised so no batch pays for a checkpoint; afterwards the WAL is copied back by
  // the host's background checkpointer (or the next commit on a host without one). Durability is
  // unchanged: every batch is committed to the WAL as before.
  const checkpointPages = store.db.pragma('wal_autocheckpoint', { simple: true }) as number;
  if (!input.dryRun) store.db.pragma(`wal_autocheckpoint = ${Math.max(checkpointPages, importCheckpointPages)}`);
  try {
    const mapping = input.columns ? chosenMapping(file.header, input.columns) : mapHeader(file.header);
    if (!canIdentifyCustomers(mapping)) {
      if (input.columns) {
        throw invalid('Choose the column that holds the email or the ticket reference: without one no row can be matched to a customer', 'columns');
      }
      const found = file.header.filter((name) => name !== '').slice(0, 12).join(', ') || 'nothing';
      throw invalid(
        `The file has no email column and no ticket reference column, so no row can be matched to a customer (header: ${found})`,
        'source',
      );
    }
    const width = file.header.length;
    const jobId = newId();
    const rejected: ImportRejection[] = [];
    const createdTicketTypes: string[] = [];
    const totals = { rowsRead: 0, imported: 0, updated: 0, unchanged: 0 };
    let eventId = existingEvent?.id ?? null;
    let eventCreated = false;
    let dryRunState: ImportState | undefined;
    let pending: ImportRow[] = [];
    let readInBatch = 0;

    const progress = (done: boolean) =>
      context.emit({
        type: 'import.progress',
        jobId,
        ...totals,
        rejected: rejected.length,
        bytesRead: done ? file.sizeTotal : Math.min(file.sizeRead(), file.sizeTotal),
        bytesTotal: file.sizeTotal,
        done,
      });

    const planInDryRun = (rows: ImportRow[]): BatchPlan => {
      // A would-be-created event has no rows yet: an id nothing matches stands in for it.
      dryRunState ??= new ImportState(store, eventId ?? newId());
      return planBatch(dryRunState, rows);
    };

    const writeBatch = (rows: ImportRow[]): BatchPlan => {
      if (eventId === null) {
        eventId = runCommand(context, createImportedEvent, { id: newId(), ...importedEventDefaults });
      }
      try {
        return runCommand(context, importCustomersBatch, { eventId, rows });
      } catch (error) {
        if (error instanceof UnchangedBatch) return error.plan;
        throw error;
      }
    };

    const flush = () => {
      if (pending.length > 0) {
        if (existingEvent === undefined) eventCreated = true;
        const plan = input.dryRun ? planInDryRun(pending) : writeBatch(pending);
        for (const outcome of plan.outcomes) {
          if (outcome.outcome === 'rejected') rejected.push({ row: outcome.row, reason: outcome.reason });
          else totals[outcome.outcome] += 1;
        }
        createdTicketTypes.push(...plan.createdTicketTypes);
      }
      pending = [];
      readInBatch = 0;
      progress(false);
    };

    reading: for await (const records of file.records()) {
      for (const record of records) {
        if ('error' in record) {
          totals.rowsRead += 1;
          rejected.push({ row: record.row, reason: record.error });
          break reading;
        }
        // A row of empty cells (`;;;`, left by spreadsheets below the data) is a blank row.
        if (record.cells.every((cell) => cell.trim() === '')) continue;
        totals.rowsRead += 1;
        readInBatch += 1;
        if (record.cells.length !== width) {
          rejected.push({ row: record.row, reason: `the row has ${record.cells.length} fields but the header has ${width}` });
        } else {
          const parsed = parseImportRow(record.row, cellsByField(mapping, record.cells));
          if (parsed.ok) pending.push(parsed.row);
          else rejected.push({ row: record.row, reason: parsed.reason });
        }
        if (readInBatch >= input.batchSize) flush();
      }
    }
    if (readInBatch > 0 || pending.length > 0) flush();
    progress(true);

    rejected.sort((a, b) => a.row - b.row);
    return {
      eventId: input.dryRun && existingEvent === undefined ? null : eventId,
      eventCreated,
      dryRun: input.dryRun,
      ...totals,
      rejected,
      createdTicketTypes,
      ignoredColumns: mapping.ignoredColumns,
    };
  } finally {
    file.close();
    if (!input.dryRun) {
      store.db.pragma(`wal_autocheckpoint = ${checkpointPages}`);
    }
  }
}

/** WAL pages (4 KiB each) allowed to build up while an import runs: about 400 MB. */
const importCheckpointPages = 100_000;
