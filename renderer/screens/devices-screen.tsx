import { useEffect, useState, type FormEvent, type ReactElement } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../app-context.tsx';
import type { AddReaderInput, ReaderCandidate, ReaderView } from '../api/operations.ts';
import { Field, InlineError } from '../components/field.tsx';
import { formatDateTime } from '../format/dates.ts';
import { describeReaderEvent, statusLabels, statusTone } from '../format/reader-events.ts';
import { errorForField, errorOutsideFields } from '../stores/action-error.ts';
import { deviceActionKeys } from '../stores/devices-store.ts';

type DriverName = ReaderView['driver'];

const driverLabels: Record<DriverName, string> = {
  pn532: 'NFC reader (PN532, serial)',
  'serial-barcode': 'Barcode scanner (serial)',
  'hid-pos': 'Barcode scanner (USB HID POS)',
  simulated: 'Simulated reader',
};

interface Draft {
  name: string;
  driver: DriverName;
  path: string;
  usbId: string;
  baudRate: string;
  suffix: 'auto' | 'none';
  aimPrefix: boolean;
  enableFeatureReport: string;
}

const emptyDraft: Draft = { name: '', driver: 'serial-barcode', path: '', usbId: '', baudRate: '9600', suffix: 'auto', aimPrefix: false, enableFeatureReport: '' };

function toInput(draft: Draft): AddReaderInput {
  const device = { name: draft.name, path: draft.path.trim() === '' ? null : draft.path, usbId: draft.usbId.trim() === '' ? null : draft.usbId };
  switch (draft.driver) {
    case 'simulated':
      return { driver: 'simulated', name: draft.name };
    case 'pn532':
      return { driver: 'pn532', ...device };
    case 'serial-barcode':
      return { driver: 'serial-barcode', ...device, options: { baudRate: Number(draft.baudRate), suffix: draft.suffix, aimPrefix: draft.aimPrefix } };
    case 'hid-pos':
      return { driver: 'hid-pos', ...device, options: { enableFeatureReport: draft.enableFeatureReport.trim() === '' ? null : draft.enableFeatureReport } };
  }
}

function deviceText(reader: ReaderView): string {
  if (reader.driver === 'simulated') return 'No device';
  return [reader.path, reader.usbId ? `USB ${reader.usbId}` : null].filter(Boolean).join(' · ');
}

function StatusBadge({ reader }: { reader: ReaderView }): ReactElement {
  const { state, reason } = reader.status;
  return (
    <div className="reader-status">
      <span className={`status status-${statusTone(state)}`} data-reader-state={state}>
        {statusLabels[state]}
      </span>
      {reason && state !== 'connected' ? <div className="muted small-text">{reason}</div> : null}
    </div>
  );
}

function SimulatedControls({ reader }: { reader: ReaderView }): ReactElement {
  const { devices } = useServices();
  const error = useStore(devices, (state) => state.errors[deviceActionKeys.simulate(reader.id)]);
  const busy = useStore(devices, (state) => Boolean(state.pending[deviceActionKeys.simulate(reader.id)]));
  const [uid, setUid] = useState('04A224B2C33F80');
  const [barcode, setBarcode] = useState('');
  const present = async (event: FormEvent, holdMs: number | undefined) => {
    event.preventDefault();
    await devices.getState().simulate(reader.id, { type: 'presentTag', uid, ...(holdMs === undefined ? {} : { holdMs }) });
  };
  return (
    <div className="simulator" aria-label={`Simulate on ${reader.name}`} role="group">
      <form className="inline-form" onSubmit={(event) => void present(event, 1000)}>
        <Field label="Tag UID" error={errorForField(error, 'action.uid')}>
          {({ id, describedBy, invalid }) => (
            <input id={id} className="mono" value={uid} autoComplete="off" spellCheck={false} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(event) => setUid(event.target.value)} />
          )}
        </Field>
        <button type="submit" className="primary-button" disabled={busy || uid.trim() === ''}>
          Tap tag
        </button>
        <button type="button" className="ghost-button" disabled={busy} onClick={() => void devices.getState().simulate(reader.id, { type: 'removeTag' })}>
          Take tag away
        </button>
      </form>
      <form
        className="inline-form"
        onSubmit={async (event) => {
          event.preventDefault();
          if (await devices.getState().simulate(reader.id, { type: 'scanBarcode', text: barcode, symbology: 'qr' })) setBarcode('');
        }}
      >
        <Field label="Barcode text" error={errorForField(error, 'action.text')}>
          {({ id, describedBy, invalid }) => (
            <input id={id} className="mono" value={barcode} autoComplete="off" spellCheck={false} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(event) => setBarcode(event.target.value)} />
          )}
        </Field>
        <button type="submit" className="primary-button" disabled={busy || barcode.trim() === ''}>
          Scan barcode
        </button>
      </form>
      <InlineError message={errorOutsideFields(error, ['action.uid', 'action.text'])} />
    </div>
  );
}

