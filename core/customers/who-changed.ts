/**
 * Who did something, as staff read it in a card's history or a ticket's scan history: the
 * operator's name when one was recorded, else which terminal. Never the CLI's internal operator
 * name `cli` (host/cli/main.ts records it when no --operator is given) nor a device id. Pure: the
 * card query and the renderer's scan history use it.
 */
const commandLineOperator = 'cli';

export function whoChanged(operator: string | null, deviceId: string, thisDeviceId: string | null): string {
  const terminal = deviceId === thisDeviceId ? 'this terminal' : 'another terminal';
  if (operator === commandLineOperator) return `${terminal} (command line)`;
  return operator ?? terminal;
}
