import { useEffect, useId, useRef, type ReactElement, type Ref } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../app-context.tsx';
import type { ImportCustomersResult, ImportField, ImportPreview, ImportProgressEvent } from '../api/operations.ts';
import { InlineError } from '../components/field.tsx';
import { Icon } from '../components/icons.tsx';
import { errorForField, errorOutsideFields } from '../stores/action-error.ts';
import { downloadCsv } from '../download-file.ts';
import {
  canRun,
  createTypeChoice,
  describeRejection,
  importFieldChoices,
  importFieldLabels,
  mappingProblem,
  needsEventChoice,
  progressPercent,
  rejectedRowsCsv,
  rejectedRowsFileName,
  type ImportState,
} from '../stores/import-store.ts';

/** A file with many rejected rows would otherwise render tens of thousands of table rows. */
const rejectedRowsShown = 500;
const ignoreValue = '';

const delimiterNames: Record<ImportPreview['delimiter'], string> = { ',': 'commas', ';': 'semicolons', '\t': 'tabs' };

/** Fields the host blames that have their own place on this screen. */
const placedFields = ['source', 'text', 'columns', 'eventId'];

function formatCount(value: number): string {
  return value.toLocaleString();
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function columnName(preview: ImportPreview, index: number): string {
  return preview.header[index] || `Column ${index + 1}`;
}

function FileStep({ state }: { state: ImportState }): ReactElement {
  const { importCustomers } = useServices();
  const inputId = useId();
  const running = state.phase === 'dryRunning' || state.phase === 'importing' || state.phase === 'reading';
  const fileError = state.fileError ?? (state.runError && ['source', 'text'].includes(state.runError.field ?? '') ? state.runError : null);
  const { preview, file } = state;
  return (
    <section className="panel" aria-labelledby={`${inputId}-title`}>
      <div className="panel-header">
        <h2 id={`${inputId}-title`}>1. Choose the file</h2>
      </div>
      <div className={fileError ? 'field field-invalid' : 'field'}>
        <label htmlFor={inputId}>CSV file</label>
        <input
          id={inputId}
          type="file"
          accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"
          disabled={running}
          aria-invalid={fileError ? true : undefined}
          aria-describedby={`${inputId}-hint`}
          onChange={(event) => {
            const picked = event.target.files?.[0];
            if (picked) void importCustomers.getState().chooseFile(picked);
          }}
        />
        <p id={`${inputId}-hint`} className="field-hint">
          One customer per row, with a header row. Columns are matched by name (Email, First name, Ticket…) and separated by commas,
          semicolons or tabs. Save spreadsheets as “CSV UTF-8”.
        </p>
        <InlineError message={fileError?.message} />
      </div>
      {state.phase === 'reading' ? (
        <p className="muted" role="status">
          Reading {file?.name}…
        </p>
      ) : null}
      {preview && file ? (
        <p className="import-file-facts" role="status">
          <strong>{file.name}</strong> ({formatSize(file.size)}): {preview.header.length} {preview.header.length === 1 ? 'column' : 'columns'} separated by{' '}
          {delimiterNames[preview.delimiter]}, {preview.rowsEstimate === preview.sample.length ? '' : 'about '}
          {formatCount(preview.rowsEstimate)} {preview.rowsEstimate === 1 ? 'row' : 'rows'}.
        </p>
      ) : null}
    </section>
  );
}

function ColumnSelect({ preview, index, field, disabled }: { preview: ImportPreview; index: number; field: ImportField | null; disabled: boolean }): ReactElement {
  const { importCustomers } = useServices();
  return (
    <select
      aria-label={`Column ${index + 1} “${columnName(preview, index)}” holds`}
      value={field ?? ignoreValue}
      disabled={disabled}
      className={field === null ? 'column-select column-ignored' : 'column-select'}
      onChange={(event) => importCustomers.getState().setColumn(index, event.target.value === ignoreValue ? null : (event.target.value as ImportField))}
    >
      <option value={ignoreValue}>Ignore</option>
      {importFieldChoices.map((choice) => (
        <option key={choice} value={choice}>
          {importFieldLabels[choice]}
        </option>
      ))}
    </select>
  );
}

function MappingStep({ state, preview }: { state: ImportState; preview: ImportPreview }): ReactElement {
  const { importCustomers } = useServices();
  const titleId = useId();
  const problem = mappingProblem(state.columns);
  const hostError = errorForField(state.runError ?? undefined, 'columns');
  const disabled = state.phase !== 'ready';
  const changed = state.columns.some((field, index) => field !== preview.columns[index]);
  const width = preview.header.length;
  return (
    <section className="panel" aria-labelledby={titleId}>
      <div className="panel-header">
        <h2 id={titleId}>2. Check the columns</h2>
        {changed ? (
          <div className="panel-tools">
            <button type="button" className="ghost-button small" disabled={disabled} onClick={() => importCustomers.getState().resetColumns()}>
              Use the columns as named in the file
            </button>
          </div>
        ) : null}
      </div>
      <p className="field-hint">
        Choose what each column holds; “Ignore” leaves it out. Rows are matched to customers by email or by ticket reference, so one of
        those is needed.
      </p>
      <div className="table-wrap import-preview-wrap">
        <table className="table import-preview">
          <caption className="visually-hidden">
            First {preview.sample.length} rows of {state.file?.name}, with the field each column is imported as
          </caption>
          <thead>
            <tr>
              <th scope="col" className="numeric">
                Row
              </th>
              {preview.header.map((name, index) => (
                <th key={index} scope="col" className={state.columns[index] === null ? 'column-ignored' : undefined}>
                  {name || <span className="muted">Column {index + 1}</span>}
                </th>
              ))}
            </tr>
            <tr className="import-mapping-row">
              <td className="muted small-text">Import as</td>
              {preview.header.map((_, index) => (
                <td key={index}>
                  <ColumnSelect preview={preview} index={index} field={state.columns[index] ?? null} disabled={disabled} />
                </td>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.sample.map((cells, rowIndex) => (
              <tr key={rowIndex}>
                <td className="numeric muted">{rowIndex + 2}</td>
                {Array.from({ length: width }, (_, index) => (
                  <td key={index} className={state.columns[index] === null ? 'column-ignored' : undefined}>
                    {cells[index] ?? ''}
                  </td>
                ))}
              </tr>
            ))}
            {preview.sample.length === 0 ? (
              <tr>
                <td colSpan={width + 1} className="muted">
                  The file has a header row but no data rows.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {preview.sample.length > 0 ? (
        <p className="field-hint">Row numbers are the file’s, as a spreadsheet shows them (the header is row 1).</p>
      ) : null}
      <InlineError message={hostError ?? problem} />
    </section>
  );
}

function EventChoice({ state }: { state: ImportState }): ReactElement | null {
  const { importCustomers } = useServices();
  const selectId = useId();
  const hostError = errorForField(state.runError ?? undefined, 'eventId') ?? state.eventsError?.message;
  const events = state.events;
  if (events === null) return hostError ? <InlineError message={hostError} /> : null;
  if (events.length === 0) {
    return <p className="field-hint">This data folder has no event yet: the import creates one for the tickets.</p>;
  }
  if (events.length === 1) {
    return (
      <p className="import-event">
        Into event <strong>{events[0]!.name}</strong>
        <InlineError message={hostError} />
      </p>
    );
  }
  return (
    <div className={hostError ? 'field field-invalid import-event' : 'field import-event'}>
      <label htmlFor={selectId}>Event</label>
      <select
        id={selectId}
        value={state.eventId ?? ''}
        disabled={state.phase !== 'ready'}
        aria-invalid={hostError || needsEventChoice(state) ? true : undefined}
        onChange={(event) => importCustomers.getState().chooseEvent(event.target.value === '' ? null : event.target.value)}
      >
        <option value="">Choose an event…</option>
        {events.map((event) => (
          <option key={event.id} value={event.id}>
            {event.name}
          </option>
        ))}
      </select>
      {needsEventChoice(state) ? <p className="field-hint">This data folder holds several events: choose the one the tickets belong to.</p> : null}
      <InlineError message={hostError} />
    </div>
  );
}

/**
 * One choice per ticket type name the event lacks (listed by the last run): reject its rows (the
 * default: nothing is created by mistake), import them as one of the event's types, or create it
 * (valid only while the event runs, at the gates every type shares: see README).
 */
function UnknownTypes({ state }: { state: ImportState }): ReactElement | null {
  const { importCustomers } = useServices();
  const titleId = useId();
  if (state.unknownTicketTypes.length === 0) return null;
  const eventTypes = state.events?.find((event) => event.id === state.eventId)?.ticketTypes ?? (state.events?.length === 1 ? state.events[0]!.ticketTypes : []);
  return (
    <fieldset className="import-unknown-types" aria-labelledby={titleId}>
      <legend id={titleId}>Ticket types this event does not have</legend>
      <p className="field-hint">Rows with these types are rejected unless you choose what they are. Then run the dry run or the import again.</p>
      {state.unknownTicketTypes.map((unknown) => {
        const choice = state.typeChoices[unknown.name] ?? '';
        return (
          <div key={unknown.name} className="field import-unknown-type">
            <label htmlFor={`${titleId}-${unknown.name}`}>
              “{unknown.name}” ({formatCount(unknown.rows)} {unknown.rows === 1 ? 'row' : 'rows'})
              {unknown.suggestion ? <span className="muted"> · did you mean “{unknown.suggestion}”?</span> : null}
            </label>
            <select
              id={`${titleId}-${unknown.name}`}
              value={choice}
              disabled={state.phase !== 'ready'}
              onChange={(event) => importCustomers.getState().chooseTicketType(unknown.name, event.target.value)}
            >
              <option value="">Reject these rows</option>
              {eventTypes.map((type) => (
                <option key={type.id} value={type.name}>
                  Import as {type.name}
                  {type.name === unknown.suggestion ? ' (closest)' : ''}
                </option>
              ))}
              <option value={createTypeChoice}>Create “{unknown.name}” (valid during the event only)</option>
            </select>
          </div>
        );
      })}
    </fieldset>
  );
}

function progressText(progress: ImportProgressEvent | null, dryRun: boolean): string {
  if (!progress) return dryRun ? 'Starting the dry run…' : 'Starting the import…';
  const counts = `${formatCount(progress.rowsRead)} rows read: ${formatCount(progress.imported)} imported, ${formatCount(progress.updated)} updated, ${formatCount(progress.unchanged)} unchanged, ${formatCount(progress.rejected)} rejected`;
  return dryRun ? `Dry run, ${counts}` : counts;
}

function ImportProgress({ state }: { state: ImportState }): ReactElement {
  const dryRun = state.phase === 'dryRunning';
  const percent = progressPercent(state.progress);
  const text = progressText(state.progress, dryRun);
  return (
    <div className="import-progress">
      <div
        role="progressbar"
        aria-label={dryRun ? 'Dry run progress' : 'Import progress'}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%: ${text}`}
        className="progress"
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <p className="small-text" role="status">
        {percent}% · {text}
      </p>
    </div>
  );
}

function RunStep({ state }: { state: ImportState }): ReactElement {
  const { importCustomers } = useServices();
  const titleId = useId();
  const running = state.phase === 'dryRunning' || state.phase === 'importing';
  const ready = canRun(state);
  const otherError = errorOutsideFields(state.runError ?? undefined, placedFields);
  return (
    <section className="panel" aria-labelledby={titleId}>
      <div className="panel-header">
        <h2 id={titleId}>3. Import</h2>
      </div>
      <EventChoice state={state} />
      <UnknownTypes state={state} />
      <p className="field-hint">A dry run checks every row exactly as the import would and saves nothing.</p>
      <div className="form-actions">
        <button type="button" className="ghost-button" disabled={!ready} onClick={() => void importCustomers.getState().runDryRun()}>
          Dry run
        </button>
        <button type="button" className="primary-button" disabled={!ready} onClick={() => void importCustomers.getState().runImport()}>
          Import
        </button>
      </div>
      <InlineError message={otherError} />
      {running ? <ImportProgress state={state} /> : null}
    </section>
  );
}

function Tiles({ result }: { result: ImportCustomersResult }): ReactElement {
  const tiles = [
    { label: 'Rows read', value: result.rowsRead },
    { label: result.dryRun ? 'Would be imported' : 'Imported', value: result.imported },
    { label: result.dryRun ? 'Would be updated' : 'Updated', value: result.updated },
    { label: 'Unchanged', value: result.unchanged },
    { label: 'Rejected', value: result.rejected.length },
  ];
  return (
    <dl className="totals import-totals" aria-label={result.dryRun ? 'Dry run counts' : 'Import counts'}>
      {tiles.map((tile) => (
        <div key={tile.label} className={tile.label === 'Rejected' && tile.value > 0 ? 'total-tile total-tile-bad' : 'total-tile'}>
          <dt>{tile.label}</dt>
          <dd>{formatCount(tile.value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function ImportResults({
  result,
  title,
  fileName,
  headingRef,
}: {
  result: ImportCustomersResult;
  title: string;
  fileName: string;
  headingRef?: Ref<HTMLHeadingElement>;
}): ReactElement {
  const titleId = useId();
  const shown = result.rejected.slice(0, rejectedRowsShown);
  const would = result.dryRun;
  return (
    <section className="panel import-results" aria-labelledby={titleId}>
      <div className="panel-header">
        <h2 id={titleId} ref={headingRef} tabIndex={-1}>
          {title}
        </h2>
      </div>
      <Tiles result={result} />
      <dl className="details import-details">
        <div className="detail">
          <dt>{would ? 'Ticket types that would be created' : 'Ticket types created'}</dt>
          <dd>{result.createdTicketTypes.length > 0 ? result.createdTicketTypes.join(', ') : 'None'}</dd>
        </div>
        <div className="detail">
          <dt>Ignored columns</dt>
          <dd>{result.ignoredColumns.length > 0 ? result.ignoredColumns.join(', ') : 'None'}</dd>
        </div>
        {result.eventCreated ? (
          <div className="detail">
            <dt>Event</dt>
            <dd>{would ? 'A new event would be created for the tickets' : 'A new event was created for the tickets'}</dd>
          </div>
        ) : null}
      </dl>
      {result.warnings.length > 0 ? (
        <ul className="import-warnings" aria-label="Rows to check">
          {result.warnings.slice(0, rejectedRowsShown).map((warning) => (
            <li key={warning.row}>
              Row {warning.row}: {warning.message}
            </li>
          ))}
        </ul>
      ) : null}
      {result.rejected.length > 0 ? (
        <div className="form-actions">
          <button
            type="button"
            className="ghost-button"
            onClick={() => downloadCsv({ fileName: rejectedRowsFileName(fileName), csv: rejectedRowsCsv(result) })}
          >
            <Icon name="download" size={16} />
            Download the rejected rows (CSV) to fix and import again
          </button>
        </div>
      ) : null}
      {result.rejected.length > 0 ? (
        <div className="table-wrap import-rejected-wrap">
          <table className="table import-rejected">
            <caption className="import-caption">
              {would ? 'Rows that would be rejected' : 'Rejected rows'} ({formatCount(result.rejected.length)}){' '}
              {result.rejected.length > shown.length ? `: the first ${formatCount(shown.length)} are listed` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col" className="numeric">
                  Row
                </th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((rejection) => (
                <tr key={rejection.row}>
                  <th scope="row" className="numeric">
                    {rejection.row}
                  </th>
                  <td>{describeRejection(rejection.reason)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">{would ? 'No row would be rejected.' : 'No row was rejected.'}</p>
      )}
    </section>
  );
}

function Summary({ result, fileName }: { result: ImportCustomersResult; fileName: string }): ReactElement {
  const { importCustomers } = useServices();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, [result]);
  return (
    <>
      <ImportResults result={result} title="Import finished" fileName={fileName} headingRef={headingRef} />
      <div className="form-actions">
        <a href="#/customers" className="primary-button">
          Back to customers
        </a>
        <button type="button" className="ghost-button" onClick={() => importCustomers.getState().startOver()}>
          Import another file
        </button>
      </div>
    </>
  );
}

export function ImportScreen(): ReactElement {
  const { importCustomers } = useServices();
  const state = useStore(importCustomers);

  useEffect(() => {
    void importCustomers.getState().loadEvents();
  }, [importCustomers]);

  return (
    <section className="import-screen" aria-labelledby="import-title">
      <a href="#/customers" className="ghost-button small back-link">
        <Icon name="back" size={16} />
        Customers
      </a>
      <header className="screen-header">
        <h1 id="import-title">Import customers</h1>
        <p className="screen-summary">Customers and their tickets from a CSV file</p>
      </header>
      {state.phase === 'done' && state.result ? (
        <Summary result={state.result} fileName={state.file?.name ?? 'import.csv'} />
      ) : (
        <>
          <FileStep state={state} />
          {state.preview ? <MappingStep state={state} preview={state.preview} /> : null}
          {state.preview ? <RunStep state={state} /> : null}
          {state.dryRun && state.phase === 'ready' ? <ImportResults result={state.dryRun} title="Dry run: what the import would do (nothing was saved)" fileName={state.file?.name ?? 'import.csv'} /> : null}
        </>
      )}
    </section>
  );
}
