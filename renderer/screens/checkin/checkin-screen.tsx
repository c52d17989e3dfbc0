import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { useStore } from 'zustand';
import { scanDirections } from '../../../core/enumerations.ts';
import { useServices } from '../../app-context.tsx';
import { useMayCall } from '../sign-in-screen.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { Field } from '../../components/field.tsx';
import { Icon } from '../../components/icons.tsx';
import { formatDateTime } from '../../format/dates.ts';
import { errorForField, errorOutsideFields } from '../../stores/action-error.ts';
import type { VerdictDisplay } from '../../stores/checkin-store.ts';
import { CountsPanel } from './counts-panel.tsx';
import { ManualCheckin } from './manual-checkin.tsx';
import { LockDialog, UnlockDialog } from './station-lock.tsx';
import { playVerdictSound } from './verdict-sound.ts';
import './checkin.css';

/** Keys that work anywhere on the screen (wedge scanners never send function keys). */
const shortcuts = { undo: 'F9', direction: 'F2' } as const;

/** The host words its messages in the event's time zone; the first-use time here says the same hour. */
function useEventDateTime(timeZone: string | undefined): Intl.DateTimeFormat {
  return useMemo(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }), [timeZone]);
}

function Verdict({ display, scanning, place, dateTime }: { display: VerdictDisplay | null; scanning: boolean; place: string; dateTime: Intl.DateTimeFormat }): ReactElement {
  if (!display) {
    // Also what a change of gate or direction leaves: the previous verdict was for the old one.
    return (
      <div className="verdict verdict-idle" role="status" aria-live="assertive" aria-label="Verdict" data-tone="ready">
        <div className="verdict-headline">READY</div>
        <p className="verdict-message">{scanning ? 'Checking…' : `${place}: scan a ticket or present a wristband`}</p>
      </div>
    );
  }
  return (
    <div key={display.seq} className={`verdict verdict-${display.tone}`} role="status" aria-live="assertive" aria-label="Verdict" data-tone={display.tone}>
      <div className="verdict-headline">{display.headline}</div>
      <p className="verdict-message">{display.message}</p>
      <dl className="verdict-details">
        {display.customer ? (
          <div>
            <dt>Customer</dt>
            <dd className="verdict-customer">{display.customer}</dd>
          </div>
        ) : null}
        {display.ticketType ? (
          <div>
            <dt>Ticket type</dt>
            <dd>{display.ticketType}</dd>
          </div>
        ) : null}
        <div>
          <dt>Scanned</dt>
          <dd className="mono">{display.credential}</dd>
        </div>
        {display.firstAdmission && display.tone !== 'admit' ? (
          <div className="verdict-first">
            <dt>First used</dt>
            <dd>
              {formatDateTime(display.firstAdmission.at, dateTime)}
              {display.firstAdmission.gate ? ` at ${display.firstAdmission.gate}` : ''}
            </dd>
          </div>
        ) : null}
      </dl>
    </div>
  );
}

