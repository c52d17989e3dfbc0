import type { Clock } from '../../core/clock.ts';
import { parseInput } from '../../core/validation.ts';
import type { ServerDatabase } from '../db/database.ts';
import { createEnrolmentCode, listDevices, revokeDevice } from '../devices/enrolment.ts';
import { createEvent, listEvents } from '../events/events.ts';
import { addOperator, listOperators } from '../operators/operators.ts';
import { adminContract, durationMs, type AdminInput, type AdminOperationName, type AdminOutput } from './admin.contract.ts';
import { deviceSummary } from './devices.ts';
import { serverStatus } from './status.ts';

/** Each admin operation's one implementation, over a store; the /admin routes and the CLI's direct path both run these. */
export type AdminHandlers = { [K in AdminOperationName]: (input: AdminInput<K>) => Promise<AdminOutput<K>> };

export function adminHandlers(db: ServerDatabase, clock: Clock): AdminHandlers {
  return {
    'enrolCodes.create': (input) =>
      createEnrolmentCode(db, clock, {
        role: input.role,
        eventId: input.eventId ?? null,
        ...(input.expires === undefined ? {} : { lifetimeMs: durationMs(input.expires)! }),
      }),
    'devices.list': async () => ({ devices: (await listDevices(db)).map(deviceSummary) }),
    'devices.revoke': async (input) => deviceSummary(await revokeDevice(db, clock, input.id)),
    'operators.add': (input) => addOperator(db, clock, input),
    'operators.list': async () => ({ operators: await listOperators(db) }),
    'events.create': (input) => createEvent(db, clock, input),
    'events.list': async () => ({ events: await listEvents(db) }),
    status: () => serverStatus(db),
  };
}

/** Parses an operation's input (a VALIDATION error naming the field when it is bad, and nothing runs), then runs it. */
export function runAdminOperation<K extends AdminOperationName>(handlers: AdminHandlers, name: K, input: unknown): Promise<AdminOutput<K>> {
  // TypeScript does not follow `name` from the contract to the handler: the schema indexed by K parses to AdminInput<K>.
  const parsed = parseInput(adminContract[name].input, input) as AdminInput<K>;
  return handlers[name](parsed);
}
