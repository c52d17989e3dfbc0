/**
 * The closed lists of values the store, the contract and the renderer share (DESIGN.md section 11,
 * atproto's `as const` enumerations): each list is defined once here, and the table row types
 * (db/tables), the zod schemas (`z.enum(list)`) and the screens import it. Imports nothing, so every
 * layer may use it. A value added here still needs a migration if a table's CHECK constrains it.
 */

type Of<L extends readonly string[]> = L[number];

/** Whether a customer's e-mail was verified by the online shop. */
export const verificationStatuses = ['verified', 'non_verified'] as const;
export type VerificationStatus = Of<typeof verificationStatuses>;

/** What a catalog item is (DESIGN.md glossary); the order dialog groups items by it. */
export const catalogItemKinds = [
  'ticket',
  'pack',
  'access',
  'credit',
  'virtual_credit',
  'token',
  'product',
  'gift_card',
  'subscription',
] as const;
export type CatalogItemKind = Of<typeof catalogItemKinds>;

/** The balances a customer holds per event (ledger entries); each is also a catalog item kind. */
export const ledgerKinds = ['credit', 'virtual_credit', 'token'] as const satisfies readonly CatalogItemKind[];
export type LedgerKind = Of<typeof ledgerKinds>;

export const giftCardStatuses = ['active', 'canceled'] as const;
export type GiftCardStatus = Of<typeof giftCardStatuses>;

/** Where an order was placed. */
export const orderChannels = ['online', 'box_office'] as const;
export type OrderChannel = Of<typeof orderChannels>;

/** An order's status, as the online shop names them. */
export const orderStatuses = [
  'reserved',
  'expired',
  'processing_payment',
  'confirming_payment',
  'paid',
  'refunding_items',
  'refund_error',
  'confirming_refund',
  'item_refunded',
  'item_transfer_created',
  'item_transfer_canceled',
  'item_canceled',
  'item_invalidated',
  'canceled',
] as const;
export type OrderStatus = Of<typeof orderStatuses>;

export const ticketStatuses = ['valid', 'invalid'] as const;
export type TicketStatus = Of<typeof ticketStatuses>;

/** Why a ticket is invalid (only when its status is 'invalid'). */
export const invalidReasons = ['transferred', 'canceled', 'refunded'] as const;
export type InvalidReason = Of<typeof invalidReasons>;

export const scanDirections = ['entry', 'exit'] as const;
export type ScanDirection = Of<typeof scanDirections>;

export const scanVerdicts = ['admitted', 'rejected'] as const;
export type ScanVerdict = Of<typeof scanVerdicts>;

/** The kinds of credential a gate scans: a ticket's barcode or a tag's (wristband's) UID. */
export const credentialKinds = ['ticket', 'tag'] as const;
export type CredentialKind = Of<typeof credentialKinds>;

/** The reader drivers a terminal can configure (DESIGN.md section 8). */
export const readerDriverNames = ['pn532', 'serial-barcode', 'hid-pos', 'simulated'] as const;
export type ReaderDriverName = Of<typeof readerDriverNames>;

/**
 * Where an outbox command stands with the server: `pending` until a push takes it, then the
 * server's receipt (`applied`, `applied_with_conflict`, `rejected`), or `acknowledged` when the
 * server's last seq covers it but no receipt came with it (it holds the command; what it did is
 * in the rows a pull brings).
 */
export const outboxStatuses = ['pending', 'acknowledged', 'applied', 'applied_with_conflict', 'rejected'] as const;
export type OutboxStatus = Of<typeof outboxStatuses>;
