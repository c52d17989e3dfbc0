import { useEffect, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app-context.tsx';
import { Icon, type IconName } from '../../components/icons.tsx';
import { actionKeys } from '../../stores/customer-card-store.ts';

export interface CardAction {
  label: string;
  icon: IconName;
  run(): void;
}

/**
 * Seed 000's Action Menu, bottom right: a menu button with the standard keyboard pattern (arrows
 * move, Escape closes and gives focus back to the button). Alt+A opens it from anywhere on the card.
 */
export function ActionMenu({ actions }: { actions: CardAction[] }): ReactElement {
  const { customerCard } = useServices();
  const errors = useStore(customerCard, (state) => state.errors);
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const exportError = errors[actionKeys.customerCsv]?.message ?? errors[actionKeys.creditHistoryCsv]?.message;

  useEffect(() => {
    if (open) itemRefs.current[0]?.focus();
  }, [open]);

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.altKey && (event.key === 'a' || event.key === 'A')) {
        event.preventDefault();
        setOpen(true);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  function close(focusButton: boolean): void {
    setOpen(false);
    if (focusButton) buttonRef.current?.focus();
  }

  function onMenuKey(event: KeyboardEvent<HTMLDivElement>): void {
    const items = itemRefs.current.filter((item): item is HTMLButtonElement => item !== null);
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1 };
    if (event.key in moves) {
      event.preventDefault();
      items[(index + (moves[event.key] ?? 0) + items.length) % items.length]?.focus();
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      items[event.key === 'Home' ? 0 : items.length - 1]?.focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'Tab') {
      close(false);
    }
  }

  return (
    <div className="action-menu">
      {exportError ? (
        <p className="inline-error action-menu-error" role="alert">
          {exportError}
        </p>
      ) : null}
      {open ? (
        <div role="menu" id="card-action-menu" aria-label="Customer actions" className="menu" onKeyDown={onMenuKey}>
          {actions.map((action, index) => (
            <button
              key={action.label}
              ref={(element) => {
                itemRefs.current[index] = element;
              }}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="menu-item"
              onClick={() => {
                // Focus goes back to the button first: a dialog the action opens then returns it there.
                close(true);
                action.run();
              }}
            >
              <Icon name={action.icon} />
              {action.label}
            </button>
          ))}
        </div>
      ) : null}
      <button
        ref={buttonRef}
        type="button"
        className="fab"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? 'card-action-menu' : undefined}
        aria-keyshortcuts="Alt+A"
        onClick={() => setOpen(!open)}
      >
        <Icon name={open ? 'close' : 'menu'} />
        <span>Actions</span>
      </button>
    </div>
  );
}
