import { combine } from './combine.ts';
import { alertOperations } from '../alerts/alerts.contract.ts';
import { catalogOperations } from '../catalog/catalog.contract.ts';
import { checkinOperations } from '../checkin/checkin.contract.ts';
import { customerOperations } from '../customers/customers.contract.ts';
import { eventOperations } from '../events/events.contract.ts';
import { exportOperations } from '../export/export.contract.ts';
import { gateOperations } from '../gates/gates.contract.ts';
import { importOperations } from '../import/import.contract.ts';
import { labelOperations } from '../labels/labels.contract.ts';
import { operatorOperations } from '../operators/operators.contract.ts';
import { orderOperations } from '../orders/orders.contract.ts';
import { readerOperations } from '../readers/readers.contract.ts';
import { stationOperations } from '../station/station.contract.ts';
import { syncOperations } from '../sync/sync.contract.ts';
import { tagOperations } from '../tags/tags.contract.ts';
import { ticketOperations } from '../tickets/tickets.contract.ts';
import { webUserOperations } from '../web-users/web-users.contract.ts';

/**
 * The API contract (DESIGN.md section 3): every operation a host may invoke, with the zod schema of
 * its input and output, combined from one contract file per domain folder (`tags.*` all in
 * core/tags, `events.*` all in core/events); `combine` throws if two of them define the same name.
 * Imports only zod, so the renderer can depend on it.
 */
export const contract = combine(
  alertOperations,
  catalogOperations,
  checkinOperations,
  customerOperations,
  eventOperations,
  exportOperations,
  gateOperations,
  importOperations,
  labelOperations,
  operatorOperations,
  orderOperations,
  readerOperations,
  stationOperations,
  syncOperations,
  tagOperations,
  ticketOperations,
  webUserOperations,
);

export type Contract = typeof contract;
export type OperationName = keyof Contract;

export const operationNames = Object.keys(contract) as OperationName[];

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}
