import { z } from 'zod';
import { actionLabel } from '../../core/customers/action-labels.ts';
import { displayName } from '../../core/customers/display-name.ts';
import type { OutboxStatus } from '../../core/enumerations.ts';
import { normalizeTagUid } from '../../core/fields.ts';
import type { CommandConcern, SyncCommandView, syncCommandFilters } from '../../core/sync/sync.contract.ts';
import { sql, type Store } from '../../db/store.ts';
import { commandCount, settledCommands, type SettledCommand } from './outbox.ts';

/**
 * The commands the Sync screen lists, in staff's words (DESIGN.md section 6: rejected
 * commands are never dropped silently, each shown with its reason and the customer or ticket it
 * concerns). What a command concerns is read from its args, which name the rows it acted on
 * (`customerId`, `ticketId`, `tagId`, `orderId`, a scan's `scanId`, a `ticketReference`, the `alertIds`
 * an acknowledgement names, through what each alert is about…), and
 * each row is named as staff know it: the customer's name, the ticket's reference, the tag's UID.
 * Never the raw JSON.
 */

const statusesOf: Readonly<Record<(typeof syncCommandFilters)[number], OutboxStatus[]>> = {
  rejected: ['rejected'],
  pending: ['pending'],
  conflict: ['applied_with_conflict'],
};

/** Up to `limit` commands of this terminal with that status, oldest first, and how many there are. */
export function commandViews(store: Store, filter: (typeof syncCommandFilters)[number], limit: number): { commands: SyncCommandView[]; total: number } {
  const statuses = statusesOf[filter];
  const total = Number(store.first(sql.selectFrom('outbox').select((eb) => eb.fn.countAll().as('n')).where('status', 'in', statuses))?.n ?? 0);
  const commands = settledCommands(store, statuses, undefined, limit);
  const argsById = new Map(
    store.all(sql.selectFrom('outbox').select(['id', 'args']).where('id', 'in', commands.length > 0 ? commands.map((command) => command.id) : [''])).map((row) => [row.id, row.args]),
  );
  return { commands: commands.map((command) => commandView(store, command, parsedArgs(argsById.get(command.id)))), total };
}

function commandView(store: Store, command: SettledCommand, args: Args): SyncCommandView {
  const concerns = concernsOf(store, args);
  return {
    id: command.id,
    seq: command.seq,
    command: command.command,
    label: actionLabel(command.command, args),
    at: command.at,
    operator: command.operator,
    status: command.status,
    reason: command.reason,
    conflicts: command.conflicts.map((conflict) => ({ kind: conflict.kind, message: conflict.message })),
    concerns,
    customerId: concerns.find((concern) => concern.kind === 'customer')?.id ?? null,
  };
}

type Args = Record<string, unknown>;

const argsSchema = z.record(z.string(), z.unknown());

