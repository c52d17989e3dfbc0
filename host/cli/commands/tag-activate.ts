import { z } from 'zod';
import { cliArguments, defineCliCommand } from '../cli-command.ts';
import { invokeOrFail } from '../invoke.ts';

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
    const lines = [
      `Wristband activated: tag ${result.tagId} for ${result.customerCreated ? 'a new anonymous customer' : 'customer'} ${result.customerId}`,
      `Ticket ${args.ticket} (${result.ticketId}) is redeemed`,
    ];
    if (result.replacedTagIds.length > 0) lines.push(`Replaced (now inactive): ${result.replacedTagIds.join(', ')}`);
    context.io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
});
