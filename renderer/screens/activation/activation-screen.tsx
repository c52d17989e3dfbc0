import { useEffect, useRef, type FormEvent, type ReactElement } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app-context.tsx';
import { Icon } from '../../components/icons.tsx';
import type { ActivationMode } from '../../stores/activation-store.ts';
import './activation.css';

const modes: { mode: ActivationMode; label: string }[] = [
  { mode: 'activate', label: 'Activate wristband' },
  { mode: 'replace', label: 'Replace lost wristband' },
];

/**
 * Wristband activation at the box office (DESIGN.md sections 1 and 7): the ticket step and the tag
 * step side by side, both live (a scanned barcode fills the ticket, a tag on the NFC reader fills
 * the tag, typing works too); as soon as both hold something the exchange runs, leaves one result
 * line, and the next exchange starts.
 */
export function ActivationScreen(): ReactElement {
  const { activation, credentialScans } = useServices();
  const mode = useStore(activation, (state) => state.mode);
  const ticket = useStore(activation, (state) => state.ticket);
  const oldTag = useStore(activation, (state) => state.oldTag);
  const tag = useStore(activation, (state) => state.tag);
  const pending = useStore(activation, (state) => state.pending);
  const lines = useStore(activation, (state) => state.lines);
  const firstField = useRef<HTMLInputElement>(null);
  const tagField = useRef<HTMLInputElement>(null);

  useEffect(
    () =>
      credentialScans.getState().claim({
        tag: (scan) => void activation.getState().presentTag(scan.value),
        barcode: (scan) => void activation.getState().presentTicket(scan.value),
      }),
    [activation, credentialScans],
  );

  // A finished exchange empties both steps: the next one starts at the first step.
  const firstValue = mode === 'activate' ? ticket : oldTag;
  useEffect(() => {
    if (firstValue === '' && tag === '' && !pending) firstField.current?.focus();
  }, [firstValue, tag, pending, mode]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (tag.trim() === '') {
      tagField.current?.focus();
      return;
    }
    if (firstValue.trim() === '') {
      firstField.current?.focus();
      return;
    }
    void activation.getState().submit();
  };

  const first =
    mode === 'activate'
      ? { id: 'activation-ticket', title: '1. Ticket', label: 'Ticket reference', hint: 'Scan the ticket barcode or type its reference', value: ticket, set: (text: string) => activation.getState().setTicket(text) }
      : { id: 'activation-lost', title: '1. Lost wristband', label: 'Lost wristband UID', hint: 'Type the lost wristband’s UID (from the customer card) or present it', value: oldTag, set: (text: string) => activation.getState().setOldTag(text) };

  return (
    <section className="activation-screen" aria-labelledby="activation-title">
      <header className="screen-header">
        <h1 id="activation-title">Wristband activation</h1>
        <div className="direction-switch" role="radiogroup" aria-label="Mode">
          {modes.map((option) => (
            <button
              key={option.mode}
              type="button"
              role="radio"
              aria-checked={mode === option.mode}
              className={mode === option.mode ? 'direction-option selected' : 'direction-option'}
              onClick={() => activation.getState().setMode(option.mode)}
            >
              {option.label}
            </button>
          ))}
        </div>
      </header>
      <form className="activation-steps" aria-label={mode === 'activate' ? 'Exchange a ticket for a wristband' : 'Replace a lost wristband'} onSubmit={submit}>
        <div className={first.value.trim() ? 'activation-step step-filled' : 'activation-step'}>
          <h2>
            <Icon name={mode === 'activate' ? 'ticket' : 'tag'} /> {first.title}
          </h2>
          <label htmlFor={first.id}>{first.label}</label>
          <input id={first.id} ref={firstField} className="step-input" autoComplete="off" spellCheck={false} autoFocus value={first.value} onChange={(event) => first.set(event.target.value)} />
          <p className="field-hint">{first.hint}</p>
        </div>
        <div className={tag.trim() ? 'activation-step step-filled' : 'activation-step'}>
          <h2>
            <Icon name="tag" /> {mode === 'activate' ? '2. Wristband' : '2. New wristband'}
          </h2>
          <label htmlFor="activation-tag">{mode === 'activate' ? 'Wristband UID' : 'New wristband UID'}</label>
          <input id="activation-tag" ref={tagField} className="step-input" autoComplete="off" spellCheck={false} value={tag} onChange={(event) => activation.getState().setTag(event.target.value)} />
          <p className="field-hint">Present the wristband on the NFC reader or type its UID</p>
        </div>
        <div className="activation-submit">
          {/* Never disabled while idle: Enter in a step submits the form, which moves on to the empty step. */}
          <button type="submit" className="primary-button" disabled={pending}>
            {pending ? 'Working…' : mode === 'activate' ? 'Activate' : 'Replace'}
          </button>
        </div>
      </form>
      <section aria-labelledby="exchanges-title" className="exchanges">
        <h2 id="exchanges-title">Exchanges</h2>
        {lines.length === 0 ? <p className="muted">Each exchange leaves one line here, newest first.</p> : null}
        <ol className="plain-list exchange-lines" aria-label="Exchange results">
          {lines.map((line) => (
            <li key={line.id} className={line.ok ? 'exchange-line exchange-ok' : 'exchange-line exchange-refused'} data-ok={line.ok}>
              <span className="exchange-mark" aria-hidden="true">
                {line.ok ? '✓' : '✕'}
              </span>
              <span className="exchange-text">
                <strong>{line.ok ? (line.mode === 'activate' ? 'Activated' : 'Replaced') : 'Refused'}</strong>
                {' · '}
                {line.text}
                {line.ok ? null : <span className="muted small-text"> ({line.presented})</span>}
              </span>
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}