function parsedArgs(text: string | undefined): Args {
  try {
    const parsed = argsSchema.safeParse(JSON.parse(text ?? '{}'));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The rows a command's args name, each as staff know it; the customer last, found through the others when not named. */
export function concernsOf(store: Store, args: Args): CommandConcern[] {
  const concerns: CommandConcern[] = [];
  let customerId = text(args.customerId);
  const eventId = text(args.eventId);
  // An acknowledgement of alerts concerns what the alerts are about: a scan (a double admission) or a wristband (replaced).
  const alertIds = Array.isArray(args.alertIds) ? args.alertIds.slice(0, 5).map(text).filter((id) => id !== undefined) : [];
  const alerted = alertIds.length === 0 ? [] : store.all(sql.selectFrom('alerts').select(['entity', 'entity_id']).where('id', 'in', alertIds).orderBy('created_at'));
  const alertedIds = (entity: string) => alerted.flatMap((alert) => (alert.entity === entity && alert.entity_id !== null ? [alert.entity_id] : []));
  const scanIds = new Set([text(args.scanId), ...alertedIds('scan')].filter((id) => id !== undefined));
  const scans = [...scanIds].flatMap((scanId) => store.first(sql.selectFrom('scans').select(['ticket_id', 'tag_id', 'code']).where('id', '=', scanId)) ?? []);
  const scan = text(args.scanId) === undefined ? undefined : scans[0];

  const ticketIds = new Set([text(args.ticketId), ...scans.map((row) => row.ticket_id ?? undefined)].filter((id) => id !== undefined));
  for (const ticketId of ticketIds) {
    const ticket = store.first(sql.selectFrom('tickets').select(['id', 'reference', 'customer_id']).where('id', '=', ticketId));
    if (!ticket) continue;
    concerns.push({ kind: 'ticket', id: ticket.id, label: `Ticket ${ticket.reference}` });
    customerId ??= ticket.customer_id ?? undefined;
  }
  const references = [text(args.ticketReference), ...(Array.isArray(args.references) ? args.references.slice(0, 5).map(text) : [])].filter((reference) => reference !== undefined);
  for (const reference of references) {
    const ticket = eventId ? store.first(sql.selectFrom('tickets').select(['id', 'customer_id']).where('event_id', '=', eventId).where('reference', '=', reference)) : undefined;
    if (!concerns.some((concern) => concern.label === `Ticket ${reference}`)) concerns.push({ kind: 'ticket', id: ticket?.id ?? reference, label: `Ticket ${reference}` });
    customerId ??= ticket?.customer_id ?? undefined;
  }
  const tagIds = new Set([text(args.tagId), ...scans.map((row) => row.tag_id ?? undefined), ...alertedIds('tag')].filter((id) => id !== undefined));
  for (const tagId of tagIds) {
    const tag = store.first(sql.selectFrom('tags').select(['id', 'uid', 'customer_id']).where('id', '=', tagId));
    if (!tag) continue;
    concerns.push({ kind: 'tag', id: tag.id, label: `Wristband ${tag.uid}` });
    customerId ??= tag.customer_id;
  }
  const uid = text(args.uid);
  if (uid && !concerns.some((concern) => concern.label === `Wristband ${uid}`)) concerns.push({ kind: 'tag', id: uid, label: `Wristband ${uid}` });
  const code = text(args.code) ?? scan?.code;
  // A scan with no row (a rejected scan is undone on the terminal too): its code names the credential.
  if (code && concerns.length === 0 && eventId) {
    const ticket = store.first(sql.selectFrom('tickets').select(['id', 'customer_id']).where('event_id', '=', eventId).where('reference', '=', code));
    const tagUid = ticket ? undefined : normalizeTagUid(code);
    const tag = tagUid === undefined ? undefined : store.first(sql.selectFrom('tags').select(['id', 'uid', 'customer_id']).where('event_id', '=', eventId).where('uid', '=', tagUid));
    if (ticket) concerns.push({ kind: 'ticket', id: ticket.id, label: `Ticket ${code}` });
    if (tag) concerns.push({ kind: 'tag', id: tag.id, label: `Wristband ${tag.uid}` });
    customerId ??= ticket?.customer_id ?? tag?.customer_id ?? undefined;
  }
  // A scan of a code that matched nothing: the code is all there is to show.
  if (code && concerns.length === 0) concerns.push({ kind: 'ticket', id: code, label: `Code ${code}` });
  const orderId = text(args.orderId);
  const order = orderId ? store.first(sql.selectFrom('orders').select(['id', 'number', 'customer_id']).where('id', '=', orderId)) : undefined;
  if (order) {
    concerns.push({ kind: 'order', id: order.id, label: `Order ${order.number}` });
    customerId ??= order.customer_id ?? undefined;
  }
  if (customerId) {
    const customer = store.first(sql.selectFrom('customers').select(['first_name', 'last_name', 'email']).where('id', '=', customerId));
    if (customer) concerns.unshift({ kind: 'customer', id: customerId, label: displayName({ firstName: customer.first_name, lastName: customer.last_name, email: customer.email }) });
  }
  return concerns;
}

/** What only a sync changes (commands rejected, applied with a conflict; alerts not acknowledged). */
export interface SettledCounts {
  rejected: number;
  withConflict: number;
  alerts: number;
}

/**
 * Counting them reads the whole outbox: the sync worker does it on its own connection after each
 * sync, off the thread that decides scans.
 */
export function settledCounts(store: Store): SettledCounts {
  return {
    rejected: commandCount(store, 'rejected'),
    withConflict: commandCount(store, 'applied_with_conflict'),
    alerts: Number(store.first(sql.selectFrom('alerts').select((eb) => eb.fn.countAll().as('n')).where('acknowledged_at', 'is', null))?.n ?? 0),
  };
}
