import type { Contract, OperationName } from '../../core/api/contract.ts';
import type { OperationInput, OperationOutput } from '../../core/api/operation.ts';
import type { Host } from '../host.ts';
import { OperationFailed } from './cli-command.ts';

/** Runs one core operation; a refusal becomes OperationFailed (one line on stderr, exit 1). */
export async function invokeOrFail<K extends OperationName>(
  host: Host,
  name: K,
  input: OperationInput<Contract[K]>,
): Promise<OperationOutput<Contract[K]>> {
  const result = await host.core.invoke(name, input);
  if (!result.ok) throw new OperationFailed(result.error);
  return result.value;
}

/** The currency money is shown in: the event's when there is exactly one event, else EUR. */
export async function displayCurrency(host: Host): Promise<string> {
  const { events } = await invokeOrFail(host, 'events.list', {});
  return events.length === 1 ? events[0]!.currency : 'EUR';
}

/** The customer behind a key typed on the command line: id, e-mail, ticket reference or tag UID. */
export async function resolveCustomer(host: Host, key: string): Promise<string> {
  return (await invokeOrFail(host, 'customers.resolve', { key })).customerId;
}
