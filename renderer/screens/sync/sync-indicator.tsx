import type { ReactElement } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app-context.tsx';
import { Icon } from '../../components/icons.tsx';
import { describeSync } from '../../format/sync-status.ts';

/**
 * Where this terminal stands with the central server, in the top bar of every screen (DESIGN.md
 * section 6): online or offline, commands waiting, last sync. A link to the Sync screen, so it is
 * reached with Tab and opened with Enter; at a locked station it only shows.
 */
export function SyncIndicator({ linked }: { linked: boolean }): ReactElement | null {
  const { sync } = useServices();
  const status = useStore(sync, (state) => state.status);
  if (status === null) return null;
  const { text, tone } = describeSync(status);
  const content = (
    <>
      <Icon name="sync" size={16} className={status.syncing ? 'sync-spinning' : undefined} />
      <span className="sync-indicator-text">{text}</span>
    </>
  );
  return (
    <div className={`sync-indicator sync-indicator-${tone}`} role="status" aria-live="polite" aria-label="Sync with the central server" data-testid="sync-indicator">
      {linked ? (
        <a href="#/sync" className="sync-indicator-link" title="Open the Sync screen">
          {content}
        </a>
      ) : (
        content
      )}
    </div>
  );
}
