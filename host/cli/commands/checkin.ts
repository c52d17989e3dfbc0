import { z } from 'zod';
import type { CheckinVerdict } from '../../../core/checkin/checkin.contract.ts';
import { cliArguments, defineCliCommand, OperationFailed } from '../cli-command.ts';
import { formatTimeIn } from '../format.ts';
import { invokeOrFail } from '../invoke.ts';
import type { Host } from '../../host.ts';
import { scanDirections } from '../../../core/enumerations.ts';

/** A gate given on the command line by id or by name (case-insensitive). */
async function gateIdFor(host: Host, gate: string, eventId: string | undefined): Promise<string> {
  const { gates } = await invokeOrFail(host, 'gates.list', eventId ? { eventId } : {});
  const found = gates.find((candidate) => candidate.id === gate) ?? gates.find((candidate) => candidate.name.toLowerCase() === gate.toLowerCase());
  if (!found) {
    const known = gates.length > 0 ? `; gates: ${gates.map((candidate) => candidate.name).join(', ')}` : '; this event has no gates';
    throw new OperationFailed({ code: 'NOT_FOUND', message: `No gate ${gate}${known}`, field: 'gateId' });
  }
  return found.id;
}

export function formatVerdict(verdict: CheckinVerdict): string {
  const lines = [`${verdict.verdict === 'admitted' ? (verdict.warning ? 'ADMITTED (check)' : 'ADMITTED') : 'REJECTED'}  ${verdict.message}`];
  lines.push(`Reason: ${verdict.reason}${verdict.warning ? `, warning: ${verdict.warning}` : ''}`);
  if (verdict.customer) lines.push(`Customer: ${verdict.customer.displayName}`);
  if (verdict.ticket) lines.push(`Ticket: ${verdict.ticket.reference} (${verdict.ticket.ticketType})`);
  if (verdict.tag) lines.push(`Wristband: ${verdict.tag.uid} (${verdict.tag.ticketType})`);
  const time = (iso: string) => `${formatTimeIn(iso, verdict.timeZone)} (${verdict.timeZone})`;
  if (verdict.firstAdmission) lines.push(`First admitted: ${time(verdict.firstAdmission.at)}${verdict.firstAdmission.gate ? ` at ${verdict.firstAdmission.gate}` : ''}`);
  lines.push(`Scanned: ${time(verdict.at)}${verdict.gate ? `, ${verdict.gate.name}` : ''}, ${verdict.direction}`);
  return `${lines.join('\n')}\n`;
}

/**
 * `box-office checkin CODE`: one scan, decided and recorded like at a gate. Both verdicts are a
 * successful run (exit 0); only an error (unknown gate, bad input, no event) exits 1.
 */
export const checkinCommand = defineCliCommand({
  name: 'checkin',
  usage: 'CODE [--gate G] [--direction entry|exit] [--event ID]',
  summary: 'Scan a ticket reference or tag UID at a gate (G: gate id or name) and print the verdict',
  options: { gate: { type: 'string' }, direction: { type: 'string' }, event: { type: 'string' } },
  positionals: ['CODE'],
  schema: z.object({
    code: cliArguments.text('CODE'),
    gate: cliArguments.text('--gate').optional(),
    direction: z.enum(scanDirections, { error: 'expected entry or exit' }).default('entry'),
    event: cliArguments.text('--event').optional(),
  }),
  async run(context, args) {
    const host = context.host();
    const gateId = args.gate === undefined ? null : await gateIdFor(host, args.gate, args.event);
    const verdict = await invokeOrFail(host, 'checkin.scan', {
      code: args.code,
      gateId,
      direction: args.direction,
      ...(args.event ? { eventId: args.event } : {}),
    });
    context.io.stdout.write(context.options.json ? `${JSON.stringify(verdict)}\n` : formatVerdict(verdict));
    return 0;
  },
});
