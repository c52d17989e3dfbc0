/**
 * Turns an audit-log entry's before/after objects into lines staff can read ("Banned: off → on"),
 * whatever fields the command recorded, so a new command needs no change here.
 */

const operationNames: Record<string, string> = {
  'customers.update': 'Profile edited',
  'customers.createAccount': 'Account created',
  'customers.setDescription': 'Description changed',
  'customers.addAlternativeEmail': 'Alternative email added',
  'customers.removeAlternativeEmail': 'Alternative email removed',
  'customers.addLabel': 'Label added',
  'customers.removeLabel': 'Label removed',
  'customers.connectWebUser': 'Web user connected',
  'customers.disconnectWebUser': 'Web user disconnected',
  'tickets.assign': 'Ticket assigned',
  'tickets.setRedeemed': 'Ticket redeemed toggled',
  'tickets.setBanned': 'Ticket ban toggled',
  'tags.assign': 'Tag assigned',
  'tags.makeActive': 'Tag made active',
  'tags.setBanned': 'Tag ban toggled',
  'import.customers': 'Imported',
  'orders.create': 'Order created',
  'orders.delete': 'Order deleted',
};

/** `tickets.setBanned@1` → "Ticket ban toggled"; unknown names are shown as they are. */
export function describeOperation(operation: string): string {
  const name = operation.replace(/@\d+$/, '');
  return operationNames[name] ?? name;
}

/** `verificationStatus` or `verification_status` → "Verification status". */
export function humanizeField(key: string): string {
  const words = key
    .replace(/_/g, ' ')
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function showValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '—';
    return value.map((item) => (isRecord(item) && typeof item.name === 'string' ? item.name : showValue(item))).join(', ');
  }
  return JSON.stringify(value);
}

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

export function describeChanges(before: unknown, after: unknown): FieldChange[] {
  const from = isRecord(before) ? before : {};
  const to = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
  return keys
    .filter((key) => JSON.stringify(from[key]) !== JSON.stringify(to[key]))
    .map((key) => ({ field: humanizeField(key), before: showValue(from[key]), after: showValue(to[key]) }));
}
