import type { CoreContext } from '../commands/command.ts';
import { runCommand } from '../commands/command.ts';
import { readOnStore } from '../commands/reads.ts';
import { invalid } from '../errors.ts';
import { resolveEvent } from '../events/current.ts';
import { newId } from '../ids.ts';
import { parseInput } from '../validation.ts';
import type { z } from 'zod';
import { sql, type Store } from '../../db/store.ts';
import {
  importCustomersInputSchema,
  type ImportCustomersInput,
  type ImportCustomersResult,
  type ImportRejection,
} from '../import/import.contract.ts';
import { canIdentifyCustomers, cellsByField, chosenMapping, mapHeader } from './header-mapping.ts';
import { importCustomersBatch, UnchangedBatch } from './import-batch.ts';
import { createImportedEvent, importedEventDefaults } from './import-event.ts';
import { FileEmails } from './import-file-emails.ts';
import { addUnknownType, ImportState, planBatch, type BatchPlan, type TicketTypeChoices, type UnknownTicketType } from './import-plan.ts';
import { parseImportRow, type ImportRow } from './import-row.ts';
import { malformedRow, openImportFile } from './import-source.ts';
import { resolveImportSource } from './import-uploads.ts';

/**
 * Imports customers and their tickets from a CSV file (seed 000: "Import Customers along with their
 * ticket information"). The file streams through csv-parse; every `batchSize` rows the valid ones
 * are planned and written as ONE `import.customers` command (one transaction, audit entries, one
 * outbox row), then an `import.progress` event is emitted. Invalid rows are reported with their
 * spreadsheet row number and cells and left out; they never stop the import. A file that stops
 * being valid CSV (cut short inside a quote) is refused whole before anything is written.
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
  const typeChoices = ticketTypeChoices(store, existingEvent?.id, input);
  const source = resolveImportSource(store, input.source);

  // A file cut short (an unclosed quote at its end) would otherwise be half imported: every batch
  // before the break committed, the break itself only a rejected row. A real run first reads the
  // file once without writing (csv-parse alone: ~3% of the import's time) and refuses it whole.
  if (!input.dryRun) {
    const broken = await malformedRow(source);
    if (broken) throw malformedFile(broken);
  }

  const file = await openImportFile(source);
  // Each batch rewrites pages all over the customers' and tickets' indexes; checkpointing the WAL
  // (copying those pages into the database file, with an fsync) every 1,000 pages would run
  // after nearly every batch and cost a third of the import's time. During the import the
  // threshold is raised so no batch pays for a checkpoint; afterwards the WAL is copied back by
  // the host's background checkpointer, the worker, or the last connection's close. Durability
  // does not depend on it: each batch commits with synchronous=FULL (import-batch.ts), which
  // syncs the WAL, so a batch counted in progress or in the result survives a power cut.
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
    const warnings: ImportWarning[] = [];
    const createdTicketTypes: string[] = [];
    const unknownTicketTypes: UnknownTicketType[] = [];
    const totals = { rowsRead: 0, imported: 0, updated: 0, unchanged: 0 };
    const fileEmails = new FileEmails();
    let eventId = existingEvent?.id ?? null;
    let eventCreated = false;
    let dryRunState: ImportState | undefined;
    let pending: ImportRow[] = [];
    /** The cells of the pending rows, by row number, for the rejected-rows file. */
    let pendingCells = new Map<number, string[]>();
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
      const state = (dryRunState ??= new ImportState(eventId ?? newId(), typeChoices));
      return readOnStore(store, (reads) => planBatch(reads, state, rows, newId));
    };

    const writeBatch = (rows: ImportRow[]): BatchPlan => {
      if (eventId === null) {
        eventId = runCommand(context, createImportedEvent, importedEventDefaults);
      }
      try {
        return runCommand(context, importCustomersBatch, { eventId, ticketTypes: typeChoices, rows });
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
          if (outcome.outcome === 'rejected') rejected.push({ row: outcome.row, reason: outcome.reason, cells: pendingCells.get(outcome.row) ?? [] });
          else totals[outcome.outcome] += 1;
        }
        createdTicketTypes.push(...plan.createdTicketTypes);
        for (const unknown of plan.unknownTicketTypes) addUnknownType(unknownTicketTypes, unknown);
      }
      pending = [];
      pendingCells = new Map();
      readInBatch = 0;
      progress(false);
    };

    for await (const records of file.records()) {
      for (const record of records) {
        // Only a dry run gets here with a broken file: it refuses it as the real run would.
        if ('error' in record) throw malformedFile(record);
        // A row of empty cells (`;;;`, left by spreadsheets below the data) is a blank row.
        if (record.cells.every((cell) => cell.trim() === '')) continue;
        totals.rowsRead += 1;
        readInBatch += 1;
        const reject = (reason: string) => rejected.push({ row: record.row, reason, cells: record.cells });
        if (record.cells.length !== width) {
          reject(`the row has ${record.cells.length} fields but the header has ${width}`);
        } else {
          const parsed = parseImportRow(record.row, cellsByField(mapping, record.cells));
          if (!parsed.ok) reject(parsed.reason);
          else {
            const seen = fileEmails.check(parsed.row);
            if (seen.kind === 'conflict') reject(seen.reason);
            else {
              if (seen.kind === 'repeat') warnings.push({ row: record.row, message: seen.message });
              pending.push(parsed.row);
              pendingCells.set(record.row, record.cells);
            }
          }
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
      warnings,
      header: file.header,
      createdTicketTypes,
      unknownTicketTypes,
      ignoredColumns: mapping.ignoredColumns,
    };
  } finally {
    file.close();
    if (!input.dryRun) {
      store.db.pragma(`wal_autocheckpoint = ${checkpointPages}`);
    }
  }
}

