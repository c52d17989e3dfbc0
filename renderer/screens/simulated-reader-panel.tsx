import { useEffect, useRef, useState, type FormEvent, type ReactElement, type RefObject } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../app-context.tsx';
import type { DemoCode, SimulateReaderAction } from '../api/operations.ts';
import { Field, InlineError } from '../components/field.tsx';
import { errorForField, errorOutsideFields } from '../stores/action-error.ts';
import { deviceActionKeys } from '../stores/devices-store.ts';
import './simulated-reader-panel.css';

/** Alt+R shows and hides the panel from any screen. */
export const simulatedReaderShortcut = { key: 'r', label: 'Alt+R' } as const;

/** A wristband tap: the tag is taken away after a second, as a hand would. */
const tapMs = 1000;

const actionFor = (code: string, kind: DemoCode['kind']): SimulateReaderAction =>
  kind === 'tag' ? { type: 'presentTag', uid: code, holdMs: tapMs } : { type: 'scanBarcode', text: code, symbology: 'code128' };

/** The panel's open state and its keyboard shortcut, for the app shell. */
export function useSimulatedReaderToggle(): { open: boolean; toggle(): void; close(): void; toggleRef: RefObject<HTMLButtonElement | null> } {
  const [open, setOpen] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey && !event.ctrlKey && !event.metaKey && event.key.toLowerCase() === simulatedReaderShortcut.key) {
        event.preventDefault();
        setOpen((was) => !was);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  const close = () => {
    setOpen(false);
    // Back where the keyboard user was before: the button that opened the panel.
    toggleRef.current?.focus();
  };
  return { open, toggle: () => setOpen((was) => !was), close, toggleRef };
}

/**
 * A simulated reader beside whatever screen is open (issue 8): a demo user presents a demo ticket
 * or wristband on the check-in screen, the customers list or wristband activation in the same tab,
 * and the screen reacts exactly as to a real reader's event.
 */
export function SimulatedReaderPanel({ onClose }: { onClose(): void }): ReactElement {
  const { devices } = useServices();
  const codes = useStore(devices, (state) => state.demoCodes);
  const busy = useStore(devices, (state) => Boolean(state.pending[deviceActionKeys.panel]));
  const error = useStore(devices, (state) => state.errors[deviceActionKeys.panel]);
  const [text, setText] = useState('');
  const [last, setLast] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    void devices.getState().loadDemoCodes();
    heading.current?.focus();
  }, [devices]);

  const present = async (code: string, kind: DemoCode['kind']) => {
    const value = code.trim();
    if (value === '') return;
    if (await devices.getState().simulateFromPanel(actionFor(value, kind))) {
      setLast(kind === 'tag' ? `Tapped wristband ${value}` : `Scanned ${value}`);
      if (value === text.trim()) setText('');
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void present(text, 'ticket');
  };

  return (
    <aside
      id="simulated-reader-panel"
      className="simulated-reader-panel"
      aria-labelledby="simulated-reader-title"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <header className="panel-header">
        <h2 id="simulated-reader-title" ref={heading} tabIndex={-1}>
          Simulated reader
        </h2>
        <button type="button" className="ghost-button" onClick={onClose} aria-label="Close the simulated reader">
          Close
        </button>
      </header>
      <p className="muted small-text">
        Presents a ticket or wristband as a reader at this terminal would: the screen you are on reacts to it. {simulatedReaderShortcut.label} shows or
        hides this panel.
      </p>
      {codes.length > 0 ? (
        <ul className="demo-codes" aria-label="Demo tickets and wristbands">
          {codes.map((code) => (
            <li key={code.code}>
              <button type="button" className="ghost-button demo-code" disabled={busy} onClick={() => void present(code.code, code.kind)}>
                <span className="demo-code-action">{code.kind === 'tag' ? 'Tap' : 'Scan'}</span>
                <span className="mono">{code.code}</span>
              </button>
              <div className="muted small-text">
                {code.label} · {code.expect}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      <form className="simulated-reader-form" onSubmit={submit}>
        {/* A refused code (action.uid, action.text) is explained under the field, without its path. */}
        <Field label="Ticket reference or tag UID" error={errorForField(error, 'action')}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              className="mono"
              value={text}
              autoComplete="off"
              spellCheck={false}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={(event) => setText(event.target.value)}
            />
          )}
        </Field>
        <div className="simulated-reader-buttons">
          <button type="submit" className="primary-button" disabled={busy || text.trim() === ''}>
            Scan barcode
          </button>
          <button type="button" className="ghost-button" disabled={busy || text.trim() === ''} onClick={() => void present(text, 'tag')}>
            Tap wristband
          </button>
        </div>
      </form>
      <InlineError message={errorOutsideFields(error, ['action'])} />
      <p className="muted small-text" role="status" aria-live="polite">
        {last ?? ''}
      </p>
    </aside>
  );
}
