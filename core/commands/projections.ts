import { reindexCustomer } from '../customers/search-index.ts';
import type { ProjectionRefreshers } from './sqlite-driver.ts';

/** The terminal's projections a command body may ask to refresh (core/commands/tx.ts `project`). */
export const terminalProjections: ProjectionRefreshers = {
  'customer-search': reindexCustomer,
};
