import { alertViews } from '../alerts/alert-list.ts';
import type { HandlerMap } from '../api/handlers.ts';
import { runCommand, type CoreContext } from '../commands/command.ts';
import { DomainError } from '../errors.ts';
import { chooseEventCommand } from '../events/choose.ts';
import { listEvents } from '../events/list.ts';
import { roleRefusal } from '../operators/access.ts';
import { anyone, roleAllows } from '../operators/roles.ts';
import { sessionOf } from '../operators/session.ts';
import { syncOperations } from './sync.contract.ts';
import type { TerminalSync } from './terminal-sync.ts';

const noSync = () =>
  new DomainError('UNAVAILABLE', 'This process does not sync: the desktop app and `box-office serve` do (or `box-office sync now` by hand)');

function requireSync(context: CoreContext): TerminalSync {
  if (!context.sync) throw noSync();
  return context.sync;
}

/**
 * Reloading tables rewrites the terminal's rows from the server, as an enrolment's first load:
 * for the roles that may enrol. Core checked `sync.check`'s own roles before; a signed-out caller
 * it let through acts as the host's local administrator.
 */
function mayRepair(context: CoreContext): void {
  const { caller } = sessionOf(context);
  const allowed = syncOperations['sync.enrol'].roles;
  if (caller !== null && allowed !== anyone && !roleAllows(allowed, caller.role)) throw roleRefusal(caller.role, allowed, 'Reloading tables from the server');
}

/** The Sync screen's operations: the host's sync does the work; enrolment also chooses the event it was for. */
export const syncHandlers: HandlerMap<typeof syncOperations> = {
  'sync.status': (context) => requireSync(context).status(),
  'sync.enrol': async (context, input) => {
    const status = await requireSync(context).enrol(input);
    // As `box-office sync enrol`: the event the code was made for becomes the one this terminal
    // works on, when it holds it (before its first load it does not yet).
    const held = status.eventId !== null && listEvents(context.store).some((event) => event.id === status.eventId);
    if (held) runCommand(context, chooseEventCommand, { eventId: status.eventId });
    return { ...status, eventChosen: held };
  },
  'sync.now': (context) => requireSync(context).syncNow(),
  'sync.check': (context, input) => {
    if (input.repair) mayRepair(context);
    return requireSync(context).check(input);
  },
  'sync.commands': (context, input) => requireSync(context).commands(input.status, input.limit),
  // The alerts are rows of the store, synced or not: listed in every host, the CLI included.
  'sync.alerts': (context, input) => alertViews(context.store, input),
};
