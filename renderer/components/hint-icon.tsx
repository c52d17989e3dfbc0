import { useId, type ReactElement } from 'react';
import { Icon, type IconName } from './icons.tsx';

/**
 * An icon that reveals a short text on hover and on keyboard focus (seed 004: the green "i" shows
 * the note, the globe shows the web user's e-mail).
 */
export function HintIcon({ icon, label, text, className }: { icon: IconName; label: string; text: string; className?: string }): ReactElement {
  const tipId = useId();
  return (
    <span className={`hint ${className ?? ''}`}>
      <button type="button" className="hint-button" aria-label={label} aria-describedby={tipId}>
        <Icon name={icon} size={20} />
      </button>
      <span role="tooltip" id={tipId} className="hint-text">
        {text}
      </span>
    </span>
  );
}
