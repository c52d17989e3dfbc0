import type { z } from 'zod';
import type { CoreContext } from '../commands/command.ts';
import type { Contract } from './contract.ts';
import type { OperationOutput, OperationSpec } from './operation.ts';
import { combine } from './combine.ts';
import { alertHandlers } from '../alerts/alerts.handlers.ts';
import { catalogHandlers } from '../catalog/catalog.handlers.ts';
import { checkinHandlers } from '../checkin/checkin.handlers.ts';
import { customerHandlers } from '../customers/customers.handlers.ts';
import { eventHandlers } from '../events/events.handlers.ts';
import { exportHandlers } from '../export/export.handlers.ts';
import { gateHandlers } from '../gates/gates.handlers.ts';
import { importHandlers } from '../import/import.handlers.ts';
import { labelHandlers } from '../labels/labels.handlers.ts';
import { operatorHandlers } from '../operators/operators.handlers.ts';
import { orderHandlers } from '../orders/orders.handlers.ts';
import { readerHandlers } from '../readers/readers.handlers.ts';
import { stationHandlers } from '../station/station.handlers.ts';
import { syncHandlers } from '../sync/sync.handlers.ts';
import { tagHandlers } from '../tags/tags.handlers.ts';
import { ticketHandlers } from '../tickets/tickets.handlers.ts';
import { webUserHandlers } from '../web-users/web-users.handlers.ts';

/** Runs one operation with its already-validated input. */
export type Handler<S extends OperationSpec> = (
  context: CoreContext,
  input: z.output<S['input']>,
) => OperationOutput<S> | Promise<OperationOutput<S>>;

export type HandlerMap<C extends Record<string, OperationSpec>> = { [K in keyof C]: Handler<C[K]> };

/**
 * The implementation of every operation of the contract, combined like the contract (one handlers
 * file beside each contract file; a name defined twice throws); the type makes a missing one an error.
 */
export const handlers: HandlerMap<Contract> = combine(
  alertHandlers,
  catalogHandlers,
  checkinHandlers,
  customerHandlers,
  eventHandlers,
  exportHandlers,
  gateHandlers,
  importHandlers,
  labelHandlers,
  operatorHandlers,
  orderHandlers,
  readerHandlers,
  stationHandlers,
  syncHandlers,
  tagHandlers,
  ticketHandlers,
  webUserHandlers,
);
