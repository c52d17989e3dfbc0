import type { z } from 'zod';
import type { CoreContext } from '../commands/command.ts';
import type { Contract } from './contract.ts';
import type { OperationOutput, OperationSpec } from './operation.ts';
import { customerQueryHandlers } from '../customers/queries.handlers.ts';
import { customerCommandHandlers } from '../customers/commands.handlers.ts';
import { csvHandlers } from '../csv/csv.handlers.ts';
import { deviceHandlers } from '../devices/devices.handlers.ts';
import { checkinHandlers } from '../checkin/checkin.handlers.ts';
import { stationHandlers } from '../station/station.handlers.ts';
import { orderHandlers } from '../orders/orders.handlers.ts';
import { dataFolderHandlers } from '../events/data-folder.handlers.ts';
import { operatorHandlers } from '../operators/operators.handlers.ts';

/** Runs one operation with its already-validated input. */
export type Handler<S extends OperationSpec> = (
  context: CoreContext,
  input: z.output<S['input']>,
) => OperationOutput<S> | Promise<OperationOutput<S>>;

export type HandlerMap<C extends Record<string, OperationSpec>> = { [K in keyof C]: Handler<C[K]> };

/** The implementation of every operation of the contract; the type makes a missing one an error. */
export const handlers: HandlerMap<Contract> = {
  ...customerQueryHandlers,
  ...customerCommandHandlers,
  ...csvHandlers,
  ...deviceHandlers,
  ...checkinHandlers,
  ...stationHandlers,
  ...orderHandlers,
  ...dataFolderHandlers,
  ...operatorHandlers,
};
