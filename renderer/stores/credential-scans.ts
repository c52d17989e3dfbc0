import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BoxOfficeClient, CoreEvent } from '../api/operations.ts';
import type { Route } from '../routing/hash-route.ts';

/**
 * Where a presented tag or a scanned barcode goes (DESIGN.md section 1: scanning a ticket or
 * presenting a tag outside check-in opens that customer's card). A dialog that wants credentials
 * (Assign tag) claims them while it is open; otherwise, on the customer screens, the credential
 * is resolved to its customer and the card opens. Elsewhere (Devices, Import) nothing happens.
 */

export interface CredentialScan {
  kind: 'tag' | 'barcode';
  /** The tag UID (upper-case hex) or the barcode text. */
  value: string;
  source: 'reader' | 'keyboard';
}

export interface CredentialClaim {
  tag?(scan: CredentialScan): void;
  barcode?(scan: CredentialScan): void;
}

export interface ScanNotice {
  tone: 'info' | 'error';
  message: string;
}

export interface CredentialScansState {
  notice: ScanNotice | null;
  /** A resolve under way (the card opens when it answers). */
  resolving: boolean;
  /** While a claim is held, every scan goes to it (kinds it does not take are ignored). */
  claim(claim: CredentialClaim): () => void;
  handle(scan: CredentialScan): Promise<void>;
  dismissNotice(): void;
}

export type CredentialScansStore = StoreApi<CredentialScansState>;

export interface ScanRouting {
  currentRoute(): Route;
  openCustomer(customerId: string): void;
}

export function credentialFromEvent(event: CoreEvent): CredentialScan | null {
  if (event.type !== 'reader') return null;
  if (event.event.type === 'tagPresented') return { kind: 'tag', value: event.event.uid, source: 'reader' };
  if (event.event.type === 'barcodeScanned') return { kind: 'barcode', value: event.event.text, source: 'reader' };
  return null;
}

export function createCredentialScans(client: BoxOfficeClient, routing: ScanRouting): CredentialScansStore {
  const claims: CredentialClaim[] = [];
  let latest = 0;
  const store = createStore<CredentialScansState>()((set) => ({
    notice: null,
    resolving: false,
    claim(claim) {
      claims.push(claim);
      return () => {
        const index = claims.lastIndexOf(claim);
        if (index >= 0) claims.splice(index, 1);
      };
    },
    async handle(scan) {
      const claim = claims.at(-1);
      if (claim) {
        claim[scan.kind]?.(scan);
        return;
      }
      const route = routing.currentRoute();
      if (route.screen !== 'customers' && route.screen !== 'customer') return;
      const mine = ++latest;
      set({ resolving: true, notice: null });
      const result = await client.invoke('customers.resolve', { key: scan.value });
      // A later scan wins: staff scanning two tickets in a row see the second customer.
      if (mine !== latest) return;
      set({ resolving: false });
      if (!result.ok) {
        const what = scan.kind === 'tag' ? 'Tag' : 'Scanned code';
        set({ notice: { tone: 'error', message: result.error.code === 'NOT_FOUND' || result.error.code === 'CONFLICT' ? result.error.message : `${what} could not be looked up: ${result.error.message}` } });
        return;
      }
      routing.openCustomer(result.value.customerId);
    },
    dismissNotice() {
      set({ notice: null });
    },
  }));
  client.subscribe((event) => {
    const scan = credentialFromEvent(event);
    if (scan) void store.getState().handle(scan);
  });
  return store;
}
