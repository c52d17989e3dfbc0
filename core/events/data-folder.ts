import { sql, type Store } from '../../db/store.ts';
import type { DataFolderOverview } from './data-folder.contract.ts';

/**
 * The terminal_state key the synthetic seed writes (its festival's first day): a folder holding it
 * is demo data, shown as such, and never to be taken for a real event.
 */
export const demoDataKey = 'demo_first_day';

export function dataFolderOverview(store: Store): DataFolderOverview {
  const demo = store.first(sql.selectFrom('terminal_state').select('value').where('key', '=', demoDataKey)) !== undefined;
  const events = store.all(sql.selectFrom('events').select('id')).length;
  const anyCustomer = store.first(sql.selectFrom('customers').select('id').limit(1)) !== undefined;
  return { demo, empty: events === 0 && !anyCustomer, events };
}
