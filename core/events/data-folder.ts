import { sql, type Store } from '../../db/store.ts';
import type { Flag } from '../../db/schema.ts';
import { displayName } from '../customers/display-name.ts';
import type { DataFolderOverview, DemoCode } from './events.contract.ts';

/**
 * The terminal_state key the synthetic seed writes (its festival's first day): a folder holding it
 * is demo data, shown as such, and never to be taken for a real event.
 */
export const demoDataKey = 'demo_first_day';

export function dataFolderOverview(store: Store): DataFolderOverview {
  const demo = isDemo(store);
  const events = store.all(sql.selectFrom('events').select('id')).length;
  const anyCustomer = store.first(sql.selectFrom('customers').select('id').limit(1)) !== undefined;
  return { demo, empty: events === 0 && !anyCustomer, events };
}

const isDemo = (store: Store) => store.first(sql.selectFrom('terminal_state').select('value').where('key', '=', demoDataKey)) !== undefined;

/**
 * Codes a demo user can present on the simulated reader: tickets and wristbands that a gate should
 * admit, and one banned and one exchanged ticket to see a rejection. Only for the demo festival:
 * real ticket references are not handed out to whoever opens the panel.
 */
export function demoCodes(store: Store): DemoCode[] {
  if (!isDemo(store)) return [];
  const holder = (row: { first_name: string | null; last_name: string | null; email: string | null }) =>
    displayName({ firstName: row.first_name, lastName: row.last_name, email: row.email });
  const tickets = (filter: { redeemed: Flag; banned: Flag }, limit: number) =>
    store.all(
      sql
        .selectFrom('tickets')
        .innerJoin('ticket_types', 'ticket_types.id', 'tickets.ticket_type_id')
        .innerJoin('customers', 'customers.id', 'tickets.customer_id')
        .select(['tickets.reference', 'ticket_types.name as type', 'customers.first_name', 'customers.last_name', 'customers.email'])
        .where('tickets.status', '=', 'valid')
        .where('tickets.redeemed', '=', filter.redeemed)
        .where('tickets.banned', '=', filter.banned)
        .where('tickets.first_scan_at', 'is', null)
        // Ticket types valid on every day of the festival, so the code works whenever the demo runs.
        .where('ticket_types.name', 'in', ['Weekend', 'VIP Weekend', 'Weekend + Camping'])
        .orderBy('tickets.reference')
        .limit(limit),
    );
  const tags = store.all(
    sql
      .selectFrom('tags')
      .innerJoin('ticket_types', 'ticket_types.id', 'tags.ticket_type_id')
      .innerJoin('customers', 'customers.id', 'tags.customer_id')
      .select(['tags.uid', 'ticket_types.name as type', 'customers.first_name', 'customers.last_name', 'customers.email'])
      .where('tags.active', '=', 1)
      .where('tags.banned', '=', 0)
      .where('tags.inside_since', 'is', null)
      .where('ticket_types.name', 'in', ['Weekend', 'VIP Weekend', 'Weekend + Camping'])
      .orderBy('tags.uid')
      .limit(2),
  );
  return [
    ...tickets({ redeemed: 0, banned: 0 }, 3).map((row) => ({ code: row.reference, kind: 'ticket' as const, label: `${row.type} · ${holder(row)}`, expect: 'should be admitted' })),
    ...tags.map((row) => ({ code: row.uid, kind: 'tag' as const, label: `${row.type} wristband · ${holder(row)}`, expect: 'should be admitted' })),
    ...tickets({ redeemed: 0, banned: 1 }, 1).map((row) => ({ code: row.reference, kind: 'ticket' as const, label: `${row.type} · ${holder(row)}`, expect: 'banned' })),
    ...tickets({ redeemed: 1, banned: 0 }, 1).map((row) => ({ code: row.reference, kind: 'ticket' as const, label: `${row.type} · ${holder(row)}`, expect: 'exchanged for a wristband' })),
  ];
}
