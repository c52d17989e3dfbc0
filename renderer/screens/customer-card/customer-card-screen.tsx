import { useEffect, useRef, useState, type ReactElement, type RefObject } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app-context.tsx';
import { downloadCsv } from '../../download-file.ts';
import { navigate } from '../../routing/use-hash-route.ts';
import { actionKeys } from '../../stores/customer-card-store.ts';
import { ActionMenu, type CardAction } from './action-menu.tsx';
import { AssignTagDialog, AssignTicketDialog, ConnectWebUserDialog, ScanHistoryDialog } from './card-dialogs.tsx';
import { CardHeader } from './card-header.tsx';
import { TagsSection, TicketsSection } from './credentials-sections.tsx';
import { AlternativeEmailsSection, DescriptionSection } from './notes-section.tsx';
import { HistorySection, OrderDetailDialog, OrdersSection, TimelineSection } from './orders-sections.tsx';
import { NewOrderDialog } from './new-order-dialog.tsx';
import { ProfileSection } from './profile-section.tsx';

type OpenDialog = 'assignTicket' | 'assignTag' | 'connectWebUser' | 'newOrder' | { orderId: string } | null;

/**
 * Where focus goes back when a dialog closes: the control that opened it (the Actions button, a
 * ticket's Scan history button, an order card), or the card's heading when that control is gone
 * (the Connect web user button after connecting). The focus moves in an effect of the render that
 * removed the dialog, so after the native dialog has let go of it.
 */
function useFocusReturn(fallback: RefObject<HTMLElement | null>): { remember(): void; restore(): void } {
  const opener = useRef<HTMLElement | null>(null);
  const [restores, setRestores] = useState(0);
  useEffect(() => {
    if (restores === 0) return;
    const target = opener.current;
    opener.current = null;
    (target?.isConnected ? target : fallback.current)?.focus();
  }, [restores, fallback]);
  return {
    remember() {
      const active = document.activeElement;
      opener.current = active instanceof HTMLElement && active !== document.body ? active : null;
    },
    restore() {
      setRestores((count) => count + 1);
    },
  };
}

export function CustomerCardScreen({ customerId }: { customerId: string }): ReactElement {
  const { customerCard } = useServices();
  const card = useStore(customerCard, (state) => (state.customerId === customerId ? state.card : null));
  const phase = useStore(customerCard, (state) => state.phase);
  const loadError = useStore(customerCard, (state) => state.errors[actionKeys.load]);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [editing, setEditing] = useState(false);
  const profileRef = useRef<HTMLDivElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusReturn = useFocusReturn(headingRef);
  const shownId = card?.profile.id;

  useEffect(() => {
    setDialog(null);
    setEditing(false);
    void customerCard.getState().open(customerId);
  }, [customerId, customerCard]);

  // Opening a card (from the list, a scan or a link) moves focus onto it, not back to the page.
  useEffect(() => {
    if (shownId) headingRef.current?.focus();
  }, [shownId]);

  const openDialog = (next: Exclude<OpenDialog, null>) => {
    focusReturn.remember();
    setDialog(next);
  };
  const closeDialog = () => {
    setDialog(null);
    focusReturn.restore();
  };

  const goBack = () => navigate({ screen: 'customers' });

  if (!card) {
    return (
      <section className="card-screen" aria-busy={phase === 'loading'}>
        <button type="button" className="ghost-button" onClick={goBack}>
          Go back
        </button>
        {phase === 'error' && loadError ? (
          <div className="empty-state" role="alert">
            <h1>Customer card not available</h1>
            <p>{loadError.message}</p>
          </div>
        ) : (
          <p className="muted" role="status">
            Loading customer…
          </p>
        )}
      </section>
    );
  }

  const openOrderId = typeof dialog === 'object' && dialog !== null ? dialog.orderId : null;
  const openOrder = openOrderId ? card.orders.find((order) => order.id === openOrderId) : undefined;

  const actions: CardAction[] = [
    { label: 'Assign ticket', icon: 'ticket', run: () => openDialog('assignTicket') },
    { label: 'Assign tag', icon: 'tag', run: () => openDialog('assignTag') },
    { label: 'New order', icon: 'plus', run: () => openDialog('newOrder') },
    {
      label: 'Edit',
      icon: 'edit',
      run: () => {
        setEditing(true);
        profileRef.current?.scrollIntoView({ block: 'start' });
      },
    },
    {
      label: 'Download CSV',
      icon: 'download',
      run: () =>
        void customerCard
          .getState()
          .exportCustomerCsv()
          .then((file) => file && downloadCsv(file)),
    },
    {
      label: 'Credit history CSV',
      icon: 'history',
      run: () =>
        void customerCard
          .getState()
          .exportCreditHistoryCsv()
          .then((file) => file && downloadCsv(file)),
    },
  ];

  return (
    <article className="card-screen" aria-label={`Customer card: ${card.profile.displayName}`}>
      <CardHeader card={card} onBack={goBack} headingRef={headingRef} />
      <div className="card-columns">
        <div ref={profileRef}>
          <ProfileSection card={card} editing={editing} setEditing={setEditing} onConnectWebUser={() => openDialog('connectWebUser')} />
        </div>
        <div className="card-stack">
          <AlternativeEmailsSection card={card} />
          <DescriptionSection key={card.profile.id} card={card} />
        </div>
      </div>
      <TicketsSection card={card} onOpenScanHistory={focusReturn.remember} />
      <TagsSection card={card} />
      <OrdersSection card={card} onOpenOrder={(orderId) => openDialog({ orderId })} />
      <TimelineSection card={card} />
      <HistorySection card={card} />
      <ActionMenu actions={actions} />
      {dialog === 'assignTicket' ? <AssignTicketDialog onClose={closeDialog} /> : null}
      {dialog === 'assignTag' ? <AssignTagDialog card={card} onClose={closeDialog} /> : null}
      {dialog === 'connectWebUser' ? <ConnectWebUserDialog onClose={closeDialog} /> : null}
      {dialog === 'newOrder' ? <NewOrderDialog customerId={card.profile.id} currency={card.totals.currency} onClose={closeDialog} /> : null}
      {openOrder ? <OrderDetailDialog card={card} order={openOrder} onClose={closeDialog} /> : null}
      <ScanHistoryDialog card={card} onClose={focusReturn.restore} />
    </article>
  );
}
