import { z } from 'zod';
import { displayName } from '../../../core/customers/display-name.ts';
import type { Host } from '../../host.ts';
import { cliArguments, defineCliCommand } from '../cli-command.ts';
import { invokeOrFail } from '../invoke.ts';

/**
 * What staff need to read after an exchange: the customer's name, the new wristband's UID, the
 * ticket's reference and the UIDs of the wristbands it replaced. The commands answer with ids,
 * which mean nothing at the counter, so they are read back from the customer's card.
 */
async function wristbandReport(host: Host, result: { customerId: string; tagId: string; ticketId?: string; replacedTagIds: readonly string[] }) {
  const card = await invokeOrFail(host, 'customers.card', { customerId: result.customerId });
  const uidOf = (id: string) => card.tags.find((tag) => tag.id === id)?.uid;
  return {
    name: displayName(card.profile),
    uid: uidOf(result.tagId),
    ticketReference: card.tickets.find((ticket) => ticket.id === result.ticketId)?.reference,
    replacedUids: result.replacedTagIds.map((id) => uidOf(id) ?? 'of another event'),
  };
}

const replacedLine = (uids: readonly string[]) => `Now inactive (replaced): wristband ${uids.join(', wristband ')}`;

/** `box-office tag activate`: the box office's ticket-for-wristband exchange (tags.activateForTicket). */
export const tagActivateCommand = defineCliCommand({
  name: 'tag activate',
  usage: '--ticket REF --uid UID [--event ID]',
  summary: "Exchange a ticket for a wristband: bind the tag to the ticket's customer, make it active, redeem the ticket",
  options: { ticket: { type: 'string' }, uid: { type: 'string' }, event: { type: 'string' } },
  positionals: [],
  schema: z.object({
    ticket: cliArguments.text('--ticket'),
    uid: cliArguments.text('--uid'),
    event: cliArguments.text('--event').optional(),
  }),
  async run(context, args) {
    const host = context.host();
    const result = await invokeOrFail(host, 'tags.activateForTicket', {
      ticketReference: args.ticket,
      uid: args.uid,
      ...(args.event ? { eventId: args.event } : {}),
    });
    if (context.options.json) {
      context.io.stdout.write(`${JSON.stringify(result)}\n`);
      return 0;
    }
    const report = await wristbandReport(host, result);
    const lines = [
      `Wristband ${report.uid ?? args.uid} activated for ${result.customerCreated ? 'a new anonymous customer' : report.name}`,
      `Ticket ${report.ticketReference ?? args.ticket} is redeemed`,
    ];
    if (report.replacedUids.length > 0) lines.push(replacedLine(report.replacedUids));
    context.io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
});

/** `box-office tag replace`: a lost wristband's replacement (tags.replace), as on the customer card. */
export const tagReplaceCommand = defineCliCommand({
  name: 'tag replace',
  usage: '--old UID --uid NEW_UID [--event ID]',
  summary: 'Replace a lost wristband: the old one becomes inactive (replaced), the new one active with the same ticket type, ticket and check-in state',
  options: { old: { type: 'string' }, uid: { type: 'string' }, event: { type: 'string' } },
  positionals: [],
  schema: z.object({
    old: cliArguments.text('--old'),
    uid: cliArguments.text('--uid'),
    event: cliArguments.text('--event').optional(),
  }),
  async run(context, args) {
    const host = context.host();
    const result = await invokeOrFail(host, 'tags.replace', {
      oldUid: args.old,
      newUid: args.uid,
      ...(args.event ? { eventId: args.event } : {}),
    });
    if (context.options.json) {
      context.io.stdout.write(`${JSON.stringify(result)}\n`);
      return 0;
    }
    const report = await wristbandReport(host, result);
    context.io.stdout.write(`Wristband ${report.uid ?? args.uid} is now the active wristband of ${report.name}\n${replacedLine(report.replacedUids)}\n`);
    return 0;
  },
});
