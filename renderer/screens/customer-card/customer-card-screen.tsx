import { useEffect, useRef, useState, type ReactElement } from 'react';
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
import { HistorySection, OrdersSection, TimelineSection } from './orders-sections.tsx';
import { NewOrderDialog } from './new-order-dialog.tsx';
import { ProfileSection } from './profile-section.tsx';

type OpenDialog = 'assignTicket' | 'assignTag' | 'connectWebUser' | 'newOrder' | null;

export function CustomerCardScreen({ customerId }: { customerId: string }): ReactElement {
  const { customerCard } = useServices();
  const card = useStore(customerCard, (state) => (state.customerId === customerId ? state.card : null));
  const phase = useStore(customerCard, (state) => state.phase);
  const loadError = useStore(customerCard, (state) => state.errors[actionKeys.load]);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [editing, setEditing] = useState(false);
  const profileRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setDialog(null);
    setEditing(false);
    void customerCard.getState().open(customerId);
  }, [customerId, customerCard]);

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

  const actions: CardAction[] = [
    { label: 'Assign ticket', icon: 'ticket', run: () => setDialog('assignTicket') },
    { label: 'Assign tag', icon: 'tag', run: () => setDialog('assignTag') },
    { label: 'New order', icon: 'plus', run: () => setDialog('newOrder') },
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
      <CardHeader card={card} onBack={goBack} />
      <div className="card-columns">
        <div ref={profileRef}>
          <ProfileSection card={card} editing={editing} setEditing={setEditing} onConnectWebUser={() => setDialog('connectWebUser')} />
        </div>
        <div className="card-stack">
          <AlternativeEmailsSection card={card} />
          <DescriptionSection key={card.profile.id} card={card} />
        </div>
      </div>
      <TicketsSection card={card} />
      <TagsSection card={card} />
      <OrdersSection card={card} />
      <TimelineSection card={card} />
      <HistorySection card={card} />
      <ActionMenu actions={actions} />
      {dialog === 'assignTicket' ? <AssignTicketDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'assignTag' ? <AssignTagDialog card={card} onClose={() => setDialog(null)} /> : null}
      {dialog === 'connectWebUser' ? <ConnectWebUserDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'newOrder' ? <NewOrderDialog customerId={card.profile.id} currency={card.totals.currency} onClose={() => setDialog(null)} /> : null}
      <ScanHistoryDialog />
    </article>
  );
}
