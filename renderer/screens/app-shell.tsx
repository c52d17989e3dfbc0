import { useEffect, useSyncExternalStore, type ReactElement, type RefObject } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../app-context.tsx';
import { describeConnection, type ConnectionState } from '../api/connection.ts';
import { Icon, type IconName } from '../components/icons.tsx';
import type { Route } from '../routing/hash-route.ts';
import { useHashRoute } from '../routing/use-hash-route.ts';
import { CustomerCardScreen } from './customer-card/customer-card-screen.tsx';
import { CustomersScreen } from './customers-screen.tsx';
import { ImportScreen } from './import-screen.tsx';
import { DevicesScreen } from './devices-screen.tsx';
import { OperatorsScreen } from './operators-screen.tsx';
import { SyncIndicator } from './sync/sync-indicator.tsx';
import { SyncScreen } from './sync/sync-screen.tsx';
import { ScanNoticeBanner, useKeyboardWedgeScans } from './scan-notice.tsx';
import { CheckinScreen } from './checkin/checkin-screen.tsx';
import { ActivationScreen } from './activation/activation-screen.tsx';
import { useStationLock } from './checkin/station-lock.tsx';
import { DemoBadge, FirstRunScreen, useDataFolderOverview } from './first-run-screen.tsx';
import { SimulatedReaderPanel, simulatedReaderShortcut, useSimulatedReaderToggle } from './simulated-reader-panel.tsx';
import { FirstAdminNotice, OperatorBadge, SignInScreen } from './sign-in-screen.tsx';
import { mayCall } from '../stores/operator-store.ts';
import type { OperationName } from '../api/operations.ts';
import type { CurrentOperator } from '../../core/operators/operators.contract.ts';

interface NavItem {
  label: string;
  icon: IconName;
  href?: string;
  /** The operation the screen is for: shown only to roles that may call it (core refuses the others anyway). */
  needs?: OperationName;
}

/** Customers now; the other stations' screens get their places in the sidebar as they arrive. */
const navigation: NavItem[] = [
  { label: 'Customers', icon: 'users', href: '#/customers', needs: 'customers.search' },
  { label: 'Import', icon: 'upload', href: '#/import', needs: 'import.customers' },
  { label: 'Check-in', icon: 'scan', href: '#/checkin', needs: 'checkin.scan' },
  { label: 'Wristband activation', icon: 'tag', href: '#/activation', needs: 'tags.activateForTicket' },
  { label: 'Devices', icon: 'device', href: '#/devices', needs: 'readers.add' },
  { label: 'Operators', icon: 'person', href: '#/operators', needs: 'operators.list' },
  { label: 'Sync', icon: 'sync', href: '#/sync', needs: 'sync.status' },
  { label: 'Settings', icon: 'settings' },
];

/** The screen a hash route shows, as its sidebar item. */
const screenLabels: Partial<Record<Route['screen'], string>> = {
  customers: 'Customers',
  customer: 'Customers',
  import: 'Import',
  devices: 'Devices',
  checkin: 'Check-in',
  activation: 'Wristband activation',
  operators: 'Operators',
  sync: 'Sync',
};

function navItemOf(screen: Route['screen']): NavItem | undefined {
  const label = screenLabels[screen];
  return navigation.find((item) => item.label === label);
}

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

function Brand({ demo }: { demo: boolean }): ReactElement {
  return (
    <div className="brand">
      <span className="brand-mark" aria-hidden="true">
        BO
      </span>
      <span>Box Office</span>
      {demo ? <DemoBadge /> : null}
    </div>
  );
}

/**
 * Who is signed in decides what shows (DESIGN.md section 6a): nobody, the sign-in screen; an
 * operator, the screens their role may use. A terminal without operators works as before and asks
 * for its first admin. The host keeps the sign-in per connection, so a reconnect asks again.
 */
export function AppShell(): ReactElement {
  const { theme: themeStore, operator, client } = useServices();
  const theme = useStore(themeStore, (state) => state.theme);
  const current = useStore(operator, (state) => state.current);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    void operator.getState().load();
    return client.onConnectionState((state) => {
      if (state.kind === 'online') void operator.getState().load();
    });
  }, [operator, client]);

  if (current !== null && (current.operator !== null || current.firstRun)) return <Workspace key={current.operator?.name ?? ''} current={current} />;
  return (
    <div className="shell shell-locked">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Brand demo={false} />
        <div className="topbar-end">
          <ConnectionStatus />
          <ThemeToggle />
        </div>
      </header>
      <main id="main" className="content" tabIndex={-1}>
        {current === null ? null : <SignInScreen />}
      </main>
    </div>
  );
}

function Workspace({ current: signedIn }: { current: CurrentOperator }): ReactElement {
  const route = useHashRoute();
  useKeyboardWedgeScans();
  const locked = useStationLock(route);
  const dataFolder = useDataFolderOverview(route.screen);
  const reader = useSimulatedReaderToggle();
  const { sync, client } = useServices();
  useEffect(() => {
    void sync.getState().load();
    // The host's sync status events stop while the page is cut off from the host: ask again after.
    return client.onConnectionState((state) => {
      if (state.kind === 'online') void sync.getState().load();
    });
  }, [sync, client]);

  const current = navItemOf(route.screen)?.label;
  const routeItem = navItemOf(route.screen);
  const allowedHere = routeItem?.needs === undefined || mayCall(signedIn, routeItem.needs);
  const firstAllowed = navigation.find((item) => item.href !== undefined && (item.needs === undefined || mayCall(signedIn, item.needs)))?.href;
  useEffect(() => {
    // A steward signing in on the customers list goes to the first screen their role has.
    if (!allowedHere && firstAllowed !== undefined) window.location.hash = firstAllowed;
  }, [allowedHere, firstAllowed]);

  return (
    <div className={locked ? 'shell shell-locked' : 'shell'}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Brand demo={dataFolder?.demo === true} />
        <div className="topbar-end">
          <OperatorBadge />
          <SyncIndicator linked={!locked && mayCall(signedIn, 'sync.status')} />
          <ConnectionStatus />
          <SimulatedReaderToggle open={reader.open} onToggle={reader.toggle} buttonRef={reader.toggleRef} />
          <ThemeToggle />
        </div>
      </header>
      {locked ? null : (
      <nav className="sidebar" aria-label="Main">
        <ul>
          {navigation.filter((item) => item.needs === undefined || mayCall(signedIn, item.needs)).map((item) => (
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
        {signedIn.firstRun && !locked ? <FirstAdminNotice /> : null}
        {allowedHere ? null : (
          <section className="empty-state">
            <h1>Not available for your role</h1>
            <p>Ask a supervisor or an admin, or go back to a screen in the menu.</p>
          </section>
        )}
        {/* An empty data folder greets with what to do next; the list waits for the answer so it never flashes. */}
        {allowedHere && route.screen === 'customers' && dataFolder !== null ? dataFolder.empty ? <FirstRunScreen /> : <CustomersScreen /> : null}
        {allowedHere && route.screen === 'customer' ? <CustomerCardScreen customerId={route.customerId} /> : null}
        {allowedHere && route.screen === 'import' ? <ImportScreen /> : null}
        {allowedHere && route.screen === 'devices' ? <DevicesScreen /> : null}
        {allowedHere && route.screen === 'checkin' ? <CheckinScreen /> : null}
        {allowedHere && route.screen === 'activation' ? <ActivationScreen /> : null}
        {allowedHere && route.screen === 'operators' ? <OperatorsScreen /> : null}
        {allowedHere && route.screen === 'sync' ? <SyncScreen /> : null}
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
