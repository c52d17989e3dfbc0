import type { Store } from '../../db/store.ts';
import { systemClock, type Clock } from '../clock.ts';
import type { CommandObserver, CoreContext } from '../commands/command.ts';
import { DomainError } from '../errors.ts';
import { failure, ok, type Result } from '../result.ts';
import { parseInput } from '../validation.ts';
import type { BoxOfficeClient } from './client.ts';
import { contract, isOperationName, type Contract, type OperationName } from './contract.ts';
import { createPubSub, type CoreEvent } from './pubsub.ts';
import { handlers, type HandlerMap } from './handlers.ts';
import type { OperationSpec } from './operation.ts';
import type { DeviceManager } from '../devices/device-manager.ts';
import type { TerminalSync } from '../sync/terminal-sync.ts';
import { authorise } from '../operators/access.ts';
import { newSession, type Caller, type Session, type SessionContext } from '../operators/session.ts';

/**
 * Long jobs a host runs elsewhere (DESIGN.md section 5: a worker thread with its own connection).
 * A job replaces core's own handler for that operation; it gets the validated input and the
 * context, emits its progress through `context.emit` and throws DomainError for domain errors.
 */
export type CoreJobs = Partial<Pick<HandlerMap<Contract>, 'import.customers'>>;

export interface CoreOptions {
  store: Store;
  jobs?: CoreJobs;
  /** The host's readers (host/devices); their events reach this core's subscribers. */
  devices?: DeviceManager;
  /** The host's sync with the central server (host/sync); its status and progress reach this core's subscribers. */
  sync?: TerminalSync;
  clock?: Clock;
  /**
   * Who `invoke` acts as without signing in: the CLI's operator or local administrator, a test's
   * admin. Absent, `invoke` starts signed out like every session of `openSession()`.
   */
  caller?: Caller | null;
  /** Called with unexpected errors (bugs), which reach the caller only as INTERNAL. */
  onInternalError?: (error: unknown, operation: string) => void;
  /** Told of every command run, with its envelope and outcome (core/commands/command.ts). */
  observeCommand?: CommandObserver;
}

/** A client of core with its own sign-in (a WebSocket connection, an Electron window, a CLI run). */
export interface CoreSession extends BoxOfficeClient {
  readonly session: Session;
  /** Like invoke, for callers holding untyped input (IPC, WebSocket, CLI): validates the name too. */
  invokeUnknown(name: unknown, input: unknown): Promise<Result<unknown>>;
}

export interface BoxOfficeCore extends CoreSession {
  /** The store, clock and events every session shares; `operator` is the default session's at creation. */
  readonly context: CoreContext;
  /** A new session, signed out: each client signs in for itself. */
  openSession(): CoreSession;
}

/**
 * Each event reaches a session only when its caller may call the operation that reveals the same
 * data (DESIGN.md section 6a): an import's progress goes to whoever may import, a verdict (with the
 * customer's name) or a reader's read to whoever may scan. The station's check-in mode is for everyone.
 */
const revealedBy: Readonly<Record<CoreEvent['type'], OperationName | null>> = {
  'import.progress': 'import.customers',
  'checkin.verdict': 'checkin.scan',
  'checkin.notRecorded': 'checkin.scan',
  'checkin.undone': 'checkin.scan',
  'station.checkinMode': null,
  reader: 'checkin.scan',
  'reader.status': 'checkin.scan',
  'sync.status': 'sync.status',
  'sync.progress': 'sync.status',
};

/**
 * The in-process core: validates every input against the contract, runs the handler and turns
 * domain errors into `{ ok: false, error }`. Hosts (Electron, web host, CLI) wrap this object.
 */
export function createCore(options: CoreOptions): BoxOfficeCore {
  const pubsub = createPubSub();
  const context: CoreContext = {
    store: options.store,
    clock: options.clock ?? systemClock,
    operator: options.caller?.name ?? null,
    emit: pubsub.publish,
    ...(options.devices ? { devices: options.devices } : {}),
    ...(options.sync ? { sync: options.sync } : {}),
    ...(options.observeCommand ? { observeCommand: options.observeCommand } : {}),
  };
  options.devices?.onEvent((event) => context.emit(event));
  options.sync?.onEvent((event) => context.emit(event));

  async function invokeUnknown(session: Session, name: unknown, rawInput: unknown): Promise<Result<unknown>> {
    if (!isOperationName(name)) {
      return failure({ code: 'VALIDATION', message: `Unknown operation: ${String(name).slice(0, 80)}`, field: 'operation' });
    }
    const spec: OperationSpec = contract[name];
    const job = options.jobs && Object.hasOwn(options.jobs, name) ? options.jobs[name as keyof CoreJobs] : undefined;
    const handler = (job ?? handlers[name]) as (context: CoreContext, input: unknown) => unknown;
    try {
      // Roles and the station lock before the input: a refused caller learns nothing from a VALIDATION answer.
      const access = authorise(context.store, session, name, spec.roles, options.caller?.name ?? null);
      if (!access.ok) return failure(access.error.toApiError());
      const input = parseInput(spec.input, rawInput);
      const callContext: SessionContext = { ...context, operator: access.operator, session };
      return ok(await handler(callContext, input));
    } catch (error) {
      if (error instanceof DomainError) return failure(error.toApiError());
      options.onInternalError?.(error, name);
      return failure({ code: 'INTERNAL', message: 'Something went wrong inside Box Office; the change was not saved.' });
    }
  }

  /** Whether the session may see an event: when it may call the operation that shows the same data. */
  function mayReceive(session: Session, event: CoreEvent): boolean {
    const operation = revealedBy[event.type];
    if (operation === null) return true;
    // A reader going quiet while the host shuts down reports after the store closed: nobody is left to tell.
    if (!context.store.db.open) return false;
    return authorise(context.store, session, operation, contract[operation].roles, options.caller?.name ?? null).ok;
  }

  function sessionClient(session: Session): CoreSession {
    const invoke = (name: unknown, input: unknown) => invokeUnknown(session, name, input);
    const subscribe: BoxOfficeClient['subscribe'] = (listener) =>
      pubsub.subscribe((event) => {
        if (mayReceive(session, event)) listener(event);
      });
    return { session, invoke: invoke as BoxOfficeClient['invoke'], invokeUnknown: invoke, subscribe };
  }

  return {
    ...sessionClient(newSession(options.caller ?? null)),
    context,
    openSession: () => sessionClient(newSession()),
  };
}
