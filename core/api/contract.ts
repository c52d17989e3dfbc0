import { customerQueries } from '../customers/queries.contract.ts';
import { customerCommands } from '../customers/commands.contract.ts';
import { csvOperations } from '../csv/csv.contract.ts';
import { deviceOperations } from '../devices/devices.contract.ts';
import { checkinOperations } from '../checkin/checkin.contract.ts';
import { stationOperations } from '../station/station.contract.ts';
import { orderOperations } from '../orders/orders.contract.ts';
import { dataFolderOperations } from '../events/data-folder.contract.ts';
import { operatorOperations } from '../operators/operators.contract.ts';

/**
 * The API contract (DESIGN.md section 3): every operation a host may invoke, with the zod schema of
 * its input and output. Imports only zod, so the renderer can depend on it.
 */
export const contract = {
  ...customerQueries,
  ...customerCommands,
  ...csvOperations,
  ...deviceOperations,
  ...checkinOperations,
  ...stationOperations,
  ...orderOperations,
  ...dataFolderOperations,
  ...operatorOperations,
} as const;

export type Contract = typeof contract;
export type OperationName = keyof Contract;

export const operationNames = Object.keys(contract) as OperationName[];

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}
