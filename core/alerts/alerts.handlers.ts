import type { HandlerMap } from '../api/handlers.ts';
import { runCommand, type CoreContext } from '../commands/command.ts';
import { acknowledgeAlertsCommand } from './acknowledge.ts';
import { heldAlerts } from './alert-list.ts';
import type { AlertAcknowledgement, alertOperations } from './alerts.contract.ts';

/**
 * Acknowledges the alerts named: one command per event they belong to (an envelope names one
 * event, whose lock the server takes and whose reach it checks), all in one transaction here, so a
 * refusal writes none of them. Alerts of one event, the usual case, are one command.
 */
function acknowledgeAlerts(context: CoreContext, alertIds: readonly string[]): { alerts: AlertAcknowledgement[] } {
  const byEvent = new Map<string | null, string[]>();
  for (const alert of heldAlerts(context.store, alertIds)) {
    const ids = byEvent.get(alert.event_id) ?? [];
    ids.push(alert.id);
    byEvent.set(alert.event_id, ids);
  }
  const acknowledged = context.store.immediateTransaction(() =>
    [...byEvent].flatMap(([eventId, ids]) => runCommand(context, acknowledgeAlertsCommand, { alertIds: ids, eventId }).alerts),
  );
  const byId = new Map(acknowledged.map((alert) => [alert.alertId, alert]));
  return { alerts: alertIds.map((alertId) => byId.get(alertId)!) };
}

export const alertHandlers: HandlerMap<typeof alertOperations> = {
  'alerts.acknowledge': (context, input) => acknowledgeAlerts(context, input.alertIds),
};
