/**
 * What staff read for each command in a card's history ("Ticket banned", not `tickets.setBanned@1`).
 * The one list: the card query puts the label into each history entry, so the card screen and the
 * CLI `card` print the same words. A label may depend on what the command set (ban or unban).
 */
type After = Record<string, unknown>;
type ActionLabel = string | ((after: After) => string);

const flag = (key: string, on: string, off: string) => (after: After) => (after[key] === false ? off : on);

export const actionLabels: Readonly<Record<string, ActionLabel>> = {
  'customers.update': 'Profile edited',
  'customers.createAccount': 'Account created',
  'customers.setDescription': 'Internal note changed',
  'customers.addAlternativeEmail': 'Alternative email added',
  'customers.removeAlternativeEmail': 'Alternative email removed',
  'customers.addLabel': 'Label added',
  'customers.removeLabel': 'Label removed',
  'customers.connectWebUser': 'Web user connected',
  'customers.disconnectWebUser': 'Web user disconnected',
  'tickets.assign': 'Ticket assigned',
  'tickets.setRedeemed': flag('redeemed', 'Ticket marked redeemed', 'Ticket marked valid (not redeemed)'),
  'tickets.setBanned': flag('banned', 'Ticket banned', 'Ticket unbanned'),
  'tags.assign': 'Tag assigned',
  'tags.makeActive': 'Tag made active',
  'tags.setBanned': flag('banned', 'Tag banned', 'Tag unbanned'),
  'tags.activateForTicket': 'Wristband activated for a ticket',
  'tags.replace': 'Lost wristband replaced',
  'checkin.scan': 'Scanned at a gate',
  'checkin.undo': 'Scan undone',
  'gates.create': 'Gate created',
  'import.customers': 'Imported from a CSV file',
  'import.createEvent': 'Event created by an import',
  'orders.create': 'Order created',
  'orders.delete': 'Order deleted',
  'alerts.acknowledge': 'Conflict alert acknowledged',
};

/**
 * `tickets.setBanned@1` → "Ticket banned". A command added later without a label still reads as
 * words ("orders.setStatus" → "Orders: set status"), never as its internal name.
 */
export function actionLabel(operation: string, after: unknown): string {
  const label = labelOf(operation, after);
  // A change a later one overrode (last-writer-wins.ts) wrote nothing but what it tried: say so.
  return isRecord(after) && Object.keys(after).length === 1 && 'notApplied' in after ? `${label}: not applied, changed later elsewhere` : label;
}

function isRecord(value: unknown): value is After {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function labelOf(operation: string, after: unknown): string {
  const name = operation.replace(/@\d+$/, '');
  const label = Object.hasOwn(actionLabels, name) ? actionLabels[name] : undefined;
  if (typeof label === 'string') return label;
  if (label) return label(isRecord(after) ? after : {});
  const [prefix = '', verb = ''] = name.split('.');
  const words = verb.replace(/([a-z\d])([A-Z])/g, '$1 $2').toLowerCase();
  const area = prefix.charAt(0).toUpperCase() + prefix.slice(1);
  return words ? `${area}: ${words}` : area;
}
