import { sql, type Store } from '../../db/store.ts';
import { defineCommand, runCommand, type CoreContext } from '../commands/command.ts';
import { invalid } from '../errors.ts';
import { resolveEvent } from '../events/current.ts';
import { checkinModeSchema, stationSetCheckinModeInput, type CheckinMode } from './station.contract.ts';
import { readStationValue, stationKeys, writeStationValue } from './station-state.ts';

/**
 * The station's check-in mode (issue 8, item 6). It lives in this terminal's store, not in a
 * screen: a reload, a hung renderer or a second window changes nothing about what the readers do,
 * and the host (host/devices/checkin-station.ts) reads it when a reader event arrives.
 */

const off: CheckinMode = { active: false, gateId: null, direction: 'entry' };
const storedMode = checkinModeSchema.omit({ active: true });

export function readCheckinMode(store: Store): CheckinMode {
  const stored = readStationValue(store, stationKeys.checkinMode);
  if (stored === null) return off;
  // Written only by the command below; a value this version cannot read means "off", never a crash at the gate.
  let parsed;
  try {
    parsed = storedMode.safeParse(JSON.parse(stored));
  } catch {
    return off;
  }
  return parsed.success ? { active: true, ...parsed.data } : off;
}

export const setCheckinModeCommand = defineCommand({
  name: 'station.setCheckinMode',
  version: 1,
  local: true,
  input: stationSetCheckinModeInput,
  apply(scope, input): CheckinMode {
    const before = readCheckinMode(scope.store);
    if (input.active && input.gateId !== null) {
      const event = resolveEvent(scope.store, null);
      const gate = scope.store.first(
        sql.selectFrom('gates').select('id').where('id', '=', input.gateId).where('event_id', '=', event.id).where('deleted_at', 'is', null),
      );
      if (!gate) throw invalid(`The chosen gate is not a gate of ${event.name}: choose another gate`, 'gateId');
    }
    const after: CheckinMode = input.active ? { active: true, gateId: input.gateId, direction: input.direction } : off;
    writeStationValue(scope.store, stationKeys.checkinMode, after.active ? JSON.stringify({ gateId: after.gateId, direction: after.direction }) : null);
    scope.audit({ entity: 'station', entityId: scope.deviceId, before: { checkinMode: before }, after: { checkinMode: after } });
    return after;
  },
});

const sameMode = (a: CheckinMode, b: CheckinMode) => a.active === b.active && (!a.active || (a.gateId === b.gateId && a.direction === b.direction));

/** Sets the mode and tells every window; setting the mode it already has writes nothing. */
export function setCheckinMode(context: CoreContext, input: CheckinMode): CheckinMode {
  const current = readCheckinMode(context.store);
  if (sameMode(current, input)) return current;
  const mode = runCommand(context, setCheckinModeCommand, input);
  context.emit({ type: 'station.checkinMode', mode });
  return mode;
}
