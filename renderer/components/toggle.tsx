import type { ReactElement } from 'react';

export interface ToggleProps {
  on: boolean;
  /** Accessible name, e.g. "Banned, ticket T-1001". */
  label: string;
  onText: string;
  offText: string;
  busy?: boolean;
  disabled?: boolean;
  tone?: 'danger' | 'neutral';
  onChange(next: boolean): void;
}

/** A switch that acts at once (seed 000's Redeemed and Banned toggles). */
export function Toggle({ on, label, onText, offText, busy, disabled, tone = 'neutral', onChange }: ToggleProps): ReactElement {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      aria-label={label}
      aria-busy={busy || undefined}
      disabled={disabled || busy}
      className={`toggle toggle-${tone}${on ? ' toggle-on' : ''}`}
      onClick={() => onChange(!on)}
    >
      <span className="toggle-track" aria-hidden="true">
        <span className="toggle-thumb" />
      </span>
      <span className="toggle-text">{on ? onText : offText}</span>
    </button>
  );
}
