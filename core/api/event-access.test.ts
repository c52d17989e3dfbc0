import { describe, expect, it } from 'vitest';
import { expectOk } from '../../test/fixtures/commands.ts';
import { createTestCore } from '../../test/fixtures/store.ts';
import type { CoreEvent } from './pubsub.ts';

/** Events reach a session only when its operator may call the operation that shows the same data (DESIGN.md 6a). */

const progress: CoreEvent = { type: 'import.progress', jobId: 'job-1', rowsRead: 10, imported: 10, updated: 0, unchanged: 0, rejected: 0, bytesRead: 100, bytesTotal: 100, done: true };
const undone: CoreEvent = { type: 'checkin.undone', scanId: 'scan-1', undoneAt: '2026-06-01T10:00:00.000Z', ticketId: 't-1', tagId: null, entries: 0, inside: false };
const mode: CoreEvent = { type: 'station.checkinMode', mode: { active: false, gateId: null, direction: 'entry' } };

async function sessions() {
  const test = createTestCore();
  expectOk(await test.core.invoke('operators.add', { name: 'Ada', role: 'admin', pin: '1111' }));
  expectOk(await test.core.invoke('operators.add', { name: 'Stu', role: 'steward', pin: '3333' }));
  const listen = () => {
    const session = test.core.openSession();
    const seen: string[] = [];
    session.subscribe((event) => seen.push(event.type));
    return { session, seen };
  };
  return { ...test, listen };
}

describe('events by role', () => {
  it('gives an import progress to an admin only, a check-in event to any operator, the station mode to everyone', async () => {
    const { core, listen } = await sessions();
    const admin = listen();
    const steward = listen();
    const signedOut = listen();
    expectOk(await admin.session.invoke('operators.signIn', { name: 'Ada', pin: '1111' }));
    expectOk(await steward.session.invoke('operators.signIn', { name: 'Stu', pin: '3333' }));
    for (const event of [progress, undone, mode]) core.context.emit(event);
    expect(admin.seen).toEqual(['import.progress', 'checkin.undone', 'station.checkinMode']);
    expect(steward.seen).toEqual(['checkin.undone', 'station.checkinMode']);
    expect(signedOut.seen).toEqual(['station.checkinMode']);
  });

  it('follows the session as it signs in and out', async () => {
    const { core, listen } = await sessions();
    const window = listen();
    core.context.emit(undone);
    expectOk(await window.session.invoke('operators.signIn', { name: 'Stu', pin: '3333' }));
    core.context.emit(undone);
    expectOk(await window.session.invoke('operators.signOut', {}));
    core.context.emit(undone);
    expect(window.seen).toEqual(['checkin.undone']);
  });
});