function NewGateDialog({ onClose }: { onClose(): void }): ReactElement {
  const { checkin } = useServices();
  const error = useStore(checkin, (state) => state.gateError);
  const [name, setName] = useState('');
  const [zone, setZone] = useState('');
  useEffect(() => () => checkin.setState({ gateError: null }), [checkin]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await checkin.getState().createGate(name, zone)) onClose();
  };
  return (
    <Dialog title="New gate" onClose={onClose}>
      <form aria-label="New gate" onSubmit={(event) => void submit(event)}>
        <Field label="Name" error={errorForField(error ?? undefined, 'name')}>
          {(ids) => <input id={ids.id} aria-describedby={ids.describedBy} aria-invalid={ids.invalid || undefined} value={name} autoFocus onChange={(event) => setName(event.target.value)} />}
        </Field>
        <Field label="Zone (optional)" error={errorForField(error ?? undefined, 'zone')}>
          {(ids) => <input id={ids.id} aria-describedby={ids.describedBy} aria-invalid={ids.invalid || undefined} value={zone} onChange={(event) => setZone(event.target.value)} />}
        </Field>
        {errorOutsideFields(error ?? undefined, ['name', 'zone']) ? (
          <p className="inline-error" role="alert">
            {errorOutsideFields(error ?? undefined, ['name', 'zone'])}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="button" className="ghost-button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary-button" disabled={name.trim() === ''}>
            Add gate
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function useUndoCountdown(): number {
  const { checkin } = useServices();
  const last = useStore(checkin, (state) => state.lastAdmission);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!last) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [last]);
  return last ? checkin.getState().undoSecondsLeft(now) : 0;
}

/** Whether this station's readers check people in at this screen's gate and direction, and what to do when not. */
function ReaderMode({ gateName }: { gateName: string | undefined }): ReactElement | null {
  const { checkin } = useServices();
  const mode = useStore(checkin, (state) => state.stationMode);
  const gateId = useStore(checkin, (state) => state.gateId);
  const direction = useStore(checkin, (state) => state.direction);
  const modeError = useStore(checkin, (state) => state.modeError);
  if (modeError) {
    return (
      <p className="inline-error reader-mode" role="alert">
        Readers are not checking in: {modeError.message}
      </p>
    );
  }
  if (!mode) return null;
  if (mode.active && mode.gateId === gateId && mode.direction === direction) {
    return (
      <p className="reader-mode muted" data-reader-mode="here">
        Readers check in here: {direction === 'entry' ? 'entry' : 'exit'}
        {gateName ? ` at ${gateName}` : ''}, recorded by this terminal even while the screen reloads.
      </p>
    );
  }
  // Another window of this station left check-in or chose another gate: the last one to act decides.
  return (
    <p className="reader-mode reader-mode-elsewhere" role="status" data-reader-mode="elsewhere">
      {mode.active ? 'Readers check in at another gate or direction (set in another window).' : 'Readers are not checking in (another window left check-in).'}{' '}
      <button type="button" className="link-button" onClick={() => void checkin.getState().claimReaders()}>
        Use the readers here
      </button>
    </p>
  );
}

/**
 * The gate's screen (DESIGN.md section 1): the verdict fills the screen, nothing to click between
 * scans. The scan field keeps the focus (wedge scanners type into it and press Enter); scanner
 * bursts typed while focus is elsewhere arrive through the credential claim. Reader taps and scans
 * are decided by the host while this screen has the station in check-in mode; their verdicts
 * arrive as events (checkin-store.ts).
 *
 * Tab order follows the screen top to bottom: scan field, direction, gate, lock, manual check-in,
 * then the rarer actions (new gate, undo: F9 does it anyway).
 */
export function CheckinScreen(): ReactElement {
  const { checkin, credentialScans, station } = useServices();
  const gates = useStore(checkin, (state) => state.gates);
  const gatesPhase = useStore(checkin, (state) => state.gatesPhase);
  const gateId = useStore(checkin, (state) => state.gateId);
  const direction = useStore(checkin, (state) => state.direction);
  const display = useStore(checkin, (state) => state.display);
  const scanning = useStore(checkin, (state) => state.scanning > 0);
  const lastAdmission = useStore(checkin, (state) => state.lastAdmission);
  const undoError = useStore(checkin, (state) => state.undoError);
  const locked = useStore(station, (state) => state.status?.locked ?? false);
  const undoLeft = useUndoCountdown();
  const mayCheckInManually = useMayCall('customers.search');
  const mayAddGate = useMayCall('gates.create');
  const mayUndo = useMayCall('checkin.undo');
  const dateTime = useEventDateTime(useStore(checkin, (state) => state.counts?.timeZone));
  const [code, setCode] = useState('');
  const [dialog, setDialog] = useState<'lock' | 'unlock' | 'gate' | null>(null);
  const [manualOpen, setManualOpen] = useState(false);
  const scanInput = useRef<HTMLInputElement>(null);

  const focusScan = useCallback(() => {
    // Never pull focus out of an open dialog or the supervisor's manual search.
    if (document.querySelector('dialog[open]')) return;
    scanInput.current?.focus();
  }, []);

  // The station is in check-in mode while this screen is open. A reload does not run the
  // clean-up, so the mode (kept by the host) stays on and no presentation is lost meanwhile.
  useEffect(() => {
    void checkin.getState().enterCheckin();
    return () => void checkin.getState().leaveCheckin();
  }, [checkin]);

  useEffect(
    () =>
      credentialScans.getState().claim({
        // Readers' tags and barcodes are decided by the host (it records them even while this page
        // reloads); only what a keyboard-wedge scanner typed here is sent from here.
        tag: () => undefined,
        barcode: (scan) => {
          if (scan.source === 'keyboard') void checkin.getState().scan(scan.value);
        },
      }),
    [checkin, credentialScans],
  );

  // Only new verdicts sound: coming back to the screen does not replay the last one.
  const soundedSeq = useRef(display?.seq ?? 0);
  useEffect(() => {
    if (display && display.seq > soundedSeq.current) {
      soundedSeq.current = display.seq;
      playVerdictSound(display.tone);
    }
  }, [display]);

  useEffect(() => {
    if (dialog === null) focusScan();
  }, [dialog, focusScan]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (document.querySelector('dialog[open]')) return;
      if (event.key === shortcuts.undo) {
        event.preventDefault();
        void checkin.getState().undoLast();
      } else if (event.key === shortcuts.direction) {
        event.preventDefault();
        checkin.getState().setDirection(checkin.getState().direction === 'entry' ? 'exit' : 'entry');
      }
    };
    // Focus that falls to nothing (a click on the verdict, a removed button) goes back to the scan
    // field. Tabbing past the last control leaves the page (the document loses focus): that is the
    // browser's, and pulling focus back there made Tab bounce between the scan field and the last control.
    const onFocusOut = () =>
      setTimeout(() => {
        if (!document.hasFocus()) return;
        if (!document.activeElement || document.activeElement === document.body) focusScan();
      }, 0);
    document.addEventListener('keydown', onKey);
    document.addEventListener('focusout', onFocusOut);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('focusout', onFocusOut);
    };
  }, [checkin, focusScan]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const scanned = code;
    setCode('');
    void checkin.getState().scan(scanned);
  };

  const gateName = gates.find((gate) => gate.id === gateId)?.name;

  return (
    <section className="checkin-screen" aria-labelledby="checkin-title">
      <h1 id="checkin-title">Check-in</h1>
      <div className="checkin-layout">
        <div className="checkin-main">
          <form className="scan-form" aria-label="Scan" onSubmit={submit}>
            <label htmlFor="checkin-scan">
              {direction === 'entry' ? 'Entry' : 'Exit'}
              {gateName ? ` at ${gateName}` : ''}: scan a ticket or wristband, or type its code and press Enter
            </label>
            <input
              id="checkin-scan"
              ref={scanInput}
              className="scan-input"
              autoComplete="off"
              spellCheck={false}
              autoFocus
              value={code}
              onChange={(event) => setCode(event.target.value)}
            />
          </form>
          <div className="checkin-controls" role="group" aria-label="Station">
            <div className="direction-switch" role="radiogroup" aria-label={`Direction (${shortcuts.direction} switches)`}>
              {scanDirections.map((value) => (
                <button
                  key={value}
                  type="button"
                  role="radio"
                  aria-checked={direction === value}
                  className={direction === value ? `direction-option direction-${value} selected` : 'direction-option'}
                  onClick={() => {
                    checkin.getState().setDirection(value);
                    focusScan();
                  }}
                >
                  {value === 'entry' ? 'Entry' : 'Exit'}
                </button>
              ))}
            </div>
            <span className="inline-label">
              <label htmlFor="checkin-gate">Gate</label>
              <select
                id="checkin-gate"
                value={gateId ?? ''}
                disabled={locked || gatesPhase !== 'ready' || gates.length === 0}
                title={locked ? 'A supervisor sets the gate (unlock the station)' : undefined}
                onChange={(event) => {
                  checkin.getState().selectGate(event.target.value === '' ? null : event.target.value);
                }}
              >
                {gates.length === 0 ? <option value="">No gate</option> : null}
                {gates.map((gate) => (
                  <option key={gate.id} value={gate.id}>
                    {gate.name}
                  </option>
                ))}
              </select>
            </span>
            {locked ? (
              <button type="button" className="ghost-button" onClick={() => setDialog('unlock')}>
                Unlock station
              </button>
            ) : (
              <button type="button" className="ghost-button" onClick={() => setDialog('lock')}>
                Lock station
              </button>
            )}
            {locked || !mayCheckInManually ? null : (
              <button type="button" className="ghost-button" aria-expanded={manualOpen} aria-controls={manualOpen ? 'manual-checkin' : undefined} onClick={() => setManualOpen(!manualOpen)}>
                Manual check-in…
              </button>
            )}
            {locked || !mayAddGate ? null : (
              <button type="button" className="ghost-button small" onClick={() => setDialog('gate')}>
                <Icon name="plus" size={16} />
                New gate
              </button>
            )}
            {mayUndo ? (
              <button
                type="button"
                className="ghost-button undo-button"
                disabled={!lastAdmission || undoLeft === 0}
                aria-keyshortcuts={shortcuts.undo}
                onClick={() => {
                  void checkin.getState().undoLast();
                  focusScan();
                }}
              >
                <Icon name="history" size={16} />
                Undo last admission ({shortcuts.undo}){lastAdmission && undoLeft > 0 ? ` · ${undoLeft} s` : ''}
              </button>
            ) : null}
          </div>
          {locked ? (
            <p className="station-locked-note" role="note">
              Station locked to check-in{gateName ? ` at ${gateName}` : ''}. A supervisor PIN unlocks it.
            </p>
          ) : null}
          <ReaderMode gateName={gateName} />
          {undoError ? (
            <p className="inline-error" role="alert">
              {undoError.message}
            </p>
          ) : null}
          <Verdict display={display} scanning={scanning} place={`${direction === 'entry' ? 'Entry' : 'Exit'}${gateName ? ` at ${gateName}` : ''}`} dateTime={dateTime} />
          {manualOpen && !locked ? (
            <ManualCheckin
              onClose={() => {
                setManualOpen(false);
                focusScan();
              }}
            />
          ) : null}
        </div>
        <CountsPanel />
      </div>
      {dialog === 'lock' ? <LockDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'unlock' ? <UnlockDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'gate' ? <NewGateDialog onClose={() => setDialog(null)} /> : null}
    </section>
  );
}
