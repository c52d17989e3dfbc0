import { createContext, useContext, type ReactElement, type ReactNode } from 'react';
import type { StoreApi } from 'zustand/vanilla';
import type { ConnectedClient } from './api/connection.ts';
import type { CustomerCardStore } from './stores/customer-card-store.ts';
import type { CustomersListStore } from './stores/customers-list-store.ts';
import type { CredentialScansStore } from './stores/credential-scans.ts';
import type { DevicesStore } from './stores/devices-store.ts';
import type { ImportStore } from './stores/import-store.ts';
import type { ThemeState } from './stores/theme-store.ts';
import type { CheckinStore } from './stores/checkin-store.ts';
import type { ActivationStore } from './stores/activation-store.ts';
import type { StationStore } from './stores/station-store.ts';
import type { OperatorStore } from './stores/operator-store.ts';
import type { OperatorsStore } from './stores/operators-store.ts';
import type { SyncStore } from './stores/sync-store.ts';

/** Everything the screens share: made once in main.tsx (or a test) and handed down. */
export interface AppServices {
  client: ConnectedClient;
  customersList: CustomersListStore;
  customerCard: CustomerCardStore;
  /** Kept here, not in the screen: an import keeps running (and its summary waits) while staff look elsewhere. */
  importCustomers: ImportStore;
  theme: StoreApi<ThemeState>;
  devices: DevicesStore;
  /** Where presented tags and scanned barcodes go (a claiming dialog, or the customer's card). */
  credentialScans: CredentialScansStore;
  checkin: CheckinStore;
  activation: ActivationStore;
  /** Whether this terminal is locked to the check-in screen. */
  station: StationStore;
  /** Who is signed in at this window. */
  operator: OperatorStore;
  /** The Operators screen: this terminal's operators, for an admin to manage. */
  operators: OperatorsStore;
  /** Where this terminal stands with the central server: the status indicator and the Sync screen. */
  sync: SyncStore;
}

const ServicesContext = createContext<AppServices | null>(null);

export function ServicesProvider({ services, children }: { services: AppServices; children: ReactNode }): ReactElement {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices needs a ServicesProvider above it');
  return services;
}
