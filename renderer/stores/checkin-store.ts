import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ConnectedClient } from '../api/connection.ts';
import type { BoxOfficeClient, CardTicket, CheckinCounts, CheckinDirection, CheckinVerdict, CoreEvent, CustomerSearchResult, Gate, Output } from '../api/operations.ts';
import { formatTagUid } from '../format/tag-uid.ts';
import { actionError, type ActionError } from './action-error.ts';

/**
 * The Check-in screen's state (DESIGN.md sections 1 and 7): the verdict of the latest scan (it
 * fills the screen), the gate and direction this terminal scans at, undo of the last admission,
 * the live counts, and the supervisor's manual search and check-in.
 *
 * Readers are not this screen's business (issue 8, item 6): entering the screen puts the station
 * in check-in mode at its gate and direction, and from then on the host decides and records every
 * tag and barcode its readers read, even with no screen connected; the screen shows the verdicts
 * the host publishes. Scans that start here (keyboard-wedge scanners, typed codes, manual
 * check-in) are sent with `checkin.scan` as before.
 */

export type CheckinMode = Output<'station.checkinMode'>;

/** admit: green; warn: amber (admitted, but look: a re-entry); reject: red; error: the scan was not recorded. */
export type VerdictTone = 'admit' | 'warn' | 'reject' | 'error' | 'undone';

export interface VerdictDisplay {
  /** Grows with every verdict shown: the screen plays a sound and restarts its animation on change. */
  seq: number;
  /** The scan shown, null for a scan that was not recorded or an undo. */
  scanId: string | null;
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
  /** The station's check-in mode as the host last said (null until known): another window may have changed it. */
  stationMode: CheckinMode | null;
  /** Turning check-in mode on failed (the host said why); the readers are not checking in. */
  modeError: ActionError | null;
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
  /** The screen opened (or the connection came back): check-in mode on, and the latest verdict shown. */
  enterCheckin(): Promise<void>;
  /** The screen closed: the readers go back to the other screens. */
  leaveCheckin(): Promise<void>;
  /** Puts the station (back) in check-in mode at this screen's gate and direction. */
  claimReaders(): Promise<void>;
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

function credentialText(verdict: CheckinVerdict): string {
  if (verdict.ticket) return `Ticket ${verdict.ticket.reference}`;
  if (verdict.tag) return `Wristband ${formatTagUid(verdict.tag.uid)}`;
  return verdict.code;
}

/** What the screen shows for a verdict: pure, so the rules of colour and wording are tested alone. */
export function describeVerdict(verdict: CheckinVerdict, seq: number): VerdictDisplay {
  const admitted = verdict.verdict === 'admitted';
  const tone: VerdictTone = !admitted ? 'reject' : verdict.warning ? 'warn' : 'admit';
  const headline = !admitted ? 'REJECT' : verdict.direction === 'exit' ? 'EXIT' : verdict.warning === 're_entry' ? 'RE-ENTRY' : 'ADMIT';
  return {
    seq,
    scanId: verdict.scanId,
    tone,
    headline,
    message: verdict.message,
    credential: credentialText(verdict),
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
    scanId: null,
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

const isConnectedClient = (client: BoxOfficeClient): client is ConnectedClient => typeof (client as Partial<ConnectedClient>).onConnectionState === 'function';

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
  /** The latest scan sent from here: a late failure of an older one never replaces a newer verdict. */
  let latestScan = 0;
  /**
   * The newest scan shown. Scan ids are UUIDv7, so they sort by the time the host decided them:
   * a verdict arriving twice (answer and event) or late (an older scan) never replaces a newer one.
   */
  let newestShown = '';
  /** Whether the check-in screen is open in this window. */
  let inCheckin = false;
  let searchSeq = 0;
  let countsRunning: Promise<void> | null = null;
  let countsAgain = false;

  const store = createStore<CheckinState>()((set, get) => {
  /** Shows `verdict` if it is newer than what is shown; returns whether it did. */
  const showVerdict = (verdict: CheckinVerdict): boolean => {
    if (verdict.scanId <= newestShown) return false;
    newestShown = verdict.scanId;
    const admittedEntry = verdict.verdict === 'admitted' && verdict.direction === 'entry';
    set({
      display: describeVerdict(verdict, ++seq),
      undoError: null,
      ...(admittedEntry ? { lastAdmission: { scanId: verdict.scanId, at: verdict.at, credential: credentialText(verdict) } } : {}),
    });
    return true;
  };

  /** Gate or direction changed: the verdict up was decided for the old one, so it goes (issue 8: after F2 the old verdict stayed up). */
  const scanningPlaceChanged = () => {
    set({ display: null });
    if (inCheckin) void get().claimReaders();
  };

  return {
    gates: [],
    gatesPhase: 'idle',
    gateId: remembered(preferenceKeys.gate),
    direction: remembered(preferenceKeys.direction) === 'exit' ? 'exit' : 'entry',
    stationMode: null,
    modeError: null,
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

    async enterCheckin() {
      inCheckin = true;
      if (get().gatesPhase !== 'ready') await get().loadGates();
      await get().claimReaders();
      const latest = await client.invoke('checkin.latestVerdict', {});
      if (latest.ok && latest.value.verdict) showVerdict(latest.value.verdict);
    },

    async leaveCheckin() {
      inCheckin = false;
      const result = await client.invoke('station.setCheckinMode', { active: false, gateId: null, direction: 'entry' });
      if (result.ok) set({ stationMode: result.value });
    },

    async claimReaders() {
      const { gateId, direction } = get();
      const result = await client.invoke('station.setCheckinMode', { active: true, gateId, direction });
      if (result.ok) set({ stationMode: result.value, modeError: null });
      else set({ modeError: actionError(result.error) });
    },

    selectGate(gateId) {
      if (gateId === get().gateId) return;
      set({ gateId });
      if (gateId !== null) remember(preferenceKeys.gate, gateId);
      scanningPlaceChanged();
    },

    setDirection(direction) {
      if (direction === get().direction) return;
      set({ direction });
      remember(preferenceKeys.direction, direction);
      scanningPlaceChanged();
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
      if (!showVerdict(verdict) && verdict.verdict === 'admitted' && verdict.direction === 'entry') {
        // Answered late, behind a newer verdict: still this terminal's last admission, to undo.
        const last = get().lastAdmission;
        if (!last || last.scanId < verdict.scanId) set({ lastAdmission: { scanId: verdict.scanId, at: verdict.at, credential: credentialText(verdict) } });
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
          scanId: null,
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
      switch (event.type) {
        case 'checkin.verdict':
          // A reader's scan decided by the host, or one from another window of this station.
          showVerdict(event.verdict);
          break;
        case 'checkin.notRecorded':
          if (inCheckin) set({ display: errorDisplay({ code: 'INTERNAL', message: event.message.replace(/\.$/, '') }, event.code, ++seq) });
          return;
        case 'station.checkinMode':
          set({ stationMode: event.mode });
          return;
        case 'checkin.undone':
          break;
        default:
          return;
      }
      // The counts moved.
      if (get().counts !== null) void get().refreshCounts();
    },
  };
  });
  client.subscribe((event) => store.getState().applyEvent(event));
  if (isConnectedClient(client)) {
    // Back from a dropped connection: the screen missed events. Check-in mode is the station's
    // and stayed on; the verdict shown is brought up to date.
    let wasOnline = client.connectionState().kind === 'online';
    client.onConnectionState((state) => {
      const online = state.kind === 'online';
      if (online && !wasOnline && inCheckin) void store.getState().enterCheckin();
      wasOnline = online;
    });
  }
  return store;
}
