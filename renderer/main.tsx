import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ServicesProvider, type AppServices } from './app-context.tsx';
import { pickClient } from './api/pick-client.ts';
import { AppShell } from './screens/app-shell.tsx';
import { createCustomerCardStore } from './stores/customer-card-store.ts';
import { createCustomersListStore } from './stores/customers-list-store.ts';
import { createImportStore } from './stores/import-store.ts';
import { createThemeStore } from './stores/theme-store.ts';
import { createCredentialScans } from './stores/credential-scans.ts';
import { createDevicesStore } from './stores/devices-store.ts';
import { createCheckinStore } from './stores/checkin-store.ts';
import { createActivationStore } from './stores/activation-store.ts';
import { createStationStore } from './stores/station-store.ts';
import { createOperatorStore, recheckingOnRefusal } from './stores/operator-store.ts';
import { createOperatorsStore } from './stores/operators-store.ts';
import { createSyncStore } from './stores/sync-store.ts';
import { parseHash } from './routing/hash-route.ts';
import { navigate } from './routing/use-hash-route.ts';

function browserStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

const connected = pickClient();
// Sign-in is checked by core at every call: a refusal makes the window ask who is signed in now.
const operator = createOperatorStore(connected);
const client = recheckingOnRefusal(connected, operator);
const services: AppServices = {
  client,
  customersList: createCustomersListStore(client),
  customerCard: createCustomerCardStore(client),
  importCustomers: createImportStore(client),
  theme: createThemeStore(browserStorage()),
  devices: createDevicesStore(client),
  credentialScans: createCredentialScans(client, {
    currentRoute: () => parseHash(window.location.hash),
    openCustomer: (customerId) => navigate({ screen: 'customer', customerId }),
  }),
  checkin: createCheckinStore(client, { preferences: browserStorage() }),
  activation: createActivationStore(client),
  station: createStationStore(client),
  operator,
  operators: createOperatorsStore(client),
  sync: createSyncStore(client),
};
document.documentElement.dataset.theme = services.theme.getState().theme;

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ServicesProvider services={services}>
      <AppShell />
    </ServicesProvider>
  </StrictMode>,
);
