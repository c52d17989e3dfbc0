import { z } from 'zod';
import type { CustomerCard } from '../../../core/customers/customers.contract.ts';
import { cliArguments, defineCliCommand } from '../cli-command.ts';
import { formatTagUid } from '../../../core/tags/uid-text.ts';
import { formatMoney, formatTable, formatTimeIn, yesNo } from '../format.ts';
import { invokeOrFail, resolveCustomer } from '../invoke.ts';

const statusText = (status: string) => status.replaceAll('_', ' ');
const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');

/** The customer card as text, in the order of the card screen (seed 004): header, profile, totals, then lists. */
export function formatCard(card: CustomerCard): string {
  const { profile, totals } = card;
  const money = (amount: number) => formatMoney(amount, totals.currency);
  // Times are in the card's event zone, named once in the header; a thing of an event in another
  // zone names its own zone beside the time.
  const time = (iso: string | null, zone = card.timeZone) => `${formatTimeIn(iso, zone)}${iso && zone !== card.timeZone ? ` (${zone})` : ''}`;
  const out: string[] = [];
  const labels = card.labels.length > 0 ? `  [${card.labels.map((label) => label.name).join(', ')}]` : '';
  out.push(`${profile.displayName}  (${profile.verificationStatus === 'verified' ? 'Verified' : 'Non-verified'})${labels}${profile.description ? '  (i) has a note' : ''}`);
  out.push(`Customer ${profile.id}, created ${time(profile.createdAt)}, updated ${time(profile.updatedAt)} (times in ${card.timeZone})`);
  out.push('');
  const address = [profile.address, [profile.postcode, profile.city].filter(Boolean).join(' '), profile.country].filter(Boolean).join(', ');
  const fields: [string, string | null][] = [
    ['First name', profile.firstName],
    ['Last name', profile.lastName],
    ['Email', profile.email],
    ['Alternative emails', card.alternativeEmails.length > 0 ? card.alternativeEmails.join(', ') : null],
    ['Phone', profile.phone],
    ['Address', address || null],
    ['Gender', profile.gender],
    ['Web user', card.webUser ? card.webUser.email : null],
    ['Note', profile.description],
  ];
  const labelWidth = Math.max(...fields.map(([label]) => label.length));
  for (const [label, value] of fields) out.push(`${label.padEnd(labelWidth)}  ${value ?? '—'}`);
  out.push('');
  out.push(
    `Amount spent ${money(totals.amountSpent)} · ${totals.orderCount} ${totals.orderCount === 1 ? 'order' : 'orders'} · average order ${money(totals.averageOrderValue)}`,
  );
  out.push(`Balance: credits ${money(totals.balances.credit)} · virtual credits ${money(totals.balances.virtual_credit)} · tokens ${totals.balances.token}`);

  out.push('', `Tickets (${card.tickets.length})`);
  if (card.tickets.length > 0) {
    out.push(
      indent(
        formatTable(
          ['Reference', 'Type', 'Status', 'Redeemed', 'Banned', 'Last scan'],
          card.tickets.map((ticket) => [
            ticket.reference,
            ticket.ticketType,
            ticket.credentialStatus.label,
            yesNo(ticket.redeemed),
            yesNo(ticket.banned),
            ticket.lastScan
              ? `${time(ticket.lastScan.at, ticket.timeZone)} ${ticket.lastScan.gate ?? ''} (${ticket.lastScan.direction}, ${ticket.lastScan.verdict})`.replace('  ', ' ')
              : 'N/A',
          ]),
        ),
      ).trimEnd(),
    );
  }

  out.push('', `Tags (${card.tags.length})`);
  if (card.tags.length > 0) {
    out.push(
      indent(
        formatTable(
          ['UID', 'Type', 'Status', 'Active', 'Banned', 'Created'],
          card.tags.map((tag) => [
            formatTagUid(tag.uid),
            tag.ticketType,
            tag.credentialStatus.label,
            yesNo(tag.active),
            yesNo(tag.banned),
            time(tag.createdAt, tag.timeZone),
          ]),
        ),
      ).trimEnd(),
    );
  }

  out.push('', `Orders (${card.orders.length})`);
  for (const order of card.orders) {
    const deleted = order.deletedAt ? `, deleted ${time(order.deletedAt, order.timeZone)}` : '';
    out.push(
      `  ${order.number}  ${time(order.createdAt, order.timeZone)}  ${order.channel === 'online' ? 'online' : 'box office'}  ${order.kind}  ${statusText(order.status)}  total ${money(order.total)}, paid ${money(order.amountPaid)}  ${order.eventName}${deleted}`,
    );
    for (const item of order.items) out.push(`      ${item.quantity} × ${item.description} at ${money(item.unitPrice)}`);
    for (const ticket of order.tickets) out.push(`      ticket ${ticket.reference} (${ticket.ticketType}): ${ticket.credentialStatus.label}`);
  }

  out.push('', `Timeline (${card.timeline.length})`);
  for (const entry of card.timeline) {
    const items = entry.items.map((item) => `${item.quantity} × ${item.description}`).join(', ');
    out.push(`  ${time(entry.at, entry.timeZone)}  ${entry.number}  ${statusText(entry.status)}  ${money(entry.total)}  ${items}`);
  }

  out.push('', `History (${card.history.length})`);
  for (const entry of card.history) {
    out.push(`  ${time(entry.at)}  ${entry.who}  ${entry.action}: ${entry.subject}`);
    for (const change of entry.changes) out.push(`      ${change.field}: ${change.before} → ${change.after}`);
  }
  return `${out.join('\n')}\n`;
}

export const cardCommand = defineCliCommand({
  name: 'card',
  usage: 'ID [--deleted-orders] [--event ID]',
  summary: "Show a customer's card; ID is a customer id, e-mail, ticket reference or tag UID",
  options: { 'deleted-orders': { type: 'boolean' }, event: { type: 'string' } },
  positionals: ['ID'],
  schema: z.object({
    id: cliArguments.text('ID'),
    'deleted-orders': z.boolean().default(false),
    event: cliArguments.text('--event').optional(),
  }),
  async run(context, args) {
    const host = context.host();
    const customerId = await resolveCustomer(host, args.id);
    const card = await invokeOrFail(host, 'customers.card', {
      customerId,
      deletedOrders: args['deleted-orders'],
      ...(args.event ? { orderEventId: args.event } : {}),
    });
    context.io.stdout.write(context.options.json ? `${JSON.stringify(card)}\n` : formatCard(card));
    return 0;
  },
});
