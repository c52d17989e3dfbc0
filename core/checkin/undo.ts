import { defineCommand } from '../commands/command.ts';
import { query } from '../commands/query-builder.ts';
import { conflict, notFound } from '../errors.ts';
import { checkinUndoInput } from './checkin.contract.ts';
import { presenceFromScans } from './presence.ts';
import type { Direction } from './reasons.ts';
import { rolesFrom } from '../operators/roles.ts';

/** How long after an admission its terminal may still undo it (a turnstile that did not turn). */
export const undoWindowMs = 60_000;

/**
 * Undoes an admission made by this terminal less than a minute ago. Nothing is erased: the scan
 * gets undone_at (and an audit entry on its ticket or tag), stops counting, and the credential's
 * presence is recomputed from its remaining admissions, so the person can be admitted again.
 */
export const undoScan = defineCommand({
  name: 'checkin.undo',
  version: 1,
  roles: rolesFrom('supervisor'),
  input: checkinUndoInput,
  *body(tx, input) {
    const scan = yield* tx.first(query.selectFrom('scans').selectAll().where('id', '=', input.scanId));
    if (!scan) throw notFound('That scan is not on this terminal', 'scanId');
    if (scan.device_id !== tx.deviceId) {
      throw conflict('This scan was made at another terminal; only that terminal can undo it', 'scanId');
    }
    if (scan.verdict !== 'admitted') throw conflict('This scan was rejected: there is no admission to undo', 'scanId');
    if (scan.undone_at !== null) throw conflict('This admission was already undone', 'scanId');
    const ageMs = Date.parse(tx.now) - Date.parse(scan.scanned_at);
    if (ageMs > undoWindowMs) {
      throw conflict(
        `This admission is ${Math.floor(ageMs / 1000)} seconds old: an admission can be undone within ${undoWindowMs / 1000} seconds only`,
        'scanId',
      );
    }

    const credential = scan.tag_id !== null ? { entity: 'tag' as const, id: scan.tag_id } : { entity: 'ticket' as const, id: scan.ticket_id! };
    const admitted = yield* tx.all(
      query
        .selectFrom('scans')
        .select(['id', 'direction', 'scanned_at', 'gate_id'])
        .where(credential.entity === 'tag' ? 'tag_id' : 'ticket_id', '=', credential.id)
        .$if(credential.entity === 'ticket', (builder) => builder.where('tag_id', 'is', null))
        .where('verdict', '=', 'admitted')
        .where('undone_at', 'is', null)
        .orderBy('scanned_at')
        .orderBy('id'),
    );
    if (admitted.at(-1)?.id !== scan.id) {
      throw conflict(`This is not the latest admission of this ${credential.entity === 'tag' ? 'wristband' : 'ticket'}: undo the later one first`, 'scanId');
    }

    const toState = (rows: typeof admitted) =>
      presenceFromScans(rows.map((row) => ({ id: row.id, direction: row.direction as Direction, at: row.scanned_at, gateId: row.gate_id })));
    const before = toState(admitted);
    const after = toState(admitted.slice(0, -1));
    yield* tx.run(query.updateTable('scans').set({ undone_at: tx.now }).where('id', '=', scan.id));
    if (credential.entity === 'ticket') {
      yield* tx.run(
        query
          .updateTable('tickets')
          .set({ entry_count: after.entryCount, inside_since: after.insideSince, inside_gate_id: after.insideGateId, first_scan_at: after.firstEntryAt })
          .where('id', '=', credential.id),
      );
    } else {
      yield* tx.run(
        query
          .updateTable('tags')
          .set({ entry_count: after.entryCount, inside_since: after.insideSince, inside_gate_id: after.insideGateId })
          .where('id', '=', credential.id),
      );
    }
    yield* tx.audit({
      entity: credential.entity,
      entityId: credential.id,
      before: { undoneScanId: null, entries: before.entryCount, inside: before.insideSince !== null },
      after: { undoneScanId: scan.id, entries: after.entryCount, inside: after.insideSince !== null },
    });
    return {
      scanId: scan.id,
      undoneAt: tx.now,
      ticketId: scan.ticket_id,
      tagId: scan.tag_id,
      entries: after.entryCount,
      inside: after.insideSince !== null,
    };
  },
});
