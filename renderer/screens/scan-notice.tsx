import { useEffect, type ReactElement } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../app-context.tsx';
import { listenForKeyboardScans } from '../stores/keyboard-wedge.ts';

/** Keyboard-wedge scanners typing into the page become the same credential scans as reader events. */
export function useKeyboardWedgeScans(): void {
  const { credentialScans } = useServices();
  useEffect(
    () => listenForKeyboardScans(document, (text) => void credentialScans.getState().handle({ kind: 'barcode', value: text, source: 'keyboard' })),
    [credentialScans],
  );
}

/** What became of the last scan that found no customer (shown until dismissed or the next scan). */
export function ScanNoticeBanner(): ReactElement | null {
  const { credentialScans } = useServices();
  const notice = useStore(credentialScans, (state) => state.notice);
  if (!notice) return null;
  return (
    <div className={notice.tone === 'error' ? 'scan-notice scan-notice-error' : 'scan-notice'} role="alert">
      <span>{notice.message}</span>
      <button type="button" className="link-button" onClick={() => credentialScans.getState().dismissNotice()}>
        Dismiss
      </button>
    </div>
  );
}
