import { useEffect, useId, useRef, type ReactElement, type ReactNode, type RefObject } from 'react';
import { Icon } from './icons.tsx';

export interface DialogProps {
  title: string;
  onClose(): void;
  children: ReactNode;
  /** Buttons at the bottom (submit, cancel). */
  footer?: ReactNode;
  wide?: boolean;
  /** What has the focus once open, when it is not the first field (a confirmation's safe choice). */
  initialFocus?: RefObject<HTMLElement | null>;
}

/**
 * A modal built on the native <dialog>: the browser traps focus, closes on Escape and restores
 * focus to the opener, and the element carries role="dialog" with the heading as its name.
 */
export function Dialog({ title, onClose, children, footer, wide, initialFocus }: DialogProps): ReactElement {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      // React focuses an `autoFocus` field while mounting, before this effect; showModal() then
      // moves the focus to the first focusable element, the Close button, where a typed space
      // would close the dialog. Give the focus back to that field, else to the first field.
      const focused = document.activeElement instanceof HTMLElement && dialog.contains(document.activeElement) ? document.activeElement : null;
      dialog.showModal();
      const field = focused ?? initialFocus?.current ?? dialog.querySelector<HTMLElement>('.dialog-body :is(input, select, textarea):not([disabled])');
      field?.focus();
    }
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        close.current();
      }}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={() => close.current()}>
          <Icon name="close" />
        </button>
      </header>
      <div className="dialog-body">{children}</div>
      {footer ? <footer className="dialog-footer">{footer}</footer> : null}
    </dialog>
  );
}
