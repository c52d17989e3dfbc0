import { createKeyboardBurstDetector, type BurstOptions } from '../../drivers/barcode/keyboard-burst-detector.ts';

/**
 * Keyboard-wedge scanners type into the page. Keydowns are watched in the capture phase with the
 * burst detector: keys are never held back (human typing is untouched); only the Enter or Tab that
 * ends a scan is cancelled, so it neither submits nor moves focus, and the scan is reported
 * instead. Typing fields take wedge input as typed text (a scanner filling "ticket references"),
 * except fields marked `data-scan-target`, such as the customer search box.
 */

export interface KeyboardScanTarget {
  addEventListener(type: 'keydown', listener: (event: KeyboardEvent) => void, options: { capture: boolean }): void;
  removeEventListener(type: 'keydown', listener: (event: KeyboardEvent) => void, options: { capture: boolean }): void;
}

function takesTypedText(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const element = target as HTMLElement;
  if (element.dataset?.scanTarget !== undefined) return false;
  return element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName);
}

/** Returns the function that stops listening. */
export function listenForKeyboardScans(target: KeyboardScanTarget, onScan: (text: string) => void, options?: BurstOptions): () => void {
  const detector = createKeyboardBurstDetector(options);
  const listener = (event: KeyboardEvent) => {
    if (takesTypedText(event.target)) {
      detector.reset();
      return;
    }
    const decision = detector.key({
      key: event.key,
      time: event.timeStamp,
      modified: event.ctrlKey || event.altKey || event.metaKey,
      composing: event.isComposing,
    });
    if (decision.kind === 'scan') {
      event.preventDefault();
      event.stopPropagation();
      onScan(decision.text);
    }
  };
  target.addEventListener('keydown', listener, { capture: true });
  return () => target.removeEventListener('keydown', listener, { capture: true });
}
