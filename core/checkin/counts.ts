import { sql, type Store } from '../../db/store.ts';
import type { Clock } from '../clock.ts';
import { invalid } from '../errors.ts';
import { resolveEvent } from '../events/current.ts';
import type { CheckinCounts } from './checkin.contract.ts';
import { localDay, localDayRange } from './event-time.ts';

const quarterSeconds = 15 * 60;

/** One group of the day's scans; `quarter` is the quarter hour since the Unix epoch. */
interface ScanGroup {
  gate_id: string | null;
  direction: 'entry' | 'exit';
  verdict: 'admitted' | 'rejected';
  reason: string;
  undone: 0 | 1;
  double_admission: 0 | 1;
  quarter: number;
  count: number;
}

const dayGroups = `SELECT gate_id, direction, verdict, reason, undone_at IS NOT NULL AS undone, double_admission,
    unixepoch(scanned_at) / ${quarterSeconds} AS quarter, count(*) AS count
  FROM scans WHERE event_id = ? AND scanned_at >= ? AND scanned_at < ?
  GROUP BY gate_id, direction, verdict, reason, undone, double_admission, quarter`;

const insideTickets = `SELECT inside_gate_id AS gate_id, count(*) AS count FROM tickets
  WHERE event_id = ? AND inside_since IS NOT NULL GROUP BY inside_gate_id`;
const insideTags = `SELECT inside_gate_id AS gate_id, count(*) AS count FROM tags
  WHERE event_id = ? AND inside_since IS NOT NULL GROUP BY inside_gate_id`;

interface GateTally {
  gateId: string | null;
  gate: string;
  admitted: number;
  rejected: number;
  exits: number;
  insideNow: number;
}

/**
 * The check-in panel's figures for one day of the event, in its own time zone. The day's scans
 * are read once through scans_event_time and grouped by gate, quarter hour, verdict and reason;
 * "inside now" comes from the partial indexes tickets_inside / tags_inside (migration 0004), never
 * from the scans. An undone admission counts as neither admitted nor rejected (undoneToday). A
 * double admission (two offline gates admitting one ticket) counts as admitted, and again in
 * doubleAdmissionsToday.
 */
export function checkinCounts(store: Store, clock: Clock, input: { eventId?: string | null; day?: string | undefined }): CheckinCounts {
  const event = resolveEvent(store, input.eventId);
  const day = input.day ?? localDay(clock.now().getTime(), event.time_zone);
  const range = localDayRange(day, event.time_zone);
  if (!range) throw invalid(`Day ${day} is not a calendar date`, 'day');
  const from = new Date(range.fromMs).toISOString();
  const to = new Date(range.toMs).toISOString();

  const gates = store.all(
    sql.selectFrom('gates').select(['id', 'name']).where('event_id', '=', event.id).where('deleted_at', 'is', null).orderBy('name'),
  );
  const perGate = new Map<string | null, GateTally>(
    gates.map((gate) => [gate.id, { gateId: gate.id, gate: gate.name, admitted: 0, rejected: 0, exits: 0, insideNow: 0 }]),
  );
  const tallyOf = (gateId: string | null) => {
    let tally = perGate.get(gateId);
    if (!tally) {
      tally = { gateId, gate: gateId === null ? 'No gate' : `Removed gate ${gateId}`, admitted: 0, rejected: 0, exits: 0, insideNow: 0 };
      perGate.set(gateId, tally);
    }
    return tally;
  };

  const firstQuarter = Math.floor(range.fromMs / 1000 / quarterSeconds);
  const quarters = Array.from({ length: Math.ceil((range.toMs - range.fromMs) / 1000 / quarterSeconds) }, (_, index) => ({
    start: new Date((firstQuarter + index) * quarterSeconds * 1000).toISOString(),
    admitted: 0,
    rejected: 0,
  }));
  const byReason = new Map<string, number>();
  const totals = { admittedToday: 0, exitsToday: 0, rejectedToday: 0, undoneToday: 0, doubleAdmissionsToday: 0 };

  for (const group of store.statement(dayGroups).all(event.id, from, to) as ScanGroup[]) {
    const tally = tallyOf(group.gate_id);
    const quarter = quarters[group.quarter - firstQuarter];
    if (group.undone === 1) {
      totals.undoneToday += group.count;
    } else if (group.verdict === 'rejected') {
      totals.rejectedToday += group.count;
      tally.rejected += group.count;
      if (quarter) quarter.rejected += group.count;
      byReason.set(group.reason, (byReason.get(group.reason) ?? 0) + group.count);
    } else if (group.direction === 'exit') {
      totals.exitsToday += group.count;
      tally.exits += group.count;
    } else {
      totals.admittedToday += group.count;
      if (group.double_admission === 1) totals.doubleAdmissionsToday += group.count;
      tally.admitted += group.count;
      if (quarter) quarter.admitted += group.count;
    }
  }

  let insideNow = 0;
  for (const statement of [insideTickets, insideTags]) {
    for (const row of store.statement(statement).all(event.id) as { gate_id: string | null; count: number }[]) {
      insideNow += row.count;
      tallyOf(row.gate_id).insideNow += row.count;
    }
  }

  return {
    eventId: event.id,
    day,
    timeZone: event.time_zone,
    from,
    to,
    insideNow,
    ...totals,
    perGate: [...perGate.values()],
    per15Minutes: quarters,
    rejectedByReason: [...byReason].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  };
}