type ImportWarning = ImportCustomersResult['warnings'][number];

function malformedFile(record: { row: number; error: string }) {
  return invalid(
    `The file is not valid CSV from row ${record.row} on (${record.error}); nothing was imported. A file cut short, for example ` +
      'by an interrupted download or copy, ends inside a quoted cell: save or export it again and import the whole file.',
    'source',
  );
}

/**
 * Staff's choices for unknown ticket type names, checked against the event before any row: a
 * choice naming a type the event does not have is refused (VALIDATION on ticketTypeChoices).
 * An event with no type yet (or none at all: a fresh data folder) has nothing to mistype, so
 * every name in the file is created, as the first import of a ticket list expects.
 */
function ticketTypeChoices(store: Store, eventId: string | undefined, input: z.output<typeof importCustomersInputSchema>): TicketTypeChoices {
  const types = eventId === undefined
    ? []
    : (store.statement('SELECT name FROM ticket_types WHERE event_id = ? AND deleted_at IS NULL').all(eventId) as { name: string }[]).map((row) => row.name);
  const byLowerName = new Map(types.map((name) => [name.toLowerCase(), name]));
  const choices: TicketTypeChoices = { mapTo: {}, create: [], createAny: input.createTicketTypes || types.length === 0 };
  for (const choice of input.ticketTypeChoices) {
    const key = choice.name.toLowerCase();
    if ('create' in choice) {
      choices.create.push(key);
      continue;
    }
    const target = byLowerName.get(choice.mapTo.toLowerCase());
    if (target === undefined) {
      const known = types.length > 0 ? ` (its types: ${types.slice(0, 12).join(', ')})` : '';
      throw invalid(`"${choice.mapTo}", chosen for "${choice.name}", is not a ticket type of this event${known}`, 'ticketTypeChoices');
    }
    choices.mapTo[key] = target;
  }
  return choices;
}

/** WAL pages (4 KiB each) allowed to build up while an import runs: about 400 MB. */
const importCheckpointPages = 100_000;
