import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BoxOfficeClient } from '../api/operations.ts';
import { formatTagUid } from '../format/tag-uid.ts';

/**
 * Wristband activation at the box office (DESIGN.md section 7): a ticket step and a tag step, live
 * side by side and filled in either order (scanner, NFC reader or typing); when both are there, one
 * call exchanges the ticket for the wristband. Every exchange leaves one result line and the next
 * one starts at once. "Replace lost wristband" mode takes the lost tag, then the new one.
 */

export type ActivationMode = 'activate' | 'replace';

export interface ExchangeLine {
  id: number;
  ok: boolean;
  mode: ActivationMode;
  /** ok: who, which ticket and which wristband; refused: the host's reason. */
  text: string;
  /** What was presented, for a refused line (`Ticket TCK-1 · Wristband 04:…`). */
  presented: string;
}

export interface ActivationState {
  mode: ActivationMode;
  /** Activate: the ticket reference. */
  ticket: string;
  /** Replace: the lost wristband's UID. */
  oldTag: string;
  /** The wristband being handed out. */
  tag: string;
  pending: boolean;
  lines: ExchangeLine[];

  setMode(mode: ActivationMode): void;
  setTicket(text: string): void;
  setOldTag(text: string): void;
  setTag(text: string): void;
  /** A scanned ticket: fills the ticket step and exchanges when the tag is there. */
  presentTicket(reference: string): Promise<void>;
  /** A presented tag: fills the next tag step and exchanges when the other step is there. */
  presentTag(uid: string): Promise<void>;
  /** Exchanges with what the steps hold; false (nothing sent) while a step is empty. */
  submit(): Promise<boolean>;
}

export type ActivationStore = StoreApi<ActivationState>;

/** Lines kept on screen: a shift's worth, newest first. */
const keptLines = 200;

const uidText = (uid: string) => formatTagUid(uid.replace(/[^0-9a-f]/gi, '').toUpperCase());

export function createActivationStore(client: BoxOfficeClient): ActivationStore {
  let lineId = 0;

  async function holderName(customerId: string): Promise<{ name: string; ticketType: (ticketId: string) => string | null }> {
    const card = await client.invoke('customers.card', { customerId });
    if (!card.ok) return { name: `customer ${customerId}`, ticketType: () => null };
    return {
      name: card.value.profile.displayName,
      ticketType: (ticketId) => card.value.tickets.find((ticket) => ticket.id === ticketId)?.ticketType ?? null,
    };
  }

  const store = createStore<ActivationState>()((set, get) => {
    const addLine = (line: Omit<ExchangeLine, 'id'>) => set((state) => ({ lines: [{ ...line, id: ++lineId }, ...state.lines].slice(0, keptLines) }));
    const ready = (state: ActivationState) => state.tag.trim() !== '' && (state.mode === 'activate' ? state.ticket.trim() !== '' : state.oldTag.trim() !== '');

    return {
      mode: 'activate',
      ticket: '',
      oldTag: '',
      tag: '',
      pending: false,
      lines: [],

      setMode(mode) {
        set({ mode, ticket: '', oldTag: '', tag: '' });
      },
      setTicket(ticket) {
        set({ ticket });
      },
      setOldTag(oldTag) {
        set({ oldTag });
      },
      setTag(tag) {
        set({ tag });
      },

      async presentTicket(reference) {
        if (get().mode !== 'activate' || get().pending) return;
        set({ ticket: reference });
        if (ready(get())) await get().submit();
      },

      async presentTag(uid) {
        if (get().pending) return;
        const state = get();
        if (state.mode === 'replace' && state.oldTag.trim() === '') set({ oldTag: uid });
        else set({ tag: uid });
        if (ready(get())) await get().submit();
      },

      async submit() {
        const state = get();
        if (state.pending || !ready(state)) return false;
        set({ pending: true });
        const tag = state.tag.trim();
        if (state.mode === 'activate') {
          const ticketReference = state.ticket.trim();
          const presented = `Ticket ${ticketReference} · Wristband ${uidText(tag)}`;
          const result = await client.invoke('tags.activateForTicket', { ticketReference, uid: tag });
          if (!result.ok) {
            addLine({ ok: false, mode: 'activate', text: result.error.message, presented });
          } else {
            const holder = await holderName(result.value.customerId);
            const type = holder.ticketType(result.value.ticketId);
            const who = result.value.customerCreated ? `${holder.name} (new anonymous customer)` : holder.name;
            const replaced = result.value.replacedTagIds.length > 0 ? `; previous wristband replaced` : '';
            addLine({ ok: true, mode: 'activate', text: `${who} · Ticket ${ticketReference}${type ? ` (${type})` : ''} · Wristband ${uidText(tag)}${replaced}`, presented });
          }
        } else {
          const oldUid = state.oldTag.trim();
          const presented = `Lost wristband ${uidText(oldUid)} · New wristband ${uidText(tag)}`;
          const result = await client.invoke('tags.replace', { oldUid, newUid: tag });
          if (!result.ok) {
            addLine({ ok: false, mode: 'replace', text: result.error.message, presented });
          } else {
            const holder = await holderName(result.value.customerId);
            addLine({ ok: true, mode: 'replace', text: `${holder.name} · Wristband ${uidText(oldUid)} replaced by ${uidText(tag)}`, presented });
          }
        }
        // The next exchange starts at once, whatever became of this one.
        set({ pending: false, ticket: '', oldTag: '', tag: '' });
        return true;
      },
    };
  });
  return store;
}
