import type { Store } from '../../db/store.ts';
import { acknowledgeAlertsCommand } from '../alerts/acknowledge.ts';
import { undoScan } from '../checkin/undo.ts';
import { createGate } from '../checkin/gates.ts';
import { scanCommand } from '../checkin/scan.ts';
import { importCustomersBatch } from '../csv/import-batch.ts';
import { createImportedEvent } from '../csv/import-event.ts';
import { createAccount } from '../customers/account.ts';
import { addAlternativeEmail, removeAlternativeEmail } from '../customers/alternative-emails.ts';
import { setDescription } from '../customers/description.ts';
import { addLabel, removeLabel } from '../customers/labels.ts';
import { updateCustomer } from '../customers/profile.ts';
import { connectWebUser, disconnectWebUser } from '../customers/web-user.ts';
import { addReader, removeReader } from '../devices/reader-configurations.ts';
import { notFound } from '../errors.ts';
import { chooseEventCommand } from '../events/choose.ts';
import { createOrder } from '../orders/create-order.ts';
import { deleteOrder } from '../orders/delete-order.ts';
import { setCheckinModeCommand } from '../station/checkin-mode.ts';
import { lockCommand, pinRefusedCommand, setPinCommand, unlockCommand } from '../station/station.ts';
import { makeTagActive } from '../tags/activation.ts';
import { activateTagForTicket, replaceTag } from '../tags/activation-for-ticket.ts';
import { assignTag } from '../tags/assign.ts';
import { setTagBanned } from '../tags/ban.ts';
import { assignTickets } from '../tickets/assign.ts';
import { setTicketBanned, setTicketRedeemed } from '../tickets/flags.ts';
import { applyEnvelope, type AnyCommand } from './command.ts';
import { commandKey, type Envelope } from './envelope.ts';
import { addOperatorCommand, removeOperatorCommand, signedInCommand, signInRefusedCommand, updateOperatorCommand } from '../operators/operators.ts';

export type CommandRegistry = ReadonlyMap<string, AnyCommand>;

/** Builds the `name@version → command` map; two commands under one key are a programming error. */
export function buildRegistry(commands: readonly AnyCommand[]): CommandRegistry {
  const registry = new Map<string, AnyCommand>();
  for (const command of commands) {
    const key = commandKey(command);
    if (registry.has(key)) throw new Error(`Two commands are registered as ${key}`);
    registry.set(key, command);
  }
  return registry;
}

/**
 * Every command (DESIGN.md section 5, "The registry"): the one way to find a command's body from
 * its envelope. A command whose args or meaning change is registered again under its next version,
 * and the old version stays while terminals may still send it.
 */
export const commandRegistry: CommandRegistry = buildRegistry([
  chooseEventCommand,
  scanCommand,
  undoScan,
  createGate,
  importCustomersBatch,
  createImportedEvent,
  createAccount,
  addAlternativeEmail,
  removeAlternativeEmail,
  setDescription,
  addLabel,
  removeLabel,
  updateCustomer,
  connectWebUser,
  disconnectWebUser,
  createOrder,
  deleteOrder,
  makeTagActive,
  activateTagForTicket,
  replaceTag,
  assignTag,
  setTagBanned,
  assignTickets,
  setTicketBanned,
  setTicketRedeemed,
  addReader,
  removeReader,
  setCheckinModeCommand,
  setPinCommand,
  lockCommand,
  unlockCommand,
  pinRefusedCommand,
  addOperatorCommand,
  updateOperatorCommand,
  removeOperatorCommand,
  signedInCommand,
  signInRefusedCommand,
  acknowledgeAlertsCommand,
]);

export function commandOf(envelope: Pick<Envelope, 'name' | 'version'>, registry: CommandRegistry = commandRegistry): AnyCommand {
  const command = registry.get(commandKey(envelope));
  if (!command) throw notFound(`This version of Box Office cannot run ${commandKey(envelope)}`, 'name');
  return command;
}

/** Runs an envelope written elsewhere (a journal, another terminal) into this store through its registered body. */
export function replayEnvelope(store: Store, envelope: Envelope, registry: CommandRegistry = commandRegistry): unknown {
  return applyEnvelope(store, commandOf(envelope, registry), envelope);
}
