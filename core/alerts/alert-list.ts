import { sql, type Store } from '../../db/store.ts';
import { readOnStore } from '../commands/reads.ts';
import { notFound } from '../errors.ts';
import { deviceId } from '../terminal/state.ts';
import { alertsNamed, type AlertAcknowledgementRow } from './acknowledge.ts';
import type { AlertFilter, AlertList, AlertView } from './alerts.contract.ts';

/**
 * The conflict alerts this terminal holds, from every terminal (they sync), as the Sync screen and
 * `box-office alerts` list them: the ones waiting for an acknowledgement first, newest first, then
 * (when asked) the acknowledged ones with who and when. A read of the store: it works in every
 * host, the CLI included, enrolled or not.
 */

/** What staff read for an alert's kind. */
const alertKindLabels: Readonly<Record<string, string>> = {
  double_admission: 'Double admission',
  tag_replaced: 'Wristband replaced',
  field_overwritten: 'Change overwritten',
  email_matched: 'Customer matched by e-mail',
};

export function alertKindLabel(kind: string): string {
  const label = alertKindLabels[kind];
  if (label) return label;
  const words = kind.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const alertColumns = ['id', 'kind', 'message', 'created_at', 'device_id', 'acknowledged_at', 'acknowledged_by'] as const;

function countOf(store: Store, acknowledged: boolean): number {
  const count = sql.selectFrom('alerts').select((eb) => eb.fn.countAll().as('n'));
  return Number(store.first(count.where('acknowledged_at', acknowledged ? 'is not' : 'is', null))?.n ?? 0);
}

/** Up to `limit` alerts, unacknowledged first, each part newest first; how many the filter takes in, and how many wait. */
export function alertViews(store: Store, options: { limit: number; show: AlertFilter }): AlertList {
  const unacknowledged = countOf(store, false);
  const total = options.show === 'all' ? unacknowledged + countOf(store, true) : unacknowledged;
  const newest = (acknowledged: boolean, limit: number) =>
    store.all(
      sql
        .selectFrom('alerts')
        .select(alertColumns)
        .where('acknowledged_at', acknowledged ? 'is not' : 'is', null)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(limit),
    );
  const rows = newest(false, options.limit);
  if (options.show === 'all' && rows.length < options.limit) rows.push(...newest(true, options.limit - rows.length));
  const here = deviceId(store);
  const alerts: AlertView[] = rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    kindLabel: alertKindLabel(row.kind),
    message: row.message,
    at: row.created_at,
    fromThisTerminal: row.device_id === here,
    acknowledged: row.acknowledged_at !== null,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
  }));
  return { alerts, total, unacknowledged };
}

/**
 * The alerts named, each as this terminal holds it, in the order named; one it does not hold is
 * refused naming its place in the list, before anything is written.
 */
export function heldAlerts(store: Store, alertIds: readonly string[]): AlertAcknowledgementRow[] {
  const rows = new Map(readOnStore(store, (reads) => alertsNamed(reads, alertIds)).map((row) => [row.id, row]));
  return alertIds.map((alertId, index) => {
    const row = rows.get(alertId);
    if (!row) throw notFound(`Alert ${alertId} is not on this terminal: list the alerts again`, `alertIds.${index}`);
    return row;
  });
}