function ReaderRow({ reader }: { reader: ReaderView }): ReactElement {
  const { devices } = useServices();
  const testRead = useStore(devices, (state) => (state.testRead?.readerId === reader.id ? state.testRead : null));
  const removing = useStore(devices, (state) => Boolean(state.pending[deviceActionKeys.remove(reader.id)]));
  const removeError = useStore(devices, (state) => state.errors[deviceActionKeys.remove(reader.id)]);
  return (
    <li className="reader-card" aria-label={`Reader ${reader.name}`}>
      <div className="reader-main">
        <div>
          <h3>{reader.name}</h3>
          <div className="muted small-text">
            {driverLabels[reader.driver]} · {deviceText(reader)}
          </div>
        </div>
        <StatusBadge reader={reader} />
        <div className="reader-last" aria-label="Last read">
          {reader.lastEvent ? (
            <>
              <div>{describeReaderEvent(reader.lastEvent)}</div>
              {reader.lastEventAt ? <div className="muted small-text">{formatDateTime(reader.lastEventAt)}</div> : null}
            </>
          ) : (
            <span className="muted">Nothing read yet</span>
          )}
        </div>
        <div className="reader-actions">
          <button type="button" className="ghost-button" onClick={() => (testRead ? devices.getState().cancelTestRead() : devices.getState().startTestRead(reader.id))}>
            {testRead ? 'Stop test' : 'Test read'}
          </button>
          <button type="button" className="danger-button" disabled={removing} onClick={() => void devices.getState().remove(reader.id)}>
            Remove
          </button>
        </div>
      </div>
      {testRead ? (
        <p className="test-read" role="status" aria-live="polite">
          {testRead.event ? `Test read: ${describeReaderEvent(testRead.event)}` : 'Test read: present a tag or scan a barcode on this reader…'}
        </p>
      ) : null}
      <InlineError message={removeError?.message} />
      {reader.driver === 'simulated' ? <SimulatedControls reader={reader} /> : null}
    </li>
  );
}

