import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { AlertTable } from '../../db/schema.ts';
import { defineCommand } from '../commands/command.ts';
import { query } from '../commands/query-builder.ts';
import type { Reads } from '../commands/reads.ts';
import { notFound } from '../errors.ts';
import { idSchema } from '../fields.ts';
import { rolesFrom } from '../operators/roles.ts';
import { alertIdsSchema, type AlertAcknowledgement } from './alerts.contract.ts';

/**
 * Staff acknowledge conflict alerts once handled (issue 11 item 3): the alert keeps who and when,
 * and the acknowledgement syncs like any intent, run by this body on the terminal and again on the
 * server, whose row every terminal then pulls.
 *
 * Two terminals may acknowledge one alert while offline. The earliest acknowledgement by HLC
 * stands (who dealt with it first), whichever reaches the server first: the rule reads only the
 * row, so the server and a terminal's rebase decide alike and every store converges. The later
 * one is not an error and not a conflict staff must look at (the alert was handled either way):
 * it changes nothing, and the audit log of the terminal that made it keeps it. Acknowledging an
 * alert already acknowledged is the same case: nothing changes and nothing reaches the outbox.
 */

export type AlertAcknowledgementRow = Pick<Selectable<AlertTable>, 'id' | 'event_id' | 'acknowledged_at' | 'acknowledged_by' | 'acknowledged_hlc'>;

/** The alerts named, with their acknowledgement: what the body decides on, and what the terminal checks before it runs. */
export function* alertsNamed(reads: Reads, alertIds: readonly string[]) {
  const rows: AlertAcknowledgementRow[] = yield* reads.all(
    query.selectFrom('alerts').select(['id', 'event_id', 'acknowledged_at', 'acknowledged_by', 'acknowledged_hlc']).where('id', 'in', alertIds),
  );
  return rows;
}

/**
 * Whether an acknowledgement stamped `hlc` takes the alert: when none stands, or the one standing
 * was made later. One standing without a stamp counts as the earliest.
 */
export function acknowledgementTakes(standing: Pick<AlertAcknowledgementRow, 'acknowledged_at' | 'acknowledged_hlc'>, hlc: string): boolean {
  if (standing.acknowledged_at === null) return true;
  return standing.acknowledged_hlc !== null && hlc < standing.acknowledged_hlc;
}

/**
 * The command's args: the alerts, all of one event, and that event, resolved on the terminal from
 * the alerts (core/alerts/alerts.handlers.ts). The envelope names the event, so the server takes
 * its lock and checks the device may act on it; the body holds the alerts to it.
 */
export const acknowledgeAlertsArgs = z.object({ alertIds: alertIdsSchema, eventId: idSchema.nullable() });

export const acknowledgeAlertsCommand = defineCommand({
  name: 'alerts.acknowledge',
  version: 1,
  roles: rolesFrom('box_office'),
  input: acknowledgeAlertsArgs,
  *body(tx, input) {
    const rows = new Map((yield* alertsNamed(tx, input.alertIds)).map((row) => [row.id, row]));
    input.alertIds.forEach((alertId, index) => {
      const row = rows.get(alertId);
      if (!row || row.event_id !== input.eventId) {
        throw notFound(`No alert ${alertId} of this event here: the conflict that raised it was decided otherwise`, `alertIds.${index}`);
      }
    });
    const taken = input.alertIds.filter((alertId) => acknowledgementTakes(rows.get(alertId)!, tx.envelope.hlc));
    const takenHere = new Set(taken);
    if (taken.length > 0) {
      yield* tx.run(query.updateTable('alerts').set({ acknowledged_at: tx.now, acknowledged_by: tx.operator, acknowledged_hlc: tx.envelope.hlc }).where('id', 'in', taken));
      for (const alertId of taken) {
        const row = rows.get(alertId)!;
        yield* tx.audit({
          entity: 'alert',
          entityId: alertId,
          before: { acknowledgedAt: row.acknowledged_at, acknowledgedBy: row.acknowledged_by },
          after: { acknowledgedAt: tx.now, acknowledgedBy: tx.operator },
        });
      }
    }
    const alerts: AlertAcknowledgement[] = input.alertIds.map((alertId) => {
      const byThisCall = takenHere.has(alertId);
      const row = rows.get(alertId)!;
      return {
        alertId,
        acknowledgedAt: byThisCall ? tx.now : row.acknowledged_at!,
        acknowledgedBy: byThisCall ? tx.operator : row.acknowledged_by,
        byThisCall,
      };
    });
    return { alerts };
  },
});
