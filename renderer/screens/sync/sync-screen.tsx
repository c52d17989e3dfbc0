import { useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app-context.tsx';
import type { AlertList, SyncAlertView, SyncCommandView, SyncStatusView } from '../../api/operations.ts';
import { Field, InlineError } from '../../components/field.tsx';
import { formatDateTime } from '../../format/dates.ts';
import { describeCheck, describeProgress, describeSync, describeSyncNow, syncTime } from '../../format/sync-status.ts';
import { errorForField, errorOutsideFields } from '../../stores/action-error.ts';
import { mayCall } from '../../stores/operator-store.ts';
import { acknowledgeKey, syncActionKeys, type CommandList } from '../../stores/sync-store.ts';
import './sync.css';

/**
 * The Sync screen (DESIGN.md section 6): the central server this terminal is enrolled at, its
 * connection and last sync, "Sync now", enrolment with a one-time code (admins), a first load's
 * progress, and what staff must never miss: the commands waiting, those the server rejected (with
 * its reason and the customer or ticket they concern) and the conflicts (a double admission, a
 * replaced wristband), each acknowledged with its own button once handled; the consistency check
 * (every table compared with the server's) and, for the roles that may enrol, reloading the tables
 * it found differing. Every action is a button or a form field, reached with Tab.
 */

const roleWords: Readonly<Record<string, string>> = { gate: 'Gate', box_office: 'Box office', supervisor: 'Supervisor', admin: 'Admin' };

const connectionWords: Readonly<Record<SyncStatusView['connection'], string>> = {
  not_enrolled: 'Not enrolled',
  unknown: 'Connecting…',
  online: 'Online',
  offline: 'Offline',
};

/** The server's clock minus this terminal's, in words; within a second is in step (the HLC corrects the rest). */
function offsetText(ms: number): string {
  if (Math.abs(ms) < 1000) return 'In step with the server';
  const size = `${(Math.abs(ms) / 1000).toLocaleString(undefined, { maximumFractionDigits: 1 })} s`;
  return `${size} ${ms > 0 ? 'behind' : 'ahead of'} the server`;
}

const secondsTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function Detail({ label, children }: { label: string; children: ReactElement | string }): ReactElement {
  return (
    <div className="detail">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function ServerPanel({ status, maySync }: { status: SyncStatusView; maySync: boolean }): ReactElement {
  const { sync } = useServices();
  const busy = useStore(sync, (state) => Boolean(state.pending[syncActionKeys.syncNow]));
  const error = useStore(sync, (state) => state.errors[syncActionKeys.syncNow]);
  const last = useStore(sync, (state) => state.lastSyncNow);
  return (
    <section className="panel" aria-labelledby="sync-server-title">
      <header className="panel-header">
        <h2 id="sync-server-title">Central server</h2>
        {status.enrolled && maySync ? (
          <div className="panel-tools">
            <button type="button" className="primary-button" disabled={busy || !status.running} onClick={() => void sync.getState().syncNow()}>
              {busy ? 'Syncing…' : 'Sync now'}
            </button>
          </div>
        ) : null}
      </header>
      {status.enrolled ? (
        <dl className="details">
          <Detail label="Server address">
            <span className="mono">{status.serverUrl ?? ''}</span>
          </Detail>
          <Detail label="This terminal">{status.deviceName ?? 'no name given'}</Detail>
          <Detail label="Role at the server">{status.role ? (roleWords[status.role] ?? status.role) : 'N/A'}</Detail>
          <Detail label="Short code">
            <span className="mono">{status.shortCode}</span>
          </Detail>
          <Detail label="Event">{status.eventId === null ? 'Every event' : (status.eventName ?? 'Not on this terminal yet')}</Detail>
          <Detail label="Enrolled">{formatDateTime(status.enrolledAt)}</Detail>
          <Detail label="Connection">{connectionWords[status.connection]}</Detail>
          <Detail label="Last sync">{syncTime(status.lastSyncAt)}</Detail>
          <Detail label="Clock">{offsetText(status.clockOffsetMs)}</Detail>
        </dl>
      ) : (
        <p className="muted">
          This terminal works on its own: nothing it does reaches other terminals until an admin enrols it at the central server with a one-time code
          (<span className="mono">box-office-server enrol-code</span>). It keeps every command until then.
        </p>
      )}
      {status.problem ? (
        <p className="sync-problem">
          {status.problem}
          {status.retryAt ? ` Next try at ${secondsTime.format(new Date(status.retryAt))}.` : ''}
        </p>
      ) : null}
      {status.enrolled && !status.running ? <p className="muted">This window’s host does not run the sync: the desktop app and box-office serve do.</p> : null}
      <p className="small-text sync-now-result" role="status" aria-live="polite">
        {last && !busy && !error ? describeSyncNow(last) : ''}
      </p>
      <InlineError message={error?.message} />
    </section>
  );
}

/**
 * "Check with the server" (sync.check): a sync, then every table compared with the server's; the
 * tables that differ named with their reason and, for whoever may repair, reloaded from the server.
 */
function CheckPanel({ status, mayRepair }: { status: SyncStatusView; mayRepair: boolean }): ReactElement {
  const { sync } = useServices();
  const checking = useStore(sync, (state) => Boolean(state.pending[syncActionKeys.check]));
  const repairing = useStore(sync, (state) => Boolean(state.pending[syncActionKeys.repair]));
  const error = useStore(sync, (state) => state.errors[syncActionKeys.check] ?? state.errors[syncActionKeys.repair]);
  const summary = useStore(sync, (state) => state.lastCheck);
  const checkButton = useRef<HTMLButtonElement>(null);
  const busy = checking || repairing;
  const available = status.enrolled && status.running;
  const words = summary && !busy && !error ? describeCheck(summary) : null;

  const repair = async () => {
    // The reload button goes once every table is as the server's: the keyboard goes back to the check.
    if (await sync.getState().check(true)) checkButton.current?.focus();
  };
  return (
    <section className="panel" aria-labelledby="sync-check-title">
      <header className="panel-header">
        <h2 id="sync-check-title">Consistency check</h2>
        <div className="panel-tools">
          <button ref={checkButton} type="button" className="ghost-button" disabled={busy || !available} onClick={() => void sync.getState().check(false)}>
            {checking ? 'Checking…' : 'Check with the server'}
          </button>
        </div>
      </header>
      <p className="muted small-text">
        {status.enrolled
          ? 'Syncs, then compares every table this terminal holds with the server’s (how many rows, and what they hold). Nothing changes unless you reload a table.'
          : 'Once this terminal is enrolled, it can compare every table it holds with the server’s.'}
      </p>
      <div className="sync-check-result" role="status" aria-live="polite">
        {busy ? <p className="muted">{repairing ? 'Reloading the tables that differ from the server…' : 'Syncing, then comparing every table with the server…'}</p> : null}
        {words ? (
          <>
            {words.reloaded.map((line) => (
              <p key={line} className="sync-check-reloaded">
                {line}
              </p>
            ))}
            <p className={summary!.differing.length === 0 ? 'sync-check-same' : 'sync-check-differs'}>{words.verdict}</p>
            {summary!.differing.length > 0 ? (
              <ul className="sync-check-tables">
                {summary!.differing.map((table) => (
                  <li key={table.table}>
                    <span className="mono">{table.table}</span>: {table.reason}
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        ) : null}
      </div>
      {summary && summary.differing.length > 0 && !checking ? (
        mayRepair ? (
          <div className="form-actions">
            <button type="button" className="primary-button" disabled={busy || !available} onClick={() => void repair()}>
              {repairing ? 'Reloading…' : 'Reload those tables from the server'}
            </button>
          </div>
        ) : (
          <p className="muted small-text">An admin can reload those tables from the server here.</p>
        )
      ) : null}
      <InlineError message={error?.message} />
    </section>
  );
}

const enrolFields = ['serverUrl', 'code', 'name', 'force'];

function EnrolForm({ status, onEnrolled }: { status: SyncStatusView; onEnrolled(message: string): void }): ReactElement {
  const { sync } = useServices();
  const error = useStore(sync, (state) => state.errors[syncActionKeys.enrol]);
  const busy = useStore(sync, (state) => Boolean(state.pending[syncActionKeys.enrol]));
  const [serverUrl, setServerUrl] = useState(status.serverUrl ?? '');
  const [code, setCode] = useState('');
  const [name, setName] = useState(status.deviceName ?? '');
  useEffect(() => () => sync.getState().clearError(syncActionKeys.enrol), [sync]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    onEnrolled('');
    if (await sync.getState().enrol({ serverUrl, code, name, force: status.enrolled })) {
      setCode('');
      const now = sync.getState().status;
      // Said above the panels: once enrolled, this form gives way to "Enrol again".
      onEnrolled(`Enrolled at ${now?.serverUrl ?? serverUrl} as ${roleWords[now?.role ?? ''] ?? now?.role ?? ''}. Commands waiting go to the server now.`);
    }
  };
  return (
    <form noValidate aria-label={status.enrolled ? 'Enrol again' : 'Enrol this terminal'} onSubmit={(event) => void submit(event)}>
      {status.enrolled ? <p className="muted">Enrolling again replaces this terminal’s enrolment: use it after the server revoked it, or to move to another server.</p> : null}
      <InlineError message={errorOutsideFields(error, enrolFields)} />
      <div className="form-grid sync-enrol-form">
        <Field label="Server address" hint="As the server's administrator gives it, such as http://192.168.1.10:8080" error={errorForField(error, 'serverUrl')}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              type="url"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              placeholder="http://192.168.1.10:8080"
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              value={serverUrl}
              onChange={(event) => setServerUrl(event.target.value)}
            />
          )}
        </Field>
        <Field label="Enrolment code" hint="One-time code from box-office-server enrol-code" error={errorForField(error, 'code')}>
          {({ id, describedBy, invalid }) => (
            <input id={id} autoComplete="off" spellCheck={false} className="mono" aria-describedby={describedBy} aria-invalid={invalid || undefined} value={code} onChange={(event) => setCode(event.target.value)} />
          )}
        </Field>
        <Field label="Terminal name (optional)" hint="How the server lists this terminal, such as Gate North 2" error={errorForField(error, 'name') ?? errorForField(error, 'force')}>
          {({ id, describedBy, invalid }) => (
            <input id={id} autoComplete="off" aria-describedby={describedBy} aria-invalid={invalid || undefined} value={name} onChange={(event) => setName(event.target.value)} />
          )}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary-button" disabled={busy}>
          {busy ? 'Enrolling…' : status.enrolled ? 'Enrol again' : 'Enrol'}
        </button>
      </div>
    </form>
  );
}

function ProgressPanel(): ReactElement | null {
  const { sync } = useServices();
  const progress = useStore(sync, (state) => state.progress);
  if (progress === null) return null;
  const percent = progress.totalRows ? Math.min(100, Math.floor((progress.rows / progress.totalRows) * 100)) : progress.done ? 100 : 0;
  const text = describeProgress(progress);
  return (
    <section className="panel" aria-labelledby="sync-progress-title">
      <header className="panel-header">
        <h2 id="sync-progress-title">First load</h2>
      </header>
      <div role="progressbar" aria-label="First load" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={`${percent}%: ${text}`} className="progress">
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <p className="small-text" role="status">
        {progress.table && !progress.done ? `${progress.table}: ` : ''}
        {text}
      </p>
    </section>
  );
}

function Concerns({ command }: { command: SyncCommandView }): ReactElement {
  if (command.concerns.length === 0) return <span className="muted">N/A</span>;
  return (
    <ul className="sync-concerns">
      {command.concerns.map((concern) => (
        <li key={`${concern.kind}:${concern.id}`}>
          {concern.kind === 'customer' ? <a href={`#/customers/${encodeURIComponent(concern.id)}`}>{concern.label}</a> : concern.label}
        </li>
      ))}
    </ul>
  );
}

function CommandsPanel({ id, title, list, empty, detail }: { id: string; title: string; list: CommandList; empty: string; detail: 'reason' | 'conflicts' | null }): ReactElement {
  return (
    <section className="panel" aria-labelledby={id}>
      <header className="panel-header">
        <h2 id={id}>
          {title} ({list.total.toLocaleString()})
        </h2>
      </header>
      {list.total === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <div className="table-wrap">
          <table className="table sync-commands">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Concerns</th>
                <th scope="col">By</th>
                {detail ? <th scope="col">{detail === 'reason' ? 'Why the server refused it' : 'What the rule did'}</th> : null}
              </tr>
            </thead>
            <tbody>
              {list.commands.map((command) => (
                <tr key={command.id}>
                  <td className="numeric">{command.seq}</td>
                  <td>{formatDateTime(command.at)}</td>
                  <td>{command.label}</td>
                  <td>
                    <Concerns command={command} />
                  </td>
                  <td>{command.operator ?? 'N/A'}</td>
                  {detail === 'reason' ? <td className="sync-reason">{command.reason ?? 'No reason given'}</td> : null}
                  {detail === 'conflicts' ? <td>{command.conflicts.map((conflict) => conflict.message).join('; ')}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
          {list.total > list.commands.length ? <p className="small-text muted">The first {list.commands.length.toLocaleString()} of {list.total.toLocaleString()}.</p> : null}
        </div>
      )}
    </section>
  );
}

/** Who acknowledged an alert and when, as the row shows it once acknowledged (here or on another terminal). */
function acknowledgedText(alert: SyncAlertView): string {
  const when = formatDateTime(alert.acknowledgedAt);
  return alert.acknowledgedBy ? `By ${alert.acknowledgedBy}, ${when}` : `On ${when}`;
}

function AlertRow({ alert, mayAcknowledge, onAcknowledged }: { alert: SyncAlertView; mayAcknowledge: boolean; onAcknowledged(alert: SyncAlertView): void }): ReactElement {
  const { sync } = useServices();
  const key = acknowledgeKey(alert.id);
  const busy = useStore(sync, (state) => Boolean(state.pending[key]));
  const error = useStore(sync, (state) => state.errors[key]);
  const messageId = `sync-alert-${alert.id}`;
  const acknowledge = async () => {
    if (await sync.getState().acknowledgeAlert(alert.id)) onAcknowledged(alert);
  };
  return (
    <tr className={alert.acknowledged ? 'sync-alert-acknowledged' : undefined}>
      <td>{formatDateTime(alert.at)}</td>
      <td>
        <span className={`status ${alert.acknowledged ? 'status-neutral' : 'status-warn'}`}>{alert.kindLabel}</span>
      </td>
      <td id={messageId}>{alert.message}</td>
      <td>{alert.fromThisTerminal ? 'This terminal' : 'Another terminal'}</td>
      <td className="sync-alert-acknowledgement">
        {alert.acknowledged ? (
          acknowledgedText(alert)
        ) : mayAcknowledge ? (
          <>
            {/* Named "Acknowledge", described by its alert's message: a screen reader says which one. */}
            <button type="button" className="ghost-button small sync-acknowledge" aria-describedby={messageId} disabled={busy} onClick={() => void acknowledge()}>
              {busy ? 'Acknowledging…' : 'Acknowledge'}
            </button>
            <InlineError message={error?.message} />
          </>
        ) : (
          <span className="muted">Not yet</span>
        )}
      </td>
    </tr>
  );
}

function AlertsPanel({ list, mayAcknowledge }: { list: AlertList; mayAcknowledge: boolean }): ReactElement {
  const [done, setDone] = useState('');
  const tableRef = useRef<HTMLTableElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const acknowledged = (alert: SyncAlertView) => {
    setDone(`Acknowledged: ${alert.kindLabel}, ${formatDateTime(alert.at)}.`);
    // Its button is gone: the keyboard goes on to the next alert waiting, or back to the panel.
    const next = tableRef.current?.querySelector<HTMLButtonElement>('button.sync-acknowledge:not(:disabled)');
    (next ?? headingRef.current)?.focus();
  };
  const acknowledgedCount = list.total - list.unacknowledged;
  return (
    <section className="panel" aria-labelledby="sync-alerts-title">
      <header className="panel-header">
        <h2 id="sync-alerts-title" ref={headingRef} tabIndex={-1}>
          Conflicts ({list.unacknowledged.toLocaleString()} to acknowledge)
        </h2>
      </header>
      <p className="small-text sync-done" role="status" aria-live="polite">
        {done}
      </p>
      {list.total === 0 ? (
        <p className="muted">No conflicts: no ticket was admitted twice at different gates and no wristband was replaced by another terminal’s activation.</p>
      ) : (
        <div className="table-wrap">
          <table className="table sync-alerts" ref={tableRef}>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Conflict</th>
                <th scope="col">What happened</th>
                <th scope="col">Raised by</th>
                <th scope="col">Acknowledged</th>
              </tr>
            </thead>
            <tbody>
              {list.alerts.map((alert) => (
                <AlertRow key={alert.id} alert={alert} mayAcknowledge={mayAcknowledge} onAcknowledged={acknowledged} />
              ))}
            </tbody>
          </table>
          <p className="small-text muted">
            {list.unacknowledged === 0 ? 'Every conflict is acknowledged. ' : acknowledgedCount > 0 ? `${acknowledgedCount.toLocaleString()} acknowledged, shown after the ones waiting. ` : ''}
            {list.total > list.alerts.length ? `The first ${list.alerts.length.toLocaleString()} of ${list.total.toLocaleString()}.` : ''}
          </p>
        </div>
      )}
    </section>
  );
}

export function SyncScreen(): ReactElement {
  const { sync, operator } = useServices();
  const current = useStore(operator, (state) => state.current);
  const status = useStore(sync, (state) => state.status);
  const phase = useStore(sync, (state) => state.phase);
  const loadError = useStore(sync, (state) => state.errors[syncActionKeys.load]);
  const listsError = useStore(sync, (state) => state.errors[syncActionKeys.lists]);
  const commands = useStore(sync, (state) => state.commands);
  const alerts = useStore(sync, (state) => state.alerts);
  const [done, setDone] = useState('');
  const mayList = mayCall(current, 'sync.commands');
  const mayEnrol = mayCall(current, 'sync.enrol');
  const maySync = mayCall(current, 'sync.now');
  const mayCheck = mayCall(current, 'sync.check');
  // Reloading tables (sync.check with repair) is for the roles that may enrol (core/sync/sync.handlers.ts).
  const mayRepair = mayCall(current, 'sync.enrol');
  const mayAcknowledge = mayCall(current, 'alerts.acknowledge');

  useEffect(() => {
    void sync.getState().load();
  }, [sync]);
  // The lists follow the counts the host announces: a sync that settled commands, a scan written.
  const counts = status ? [status.waiting, status.rejected, status.withConflict, status.alerts, status.lastSyncAt].join('|') : '';
  useEffect(() => {
    if (mayList && counts !== '') void sync.getState().loadLists();
  }, [sync, mayList, counts]);

  return (
    <section className="sync-screen" aria-labelledby="sync-title">
      <header className="screen-header">
        <h1 id="sync-title">Sync</h1>
        <p className="screen-summary">{status ? describeSync(status).text : phase === 'unavailable' ? 'This host does not sync.' : 'Loading…'}</p>
      </header>
      <p className="sync-done" role="status" aria-live="polite">
        {done}
      </p>
      <InlineError message={loadError?.message} />
      {status ? (
        <>
          <ServerPanel status={status} maySync={maySync} />
          <ProgressPanel />
          {mayEnrol ? (
            status.enrolled ? (
              <details className="panel sync-enrol-again">
                <summary>
                  <h2>Enrol again</h2>
                </summary>
                <EnrolForm status={status} onEnrolled={setDone} />
              </details>
            ) : (
              <section className="panel" aria-labelledby="sync-enrol-title">
                <header className="panel-header">
                  <h2 id="sync-enrol-title">Enrol this terminal</h2>
                </header>
                <EnrolForm status={status} onEnrolled={setDone} />
              </section>
            )
          ) : null}
          {/* After the enrolment form: a terminal not enrolled yet has that to do first. */}
          {mayCheck ? <CheckPanel status={status} mayRepair={mayRepair} /> : null}
          {mayList ? (
            <>
              <InlineError message={listsError?.message} />
              <CommandsPanel id="sync-rejected-title" title="Rejected" list={commands.rejected} detail="reason" empty="The server has refused none of this terminal’s commands." />
              <CommandsPanel
                id="sync-pending-title"
                title="Waiting"
                list={commands.pending}
                detail={null}
                empty={status.enrolled ? 'Nothing waits: the server has every command of this terminal.' : 'Nothing waits.'}
              />
              <CommandsPanel id="sync-conflict-title" title="Applied with a conflict" list={commands.conflict} detail="conflicts" empty="None of this terminal’s commands met a conflict." />
              <AlertsPanel list={alerts} mayAcknowledge={mayAcknowledge} />
            </>
          ) : (
            <p className="muted">
              {status.rejected > 0 || status.withConflict > 0
                ? 'Rejected commands and conflicts name customers: a box office operator or above sees them here.'
                : 'No command of this terminal was rejected.'}
            </p>
          )}
        </>
      ) : null}
    </section>
  );
}
