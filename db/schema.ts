/**
 * Row types of the local store, for kysely. They mirror the migrations (db/migrations), which are
 * the source of truth for the tables; db/schema.test.ts checks that every table and column here
 * exists there. Booleans are 0/1 integers; JSON columns are text.
 */
import type { Generated } from 'kysely';

export type Flag = 0 | 1;

export interface TerminalStateTable {
  key: string;
  value: string;
}

interface Synced {
  server_version: number | null;
}

export interface EventTable extends Synced {
  id: string;
  name: string;
  starts_at: string | null;
  ends_at: string | null;
  time_zone: Generated<string>;
  currency: Generated<string>;
  created_at: string;
  updated_at: string;
}

export interface GateTable extends Synced {
  id: string;
  event_id: string;
  name: string;
  zone: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface TicketTypeTable extends Synced {
  id: string;
  event_id: string;
  name: string;
  valid_from: string | null;
  valid_until: string | null;
  max_entries: number | null;
  reentry_allowed: Generated<Flag>;
  gate_ids: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface WebUserTable extends Synced {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  created_at: string;
  updated_at: string;
}

export type VerificationStatus = 'verified' | 'non_verified';

export interface CustomerTable extends Synced {
  id: string;
  search_rowid: number;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  postcode: string | null;
  address: string | null;
  city: string | null;
  country: string | null;
  gender: string | null;
  verification_status: Generated<VerificationStatus>;
  description: string | null;
  web_user_id: string | null;
  total_spent: Generated<number>;
  order_count: Generated<number>;
  sort_name: Generated<string>;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface CustomerSearchTable {
  rowid: number;
  name: string;
  emails: string;
  phone: string;
}

/** Tombstoned, never deleted (migration 0009): `deleted_at` marks an alternative e-mail removed. */
export interface CustomerEmailTable extends Synced {
  customer_id: string;
  email: string;
  created_at: string;
  deleted_at: string | null;
}

export interface LabelTable extends Synced {
  id: string;
  name: string;
  color: string | null;
  created_at: string;
  updated_at: string;
}

/** Tombstoned, never deleted (migration 0009): `deleted_at` marks a label taken off the customer. */
export interface CustomerLabelTable extends Synced {
  customer_id: string;
  label_id: string;
  created_at: string;
  deleted_at: string | null;
}

export type CatalogItemKind =
  | 'ticket'
  | 'pack'
  | 'access'
  | 'credit'
  | 'virtual_credit'
  | 'token'
  | 'product'
  | 'gift_card'
  | 'subscription';

export interface CatalogItemTable extends Synced {
  id: string;
  event_id: string;
  kind: CatalogItemKind;
  name: string;
  price: number;
  ledger_amount: number | null;
  ticket_type_id: string | null;
  capacity: number | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** One line of what a pack holds: `quantity` units of another catalog item per pack sold. */
export interface PackContentTable extends Synced {
  id: string;
  pack_item_id: string;
  content_item_id: string;
  quantity: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export type GiftCardStatus = 'active' | 'canceled';

/** A gift card issued by a sale: its code and value (minor units of the event's currency). */
export interface GiftCardTable extends Synced {
  id: string;
  code: string;
  event_id: string;
  catalog_item_id: string | null;
  order_id: string;
  customer_id: string | null;
  value: number;
  status: Generated<GiftCardStatus>;
  created_at: string;
  updated_at: string;
}

export type OrderChannel = 'online' | 'box_office';
export type OrderStatus =
  | 'reserved'
  | 'expired'
  | 'processing_payment'
  | 'confirming_payment'
  | 'paid'
  | 'refunding_items'
  | 'refund_error'
  | 'confirming_refund'
  | 'item_refunded'
  | 'item_transfer_created'
  | 'item_transfer_canceled'
  | 'item_canceled'
  | 'item_invalidated'
  | 'canceled';

export interface OrderTable extends Synced {
  id: string;
  event_id: string;
  number: string;
  channel: OrderChannel;
  customer_id: string | null;
  status: OrderStatus;
  total: Generated<number>;
  amount_paid: Generated<number>;
  flags: Generated<string>;
  note: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface OrderItemTable {
  id: string;
  order_id: string;
  catalog_item_id: string | null;
  description: string;
  quantity: number;
  unit_price: number;
  created_at: string;
}

export interface OrderStatusHistoryTable {
  id: string;
  order_id: string;
  status: string;
  note: string | null;
  operator: string | null;
  device_id: string | null;
  at: string;
}

export type TicketStatus = 'valid' | 'invalid';
export type InvalidReason = 'transferred' | 'canceled' | 'refunded';

export interface TicketTable extends Synced {
  id: string;
  event_id: string;
  reference: string;
  ticket_type_id: string;
  customer_id: string | null;
  order_id: string | null;
  status: Generated<TicketStatus>;
  invalid_reason: InvalidReason | null;
  redeemed: Generated<Flag>;
  banned: Generated<Flag>;
  first_scan_at: string | null;
  last_scan_at: string | null;
  last_scan_gate_id: string | null;
  /** Check-in state (migration 0004): admitted entries, and the entry not yet followed by an exit. */
  entry_count: Generated<number>;
  inside_since: string | null;
  inside_gate_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface TagTable extends Synced {
  id: string;
  event_id: string;
  uid: string;
  ticket_type_id: string;
  customer_id: string;
  ticket_id: string | null;
  active: Generated<Flag>;
  banned: Generated<Flag>;
  inactive_reason: string | null;
  entry_count: Generated<number>;
  inside_since: string | null;
  inside_gate_id: string | null;
  created_at: string;
  updated_at: string;
}

export type ScanDirection = 'entry' | 'exit';
export type ScanVerdict = 'admitted' | 'rejected';

export interface ScanTable extends Synced {
  id: string;
  event_id: string;
  code: string;
  ticket_id: string | null;
  tag_id: string | null;
  gate_id: string | null;
  direction: ScanDirection;
  verdict: ScanVerdict;
  reason: string;
  device_id: string;
  operator: string | null;
  scanned_at: string;
  /** Set when the terminal that admitted undid the admission (the scan stays, it no longer counts). */
  undone_at: string | null;
}

export type LedgerKind = 'credit' | 'virtual_credit' | 'token';

export interface LedgerEntryTable extends Synced {
  id: string;
  customer_id: string;
  event_id: string | null;
  kind: LedgerKind;
  amount: number;
  order_id: string | null;
  reason: string;
  device_id: string;
  command_id: string;
  created_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  operator: string | null;
  device_id: string;
  operation: string;
  entity: string;
  entity_id: string;
  before: string | null;
  after: string | null;
  command_id: string | null;
}

/** One command waiting for the server: the whole envelope (core/commands/envelope.ts), args as JSON. */
export interface OutboxTable {
  id: string;
  seq: number;
  device_id: string;
  name: string;
  version: number;
  args: string;
  hlc: string;
  at: string;
  operator: string | null;
  event_id: string | null;
  status: Generated<'pending' | 'rejected'>;
  rejection: string | null;
}

/** An envelope a journal replay ran into this store (migration 0010); terminal-only, never synced. */
export interface ReplayedEnvelopeTable {
  id: string;
  device_id: string;
  seq: number;
  /** `name@version`. */
  command: string;
  replayed_at: string;
}

/** Staff who sign in at a terminal (migration 0008); `name_key` is the trimmed, lower-cased name. */
export interface OperatorTable extends Synced {
  id: string;
  name: string;
  name_key: string;
  role: 'steward' | 'box_office' | 'supervisor' | 'admin';
  pin_hash: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** This terminal's wrong-PIN count per typed name and until when that name is refused (migration 0008). */
export interface OperatorSignInFailureTable {
  name_key: string;
  failures: number;
  blocked_until: string | null;
}

export type ReaderDriverName = 'pn532' | 'serial-barcode' | 'hid-pos' | 'simulated';

/** A reader configured at this terminal (migration 0003); `options` is the driver's JSON. */
export interface ReaderTable {
  id: string;
  name: string;
  driver: ReaderDriverName;
  path: string | null;
  vendor_id: number | null;
  product_id: number | null;
  options: string;
  created_at: string;
  updated_at: string;
}

export interface DB {
  terminal_state: TerminalStateTable;
  events: EventTable;
  gates: GateTable;
  ticket_types: TicketTypeTable;
  web_users: WebUserTable;
  customers: CustomerTable;
  customer_search: CustomerSearchTable;
  customer_emails: CustomerEmailTable;
  labels: LabelTable;
  customer_labels: CustomerLabelTable;
  catalog_items: CatalogItemTable;
  pack_contents: PackContentTable;
  gift_cards: GiftCardTable;
  orders: OrderTable;
  order_items: OrderItemTable;
  order_status_history: OrderStatusHistoryTable;
  tickets: TicketTable;
  tags: TagTable;
  scans: ScanTable;
  ledger_entries: LedgerEntryTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  operators: OperatorTable;
  operator_sign_in_failures: OperatorSignInFailureTable;
  readers: ReaderTable;
  replayed_envelopes: ReplayedEnvelopeTable;
}
