import type { Database } from 'better-sqlite3';
import { normalizeTagUid } from '../core/fields.ts';

/**
 * The raw baseline: each lookup of the benchmark written by hand as better-sqlite3 prepared
 * statements on the same connection, with no validation, no result shaping beyond plain rows and
 * no API layer. The core's figures are compared against these (ratio = core p95 / raw p95).
 * Parameters compare as `+?`, as the store's SQLite dialect writes them (core/commands/query-builder.ts):
 * with a plain `?` SQLite prepares a join again on every run.
 */
export function rawLookups(db: Database) {
  const customerColumns = 'c.id, c.first_name, c.last_name, c.email, c.phone, c.verification_status, c.total_spent';
  const byName = db.prepare(
    `SELECT ${customerColumns} FROM (SELECT rowid, rank FROM customer_search WHERE customer_search MATCH ? LIMIT 200) AS m
     JOIN customers AS c ON c.search_rowid = m.rowid WHERE c.deleted_at IS NULL ORDER BY m.rank LIMIT 25`,
  );
  const byEmail = db.prepare(`SELECT ${customerColumns} FROM customers AS c WHERE c.email = +? AND c.deleted_at IS NULL`);
  const byAlternativeEmail = db.prepare(
    `SELECT ${customerColumns} FROM customer_emails AS e JOIN customers AS c ON c.id = e.customer_id WHERE e.email = +? AND c.deleted_at IS NULL`,
  );
  // References are unique per event (tickets_event_reference): probe it once per event.
  const byTicket = db.prepare(
    `SELECT ${customerColumns}, t.reference FROM tickets AS t JOIN customers AS c ON c.id = t.customer_id
     WHERE t.event_id IN (SELECT id FROM events) AND t.reference = +?`,
  );
  const byTag = db.prepare(`SELECT ${customerColumns}, g.uid FROM tags AS g JOIN customers AS c ON c.id = g.customer_id WHERE g.uid = +?`);

  // The card's sections, each an indexed lookup by the customer's id.
  const card = {
    customer: db.prepare(
      `SELECT c.*, w.email AS web_email, w.first_name AS web_first_name, w.last_name AS web_last_name
       FROM customers AS c LEFT JOIN web_users AS w ON w.id = c.web_user_id WHERE c.id = +?`,
    ),
    alternativeEmails: db.prepare('SELECT email FROM customer_emails WHERE customer_id = +? ORDER BY email'),
    labels: db.prepare('SELECT l.id, l.name, l.color FROM customer_labels AS cl JOIN labels AS l ON l.id = cl.label_id WHERE cl.customer_id = +? ORDER BY l.name'),
    balances: db.prepare('SELECT kind, sum(amount) AS balance FROM ledger_entries WHERE customer_id = +? GROUP BY kind'),
    currency: db.prepare('SELECT currency FROM events ORDER BY starts_at LIMIT 1'),
    orders: db.prepare(
      `SELECT o.id, o.number, o.event_id, e.name AS event_name, o.channel, o.status, o.total, o.amount_paid, o.created_at, o.deleted_at
       FROM orders AS o JOIN events AS e ON e.id = o.event_id WHERE o.customer_id = +? ORDER BY o.created_at DESC`,
    ),
    orderItems: db.prepare('SELECT description, quantity, unit_price FROM order_items WHERE order_id = +? ORDER BY created_at, id'),
    tickets: db.prepare(
      `SELECT t.*, tt.name AS ticket_type, g.name AS gate_name,
         (SELECT count(*) FROM scans AS s WHERE s.ticket_id = t.id) AS scan_count
       FROM tickets AS t JOIN ticket_types AS tt ON tt.id = t.ticket_type_id LEFT JOIN gates AS g ON g.id = t.last_scan_gate_id
       WHERE t.customer_id = +? ORDER BY t.created_at`,
    ),
    lastScan: db.prepare('SELECT scanned_at, direction, verdict FROM scans WHERE ticket_id = +? ORDER BY scanned_at DESC LIMIT 1'),
    tags: db.prepare(
      `SELECT g.*, tt.name AS ticket_type FROM tags AS g JOIN ticket_types AS tt ON tt.id = g.ticket_type_id
       WHERE g.customer_id = +? ORDER BY g.created_at`,
    ),
    // The order detail: status timeline, tickets and gift cards each order issued.
    orderStatuses: db.prepare(
      `SELECT h.order_id, h.status, h.at, h.note FROM orders AS o JOIN order_status_history AS h ON h.order_id = o.id
       WHERE o.customer_id = +? ORDER BY h.at, h.id`,
    ),
    orderTickets: db.prepare(
      `SELECT t.order_id, t.reference, tt.name FROM orders AS o JOIN tickets AS t ON t.order_id = o.id
       JOIN ticket_types AS tt ON tt.id = t.ticket_type_id WHERE o.customer_id = +? ORDER BY t.reference`,
    ),
    orderGiftCards: db.prepare('SELECT g.order_id, g.code, g.value, g.status FROM orders AS o JOIN gift_cards AS g ON g.order_id = o.id WHERE o.customer_id = +? ORDER BY g.code'),
    history: db.prepare(
      `SELECT * FROM audit_log WHERE entity = 'customer' AND entity_id = +?
       UNION ALL SELECT a.* FROM tickets AS t JOIN audit_log AS a ON a.entity = 'ticket' AND a.entity_id = t.id WHERE t.customer_id = +?
       UNION ALL SELECT a.* FROM tags AS g JOIN audit_log AS a ON a.entity = 'tag' AND a.entity_id = g.id WHERE g.customer_id = +?
       UNION ALL SELECT a.* FROM orders AS o JOIN audit_log AS a ON a.entity = 'order' AND a.entity_id = o.id WHERE o.customer_id = +?
       ORDER BY at DESC LIMIT 100`,
    ),
    // The history names what its entries point at (ticket types, say) instead of ids.
    ticketTypeName: db.prepare('SELECT name FROM ticket_types WHERE id = +?'),
  };

  return {
    /** FTS prefix match on one word, e.g. `ber` → `"ber"*`. */
    name: (prefix: string) => byName.all(`"${prefix.replaceAll('"', '""')}"*`).length > 0,
    email: (email: string) => {
      const main = byEmail.all(email);
      const alternative = byAlternativeEmail.all(email);
      return main.length + alternative.length > 0;
    },
    ticket: (reference: string) => byTicket.all(reference).length > 0,
    tag: (text: string) => {
      const uid = normalizeTagUid(text);
      return uid !== undefined && byTag.all(uid).length > 0;
    },
    card: (customerId: string) => {
      const customer = card.customer.get(customerId);
      if (!customer) return false;
      card.alternativeEmails.all(customerId);
      card.labels.all(customerId);
      card.balances.all(customerId);
      card.currency.get();
      for (const order of card.orders.all(customerId) as { id: string }[]) card.orderItems.all(order.id);
      card.orderStatuses.all(customerId);
      card.orderTickets.all(customerId);
      card.orderGiftCards.all(customerId);
      for (const ticket of card.tickets.all(customerId) as { id: string; last_scan_at: string | null }[]) {
        if (ticket.last_scan_at) card.lastScan.get(ticket.id);
      }
      card.tags.all(customerId);
      const history = card.history.all(customerId, customerId, customerId, customerId) as { before: string | null; after: string | null }[];
      const ticketTypes = new Set<string>();
      for (const entry of history) {
        for (const text of [entry.before, entry.after]) {
          const change = text ? (JSON.parse(text) as { ticketTypeId?: unknown }) : null;
          if (typeof change?.ticketTypeId === 'string') ticketTypes.add(change.ticketTypeId);
        }
      }
      for (const id of ticketTypes) card.ticketTypeName.get(id);
      return true;
    },
  };
}
