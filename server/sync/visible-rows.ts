import { DomainError } from '../../core/errors.ts';
import type { DeviceRole } from '../../sync/protocol.ts';
import type { Device } from '../devices/enrolment.ts';
import type { PulledTable, Row } from './pulled-tables.ts';

/**
 * What a device receives (DESIGN.md section 6a), for pull, snapshot and live alike: the scopes it
 * may follow (its event and '', or any event for a device enrolled for every event) and, by its
 * role, the rows and columns it may see.
 */

/** A table a role never receives, or the columns it receives as null. */
type Hidden = 'table' | readonly string[];

/**
 * A gate shows the customer's name with a verdict and nothing else about them: no e-mail, phone
 * or address, no alternative e-mails, no web users. `web_user_id` goes too: its row is not sent,
 * and on the terminal it is a foreign key (web_users.email is NOT NULL and unique there, so a
 * web user without its e-mail cannot be stored). Operators' `pin_hash` is sent to every role: a
 * terminal checks PINs offline (DESIGN.md section 6a), against an scrypt hash.
 */
const hiddenFrom: Readonly<Record<DeviceRole, Readonly<Record<string, Hidden>>>> = {
  gate: {
    customers: ['email', 'phone', 'address', 'postcode', 'city', 'web_user_id'],
    customer_emails: 'table',
    web_users: 'table',
  },
  box_office: {},
  supervisor: {},
  admin: {},
};

/** The tables a role receives, in the order given. */
export function visibleTables(role: DeviceRole, tables: readonly PulledTable[]): PulledTable[] {
  return tables.filter((table) => hiddenFrom[role][table.name] !== 'table');
}

/** Rows as a role receives them: hidden columns null, a hidden table's rows none. */
export function visibleRows(role: DeviceRole, table: string, rows: readonly Row[]): Row[] {
  const hidden = hiddenFrom[role][table];
  if (hidden === undefined) return [...rows];
  if (hidden === 'table') return [];
  const nulls = Object.fromEntries(hidden.map((column) => [column, null]));
  return rows.map((row) => ({ ...row, ...nulls }));
}

/**
 * The columns of a table a role receives in a snapshot page, in the table's order: its hidden
 * columns are left out (a terminal loading a fresh table leaves them null), where a pull, which
 * updates rows the terminal may hold, sends them as null (visibleRows).
 */
export function visibleColumns(role: DeviceRole, table: PulledTable): readonly string[] {
  const hidden = hiddenFrom[role][table.name];
  if (hidden === undefined) return table.columns;
  if (hidden === 'table') return [];
  return table.columns.filter((column) => !hidden.includes(column));
}

/**
 * The scopes a device follows: '' first (customers and operators, which event rows reference),
 * then its event or the events it asks for, by id. A scope it may not follow is refused
 * with `field(scope)` named, not silently dropped: the terminal asked for it.
 */
export function followedScopes(device: Device, asked: Iterable<string>, field: (scope: string) => string): string[] {
  const events = new Set<string>(device.event_id === null ? [] : [device.event_id]);
  for (const scope of asked) {
    if (scope === '') continue;
    if (!mayFollow(device, scope)) {
      throw new DomainError('FORBIDDEN', `This terminal is enrolled for event ${device.event_id}: it receives no rows of event ${scope}`, field(scope));
    }
    events.add(scope);
  }
  return ['', ...[...events].sort()];
}

/** Whether a device receives a scope's rows: '' always, an event when it is the device's or the device has none. */
export function mayFollow(device: Device, scope: string): boolean {
  return scope === '' || device.event_id === null || scope === device.event_id;
}
