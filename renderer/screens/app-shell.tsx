import { useEffect, useSyncExternalStore, type ReactElement, type RefObject } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../app-context.tsx';
import { describeConnection, type ConnectionState } from '../api/connection.ts';
import { Icon, type IconName } from '../components/icons.tsx';
import { useHashRoute } from '../routing/use-hash-route.ts';
import { CustomerCardScreen } from './customer-card/customer-card-screen.tsx';
import { CustomersScreen } from './customers-screen.tsx';
import { ImportScreen } from './import-screen.tsx';
import { DevicesScreen } from './devices-screen.tsx';
import { ScanNoticeBanner, useKeyboardWedgeScans } from './scan-notice.tsx';
import { CheckinScreen } from './checkin/checkin-screen.tsx';
import { ActivationScreen } from './activation/activation-screen.tsx';
import { useStationLock } from './checkin/station-lock.tsx';
import { DemoBadge, FirstRunScreen, useDataFolderOverview } from './first-run-screen.tsx';
import { SimulatedReaderPanel, simulatedReaderShortcut, useSimulatedReaderToggle } from './simulated-reader-panel.tsx';

interface NavItem {
  label: string;
  icon: IconName;
  href?: string;
}

/** Customers now; the other stations' screens get their places in the sidebar as they arrive. */
const navigation: NavItem[] = [
  { label: 'Customers', icon: 'users', href: '#/customers' },
  { label: 'Import', icon: 'upload', href: '#/import' },
  { label: 'Check-in', icon: 'scan', href: '#/checkin' },
  { label: 'Wristband activation', icon: 'tag', href: '#/activation' },
  { label: 'Devices', icon: 'device', href: '#/devices' },
  { label: 'Sync', icon: 'sync' },
  { label: 'Settings', icon: 'settings' },
];

function ConnectionStatus(): ReactElement {
  const { client } = useServices();
  const state = useSyncExternalStore<ConnectionState>(
    (onChange) => client.onConnectionState(onChange),
    () => client.connectionState(),
  );
  return (
    <div className={`connection connection-${state.kind}`} role="status" aria-live="polite" aria-label="Connection status">
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-text">{describeConnection(state)}</span>
      {state.kind === 'offline' ? (
        <button type="button" className="link-button" onClick={() => client.reconnectNow()}>
          Retry now
        </button>
      ) : null}
    </div>
  );
}

function SimulatedReaderToggle({ open, onToggle, buttonRef }: { open: boolean; onToggle(): void; buttonRef: RefObject<HTMLButtonElement | null> }): ReactElement {
  return (
    <button
      ref={buttonRef}
      type="button"
      className="icon-button simulated-reader-toggle"
      aria-expanded={open}
      aria-controls="simulated-reader-panel"
      aria-keyshortcuts={simulatedReaderShortcut.label}
      aria-label={`Simulated reader (${simulatedReaderShortcut.label})`}
      title={`Simulated reader (${simulatedReaderShortcut.label})`}
      onClick={onToggle}
    >
      <Icon name="scan" />
    </button>
  );
}

function ThemeToggle(): ReactElement {
  const { theme: themeStore } = useServices();
  const theme = useStore(themeStore, (state) => state.theme);
  const toggle = useStore(themeStore, (state) => state.toggle);
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button type="button" className="icon-button" aria-label={`Switch to ${next} theme`} title={`Switch to ${next} theme`} onClick={toggle}>
      <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
    </button>
  );
}

export function AppShell(): ReactElement {
  const route = useHashRoute();
  const { theme: themeStore } = useServices();
  const theme = useStore(themeStore, (state) => state.theme);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useKeyboardWedgeScans();
  const locked = useStationLock(route);
  const dataFolder = useDataFolderOverview(route.screen);
  const reader = useSimulatedReaderToggle();

  const current =
    route.screen === 'customers' || route.screen === 'customer' ? 'Customers' : route.screen === 'import' ? 'Import' : route.screen === 'devices' ? 'Devices' : route.screen === 'checkin' ? 'Check-in' : route.screen === 'activation' ? 'Wristband activation' : undefined;

  return (
    <div className={locked ? 'shell shell-locked' : 'shell'}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            BO
          </span>
          <span>Box Office</span>
          {dataFolder?.demo ? <DemoBadge /> : null}
        </div>
        <div className="topbar-end">
          <ConnectionStatus />
          <SimulatedReaderToggle open={reader.open} onToggle={reader.toggle} buttonRef={reader.toggleRef} />
          <ThemeToggle />
        </div>
      </header>
      {locked ? null : (
      <nav className="sidebar" aria-label="Main">
        <ul>
          {navigation.map((item) => (
            <li key={item.label}>
              {item.href ? (
                <a href={item.href} className="nav-item" aria-current={current === item.label ? 'page' : undefined}>
                  <Icon name={item.icon} />
                  <span>{item.label}</span>
                </a>
              ) : (
                <span className="nav-item nav-item-later" aria-disabled="true" title="Not available yet">
                  <Icon name={item.icon} />
                  <span>{item.label}</span>
                </span>
              )}
            </li>
          ))}
        </ul>
      </nav>
      )}
      <main id="main" className="content" tabIndex={-1}>
        <ScanNoticeBanner />
        {/* An empty data folder greets with what to do next; the list waits for the answer so it never flashes. */}
        {route.screen === 'customers' && dataFolder !== null ? dataFolder.empty ? <FirstRunScreen /> : <CustomersScreen /> : null}
        {route.screen === 'customer' ? <CustomerCardScreen customerId={route.customerId} /> : null}
        {route.screen === 'import' ? <ImportScreen /> : null}
        {route.screen === 'devices' ? <DevicesScreen /> : null}
        {route.screen === 'checkin' ? <CheckinScreen /> : null}
        {route.screen === 'activation' ? <ActivationScreen /> : null}
        {route.screen === 'not-found' ? (
          <section className="empty-state">
            <h1>Page not found</h1>
            <p>
              Nothing lives at <code>{route.hash}</code>. <a href="#/customers">Go to Customers</a>
            </p>
          </section>
        ) : null}
      </main>
      {reader.open ? <SimulatedReaderPanel onClose={reader.close} /> : null}
    </div>
  );
}
