import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BoxOfficeClient, CardTicket, CheckinCounts, CheckinDirection, CheckinVerdict, CoreEvent, CustomerSearchResult, Gate } from '../api/operations.ts';
import { formatTagUid } from '../format/tag-uid.ts';
import { actionError, type ActionError } from './action-error.ts';

/**
 * The Check-in screen's state (DESIGN.md sections 1 and 7): the verdict of the latest scan (it
 * fills the screen), the gate and direction this terminal scans at, undo of the last admission,
 * the live counts, and the supervisor's manual search and check-in.
 */

/** admit: green; warn: amber (admitted, but look: a re-entry); reject: red; error: the scan was not recorded. */
export type VerdictTone = 'admit' | 'warn' | 'reject' | 'error' | 'undone';

export interface VerdictDisplay {
  /** Grows with every verdict shown: the screen plays a sound and restarts its animation on change. */
  seq: number;
  tone: VerdictTone;
  headline: string;
  message: string;
  /** What was scanned, as staff read it (`Ticket TCK-1`, `Wristband 04:A2:…`, or the raw code). */
  credential: string;
  customer: string | null;
  ticketType: string | null;
  /** For a credential used before: its first admitted entry. */
  firstAdmission: { at: string; gate: string | null } | null;
  gate: string | null;
  at: string | null;
}

export interface UndoableAdmission {
  scanId: string;
  /** When the host admitted it (ISO): the undo window runs from here. */
  at: string;
  credential: string;
}

export interface ManualCheckin {
  query: string;
  phase: 'idle' | 'searching' | 'ready';
  results: CustomerSearchResult[];
  customer: { id: string; name: string; tickets: CardTicket[] } | null;
  error: ActionError | null;
}

export interface CheckinPreferences {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface CheckinState {
  gates: Gate[];
  gatesPhase: 'idle' | 'loading' | 'ready' | 'error';
  gateId: string | null;
  direction: CheckinDirection;
  display: VerdictDisplay | null;
  /** Scans sent and not answered yet. */
  scanning: number;
  lastAdmission: UndoableAdmission | null;
  counts: CheckinCounts | null;
  countsError: ActionError | null;
  gateError: ActionError | null;
  undoError: ActionError | null;
  manual: ManualCheckin;