function AddReaderForm({ draft, setDraft }: { draft: Draft; setDraft(draft: Draft): void }): ReactElement {
  const { devices } = useServices();
  const error = useStore(devices, (state) => state.errors[deviceActionKeys.add]);
  const busy = useStore(devices, (state) => Boolean(state.pending[deviceActionKeys.add]));
  const drivers = useStore(devices, (state) => state.drivers);
  const unavailable = drivers.find((driver) => driver.driver === draft.driver && !driver.available);
  const change = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const fieldError = (field: string) => errorForField(error, field);

  return (
    <form
      noValidate
      aria-label="Add a reader"
      className="add-reader"
      onSubmit={async (event) => {
        event.preventDefault();
        if (await devices.getState().add(toInput(draft))) setDraft(emptyDraft);
      }}
    >
      <InlineError message={errorOutsideFields(error, ['name', 'driver', 'path', 'usbId', 'options'])} />
      <div className="form-grid">
        <Field label="Name" error={fieldError('name')}>
          {({ id, describedBy, invalid }) => (
            <input id={id} value={draft.name} placeholder="Desk scanner" aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(event) => change({ name: event.target.value })} />
          )}
        </Field>
        <Field label="Driver" error={fieldError('driver')}>
          {({ id, describedBy }) => (
            <select id={id} value={draft.driver} aria-describedby={describedBy} onChange={(event) => change({ driver: event.target.value as DriverName })}>
              {(Object.keys(driverLabels) as DriverName[]).map((driver) => (
                <option key={driver} value={driver}>
                  {driverLabels[driver]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {draft.driver !== 'simulated' ? (
          <>
            <Field label="Device path" hint="/dev/ttyACM0, COM3 or /dev/hidraw2: or give the USB id instead" error={fieldError('path')}>
              {({ id, describedBy, invalid }) => (
                <input id={id} className="mono" value={draft.path} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(event) => change({ path: event.target.value })} />
              )}
            </Field>
            <Field label="USB id (VID:PID)" hint="Found again after a replug, e.g. 0c2e:0b87" error={fieldError('usbId')}>
              {({ id, describedBy, invalid }) => (
                <input id={id} className="mono" value={draft.usbId} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(event) => change({ usbId: event.target.value })} />
              )}
            </Field>
          </>
        ) : null}
        {draft.driver === 'serial-barcode' ? (
          <>
            <Field label="Baud rate" error={fieldError('options.baudRate')}>
              {({ id, describedBy }) => (
                <select id={id} value={draft.baudRate} aria-describedby={describedBy} onChange={(event) => change({ baudRate: event.target.value })}>
                  {['1200', '2400', '4800', '9600', '19200', '38400', '57600', '115200'].map((rate) => (
                    <option key={rate}>{rate}</option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="End of a barcode" error={fieldError('options.suffix')}>
              {({ id, describedBy }) => (
                <select id={id} value={draft.suffix} aria-describedby={describedBy} onChange={(event) => change({ suffix: event.target.value as Draft['suffix'] })}>
                  <option value="auto">CR, CRLF, or a pause</option>
                  <option value="none">Only a pause (codes with line breaks)</option>
                </select>
              )}
            </Field>
            <label className="checkbox">
              <input type="checkbox" checked={draft.aimPrefix} onChange={(event) => change({ aimPrefix: event.target.checked })} />
              The scanner sends AIM symbology identifiers (]Q1, ]C0…)
            </label>
          </>
        ) : null}
        {draft.driver === 'hid-pos' ? (
          <Field label="Enabling feature report" hint="Hex bytes sent after opening, report id first (Honeywell: FE 01). Empty when not needed." error={fieldError('options.enableFeatureReport')}>
            {({ id, describedBy, invalid }) => (
              <input id={id} className="mono" value={draft.enableFeatureReport} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(event) => change({ enableFeatureReport: event.target.value })} />
            )}
          </Field>
        ) : null}
      </div>
      {unavailable?.message ? <p className="inline-error">{unavailable.message}</p> : null}
      <div className="form-actions">
        <button type="submit" className="primary-button" disabled={busy || draft.name.trim() === ''}>
          {busy ? 'Adding…' : 'Add reader'}
        </button>
      </div>
    </form>
  );
}

function CandidatesPanel({ onUse }: { onUse(candidate: ReaderCandidate): void }): ReactElement {
  const { devices } = useServices();
  const candidates = useStore(devices, (state) => state.candidates);
  const unavailable = useStore(devices, (state) => state.unavailable);
  const phase = useStore(devices, (state) => state.candidatesPhase);
  const error = useStore(devices, (state) => state.errors[deviceActionKeys.candidates]);
  return (
    <section className="panel" aria-labelledby="candidates-title">
      <header className="panel-header">
        <h2 id="candidates-title">Devices found</h2>
        <div className="panel-tools">
          <button type="button" className="ghost-button" disabled={phase === 'loading'} onClick={() => void devices.getState().loadCandidates()}>
            {phase === 'loading' ? 'Looking…' : 'Look again'}
          </button>
        </div>
      </header>
      <InlineError message={error?.message} />
      {unavailable.map((problem) => (
        <p key={problem.kind} className="inline-error">
          {problem.message}
        </p>
      ))}
      {phase === 'ready' && candidates.length === 0 && !error ? <p className="muted">No serial port or HID barcode scanner is plugged in.</p> : null}
      {candidates.length > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Path</th>
                <th scope="col">USB id</th>
                <th scope="col">Device</th>
                <th scope="col">In use</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {candidates.map((candidate) => (
                <tr key={`${candidate.kind}:${candidate.path}`}>
                  <td>{candidate.kind === 'hid' ? 'HID barcode scanner' : 'Serial port'}</td>
                  <td className="mono">{candidate.path}</td>
                  <td className="mono">{candidate.usbId ?? '—'}</td>
                  <td>{[candidate.manufacturer, candidate.product].filter(Boolean).join(' ') || '—'}</td>
                  <td>{candidate.configuredAs ?? '—'}</td>
                  <td>
                    <button type="button" className="link-button" disabled={candidate.configuredAs !== null} onClick={() => onUse(candidate)}>
                      Use
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

export function DevicesScreen(): ReactElement {
  const { devices } = useServices();
  const readers = useStore(devices, (state) => state.readers);
  const running = useStore(devices, (state) => state.running);
  const phase = useStore(devices, (state) => state.phase);
  const loadError = useStore(devices, (state) => state.errors[deviceActionKeys.load]);
  const [draft, setDraft] = useState<Draft>(emptyDraft);

  useEffect(() => {
    void devices.getState().load();
    void devices.getState().loadCandidates();
    return () => devices.getState().cancelTestRead();
  }, [devices]);

  const use = (candidate: ReaderCandidate) =>
    setDraft({
      ...emptyDraft,
      name: [candidate.manufacturer, candidate.product].filter(Boolean).join(' ') || candidate.path,
      driver: candidate.suggestedDriver ?? (candidate.kind === 'hid' ? 'hid-pos' : 'serial-barcode'),
      path: candidate.usbId ? '' : candidate.path,
      usbId: candidate.usbId ?? '',
    });

  const connected = readers.filter((reader) => reader.status.state === 'connected').length;
  return (
    <section className="devices-screen" aria-labelledby="devices-title">
      <header className="screen-header">
        <h1 id="devices-title">Devices</h1>
        <p className="screen-summary" role="status">
          {phase === 'ready' ? `${readers.length} ${readers.length === 1 ? 'reader' : 'readers'}, ${connected} connected` : 'Loading readers…'}
        </p>
      </header>
      {phase === 'ready' && !running ? <p className="muted">Readers run while Box Office is open: the desktop app, or the browser version that `npm start` and `box-office serve` start.</p> : null}
      <InlineError message={loadError?.message} />
      <section className="panel" aria-labelledby="readers-title">
        <header className="panel-header">
          <h2 id="readers-title">Readers</h2>
        </header>
        {phase === 'ready' && readers.length === 0 ? <p className="muted">No reader yet. Add one below, or try things out with the simulated reader (Alt+R, on any screen).</p> : null}
        <ul className="reader-list">
          {readers.map((reader) => (
            <ReaderRow key={reader.id} reader={reader} />
          ))}
        </ul>
      </section>
      <section className="panel" aria-labelledby="add-reader-title">
        <header className="panel-header">
          <h2 id="add-reader-title">Add a reader</h2>
        </header>
        <AddReaderForm draft={draft} setDraft={setDraft} />
      </section>
      <CandidatesPanel onUse={use} />
    </section>
  );
}
