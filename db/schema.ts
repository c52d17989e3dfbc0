/**
 * Row types of the local store, for kysely, composed from one file per table (db/tables/<table>.ts,
 * each with its row interface and a `PartialDB`; DESIGN.md section 11, atproto's database-schema.ts).
 * They mirror the migrations (db/migrations), which are the source of truth for the tables;
 * db/schema.test.ts checks that every table and column here exists there. Booleans are 0/1
 * integers; JSON columns are text. The enumerations of the columns are in core/enumerations.ts.
 */
import type * as terminalState from './tables/terminal-state.ts';
import type * as events from './tables/events.ts';
import type * as gates from './tables/gates.ts';
import type * as ticketTypes from './tables/ticket-types.ts';
import type * as webUsers from './tables/web-users.ts';
import type * as customers from './tables/customers.ts';
import type * as customerSearch from './tables/customer-search.ts';
import type * as customerEmails from './tables/customer-emails.ts';
import type * as labels from './tables/labels.ts';
import type * as customerLabels from './tables/customer-labels.ts';
import type * as catalogItems from './tables/catalog-items.ts';
import type * as packContents from './tables/pack-contents.ts';
import type * as giftCards from './tables/gift-cards.ts';
import type * as orders from './tables/orders.ts';
import type * as orderItems from './tables/order-items.ts';
import type * as orderStatusHistory from './tables/order-status-history.ts';
import type * as tickets from './tables/tickets.ts';
import type * as tags from './tables/tags.ts';
import type * as scans from './tables/scans.ts';
import type * as ledgerEntries from './tables/ledger-entries.ts';
import type * as auditLog from './tables/audit-log.ts';
import type * as outbox from './tables/outbox.ts';
import type * as operators from './tables/operators.ts';
import type * as operatorSignInFailures from './tables/operator-sign-in-failures.ts';
import type * as readers from './tables/readers.ts';
import type * as replayedEnvelopes from './tables/replayed-envelopes.ts';
import type * as alerts from './tables/alerts.ts';

export type { Flag } from './tables/columns.ts';
export type {
  CatalogItemKind,
  GiftCardStatus,
  InvalidReason,
  LedgerKind,
  OrderChannel,
  OrderStatus,
  ReaderDriverName,
  ScanDirection,
  ScanVerdict,
  TicketStatus,
  VerificationStatus,
} from '../core/enumerations.ts';
export type { TerminalStateTable } from './tables/terminal-state.ts';
export type { EventTable } from './tables/events.ts';
export type { GateTable } from './tables/gates.ts';
export type { TicketTypeTable } from './tables/ticket-types.ts';
export type { WebUserTable } from './tables/web-users.ts';
export type { CustomerTable } from './tables/customers.ts';
export type { CustomerSearchTable } from './tables/customer-search.ts';
export type { CustomerEmailTable } from './tables/customer-emails.ts';
export type { LabelTable } from './tables/labels.ts';
export type { CustomerLabelTable } from './tables/customer-labels.ts';
export type { CatalogItemTable } from './tables/catalog-items.ts';
export type { PackContentTable } from './tables/pack-contents.ts';
export type { GiftCardTable } from './tables/gift-cards.ts';
export type { OrderTable } from './tables/orders.ts';
export type { OrderItemTable } from './tables/order-items.ts';
export type { OrderStatusHistoryTable } from './tables/order-status-history.ts';
export type { TicketTable } from './tables/tickets.ts';
export type { TagTable } from './tables/tags.ts';
export type { ScanTable } from './tables/scans.ts';
export type { LedgerEntryTable } from './tables/ledger-entries.ts';
export type { AuditLogTable } from './tables/audit-log.ts';
export type { OutboxTable } from './tables/outbox.ts';
export type { OperatorTable } from './tables/operators.ts';
export type { OperatorSignInFailureTable } from './tables/operator-sign-in-failures.ts';
export type { ReaderTable } from './tables/readers.ts';
export type { ReplayedEnvelopeTable } from './tables/replayed-envelopes.ts';
export type { AlertTable } from './tables/alerts.ts';

export type DB = terminalState.PartialDB &
  events.PartialDB &
  gates.PartialDB &
  ticketTypes.PartialDB &
  webUsers.PartialDB &
  customers.PartialDB &
  customerSearch.PartialDB &
  customerEmails.PartialDB &
  labels.PartialDB &
  customerLabels.PartialDB &
  catalogItems.PartialDB &
  packContents.PartialDB &
  giftCards.PartialDB &
  orders.PartialDB &
  orderItems.PartialDB &
  orderStatusHistory.PartialDB &
  tickets.PartialDB &
  tags.PartialDB &
  scans.PartialDB &
  ledgerEntries.PartialDB &
  auditLog.PartialDB &
  outbox.PartialDB &
  operators.PartialDB &
  operatorSignInFailures.PartialDB &
  readers.PartialDB &
  replayedEnvelopes.PartialDB &
  alerts.PartialDB;