  loadGates(): Promise<void>;
  selectGate(gateId: string | null): void;
  setDirection(direction: CheckinDirection): void;
  scan(code: string): Promise<CheckinVerdict | null>;
  /** Seconds left to undo the last admission at `nowMs`, 0 when it cannot be undone any more. */
  undoSecondsLeft(nowMs: number): number;
  undoLast(): Promise<boolean>;
  refreshCounts(): Promise<void>;
  createGate(name: string, zone: string): Promise<boolean>;
  searchManual(query: string): Promise<void>;
  openManualCustomer(customerId: string): Promise<void>;
  closeManualCustomer(): void;
  /** Checks in one of the manually found customer's tickets: recorded like any scan. */
  checkInManually(reference: string): Promise<CheckinVerdict | null>;
  applyEvent(event: CoreEvent): void;
}

export type CheckinStore = StoreApi<CheckinState>;

/** The host refuses undo after 60 s (a turnstile that did not turn is noticed at once). */
export const undoWindowMs = 60_000;

const preferenceKeys = { gate: 'box-office.checkin.gate', direction: 'box-office.checkin.direction' } as const;

function credentialText(verdict: CheckinVerdict, code: string): string {
  if (verdict.ticket) return `Ticket ${verdict.ticket.reference}`;
  if (verdict.tag) return `Wristband ${formatTagUid(verdict.tag.uid)}`;
  return code;
}

/** What the screen shows for a verdict: pure, so the rules of colour and wording are tested alone. */
export function describeVerdict(verdict: CheckinVerdict, code: string, seq: number): VerdictDisplay {
  const admitted = verdict.verdict === 'admitted';
  const tone: VerdictTone = !admitted ? 'reject' : verdict.warning ? 'warn' : 'admit';
  const headline = !admitted ? 'REJECT' : verdict.direction === 'exit' ? 'EXIT' : verdict.warning === 're_entry' ? 'RE-ENTRY' : 'ADMIT';
  return {
    seq,
    tone,
    headline,
    message: verdict.message,
    credential: credentialText(verdict, code),
    customer: verdict.customer?.displayName ?? null,
    ticketType: verdict.ticket?.ticketType ?? verdict.tag?.ticketType ?? null,
    firstAdmission: verdict.firstAdmission,
    gate: verdict.gate?.name ?? null,
    at: verdict.at,
  };
}

function errorDisplay(error: ActionError, code: string, seq: number): VerdictDisplay {
  return {
    seq,
    tone: 'error',
    headline: 'NOT RECORDED',
    message: `${error.message}. Scan again.`,
    credential: code,
    customer: null,
    ticketType: null,
    firstAdmission: null,
    gate: null,
    at: null,
  };
}

const emptyManual: ManualCheckin = { query: '', phase: 'idle', results: [], customer: null, error: null };

export function createCheckinStore(client: BoxOfficeClient, options: { now?: () => number; preferences?: CheckinPreferences } = {}): CheckinStore {
  const now = options.now ?? (() => Date.now());
  const preferences = options.preferences;
  const remembered = (key: string): string | null => {
    try {
      return preferences?.getItem(key) ?? null;
    } catch {
      return null;
    }
  };
  const remember = (key: string, value: string) => {
    try {
      preferences?.setItem(key, value);
    } catch {
      // Not remembered across restarts; the choice still holds for this session.
    }
  };

  let seq = 0;
  /** The latest scan sent: an older answer arriving late is counted but never replaces the newer verdict. */
  let latestScan = 0;
  let searchSeq = 0;
  let countsRunning: Promise<void> | null = null;
  let countsAgain = false;

  const store = createStore<CheckinState>()((set, get) => ({
    gates: [],
    gatesPhase: 'idle',
    gateId: remembered(preferenceKeys.gate),
    direction: remembered(preferenceKeys.direction) === 'exit' ? 'exit' : 'entry',
    display: null,
    scanning: 0,
    lastAdmission: null,
    counts: null,
    countsError: null,
    gateError: null,
    undoError: null,
    manual: emptyManual,

    async loadGates() {
      set({ gatesPhase: 'loading' });
      const result = await client.invoke('gates.list', {});
      if (!result.ok) {
        set({ gatesPhase: 'error', gateError: actionError(result.error) });
        return;
      }
      const { gates } = result.value;
      const current = get().gateId;
      // A remembered gate that no longer exists falls back to the first one.
      const gateId = current !== null && gates.some((gate) => gate.id === current) ? current : (gates[0]?.id ?? null);
      set({ gates, gatesPhase: 'ready', gateId, gateError: null });
      if (gateId !== null) remember(preferenceKeys.gate, gateId);
    },

    selectGate(gateId) {
      set({ gateId });
      if (gateId !== null) remember(preferenceKeys.gate, gateId);
    },

    setDirection(direction) {
      set({ direction });
      remember(preferenceKeys.direction, direction);
    },

    async scan(rawCode) {
      const code = rawCode.trim();
      if (code === '') return null;
      const mine = ++latestScan;
      const { gateId, direction } = get();
      set((state) => ({ scanning: state.scanning + 1 }));
      const result = await client.invoke('checkin.scan', { code, gateId, direction });
      set((state) => ({ scanning: state.scanning - 1 }));
      if (!result.ok) {
        if (mine === latestScan) set({ display: errorDisplay(actionError(result.error), code, ++seq) });
        return null;
      }
      const verdict = result.value;
      const admittedEntry = verdict.verdict === 'admitted' && verdict.direction === 'entry';
      if (mine === latestScan) {
        set({
          display: describeVerdict(verdict, code, ++seq),
          undoError: null,
          ...(admittedEntry ? { lastAdmission: { scanId: verdict.scanId, at: verdict.at, credential: credentialText(verdict, code) } } : {}),
        });
      } else if (admittedEntry) {
        set({ lastAdmission: { scanId: verdict.scanId, at: verdict.at, credential: credentialText(verdict, code) } });
      }
      void get().refreshCounts();
      return verdict;
    },

    undoSecondsLeft(nowMs) {
      const last = get().lastAdmission;
      if (!last) return 0;
      const left = undoWindowMs - (nowMs - Date.parse(last.at));
      return left > 0 ? Math.ceil(left / 1000) : 0;
    },

    async undoLast() {
      const last = get().lastAdmission;
      if (!last) return false;
      if (get().undoSecondsLeft(now()) === 0) {
        set({ lastAdmission: null, undoError: { code: 'CONFLICT', message: `The admission of ${last.credential} is older than 60 seconds: it can no longer be undone` } });
        return false;
      }
      const result = await client.invoke('checkin.undo', { scanId: last.scanId });
      if (!result.ok) {
        set({ undoError: actionError(result.error), ...(result.error.code === 'CONFLICT' ? { lastAdmission: null } : {}) });
        return false;
      }
      set({
        lastAdmission: null,
        undoError: null,
        display: {
          seq: ++seq,
          tone: 'undone',
          headline: 'UNDONE',
          message: `Admission of ${last.credential} undone: it can be scanned again`,
          credential: last.credential,
          customer: null,
          ticketType: null,
          firstAdmission: null,
          gate: null,
          at: result.value.undoneAt,
        },
      });
      void get().refreshCounts();
      return true;
    },

    async refreshCounts() {
      // One request at a time; verdicts arriving meanwhile ask for one more refresh, not one each.
      if (countsRunning) {
        countsAgain = true;
        return countsRunning;
      }
      countsRunning = (async () => {
        do {
          countsAgain = false;
          const result = await client.invoke('checkin.counts', {});
          if (result.ok) set({ counts: result.value, countsError: null });
          else set({ countsError: actionError(result.error) });
        } while (countsAgain);
      })();
      try {
        await countsRunning;
      } finally {
        countsRunning = null;
      }
    },

    async createGate(name, zone) {
      const result = await client.invoke('gates.create', { name, zone: zone.trim() === '' ? null : zone });
      if (!result.ok) {
        set({ gateError: actionError(result.error) });
        return false;
      }
      set({ gateError: null });
      get().selectGate(result.value.id);
      await get().loadGates();
      void get().refreshCounts();
      return true;
    },

    async searchManual(query) {
      const mine = ++searchSeq;
      if (query.trim() === '') {
        set((state) => ({ manual: { ...state.manual, query, phase: 'idle', results: [], error: null } }));
        return;
      }
      set((state) => ({ manual: { ...state.manual, query, phase: 'searching', error: null } }));
      const result = await client.invoke('customers.search', { query, limit: 10 });
      if (mine !== searchSeq) return;
      set((state) => ({
        manual: result.ok
          ? { ...state.manual, phase: 'ready', results: result.value.results, error: null }
          : { ...state.manual, phase: 'ready', results: [], error: actionError(result.error) },
      }));
    },

    async openManualCustomer(customerId) {
      const result = await client.invoke('customers.card', { customerId });
      if (!result.ok) {
        set((state) => ({ manual: { ...state.manual, error: actionError(result.error) } }));
        return;
      }
      const card = result.value;
      set((state) => ({ manual: { ...state.manual, error: null, customer: { id: card.profile.id, name: card.profile.displayName, tickets: card.tickets } } }));
    },

    closeManualCustomer() {
      set((state) => ({ manual: { ...state.manual, customer: null } }));
    },

    async checkInManually(reference) {
      const verdict = await get().scan(reference);
      const customer = get().manual.customer;
      if (verdict && customer) await get().openManualCustomer(customer.id);
      return verdict;
    },

    applyEvent(event) {
      // Another screen or window of this host scanned or undid: the counts moved.
      if (get().counts === null) return;
      if (event.type === 'checkin.verdict' || event.type === 'checkin.undone') void get().refreshCounts();
    },
  }));
  client.subscribe((event) => store.getState().applyEvent(event));
  return store;
}
