import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/connection.ts';
import { Store } from '../../../db/store.ts';
import { insertAlert } from '../../../test/fixtures/alerts.ts';
import { runCli as run } from '../../../test/fixtures/cli.ts';
import { storeFile } from '../../data-dir.ts';

/** Two alerts of the seeded festival, as conflict rules would have raised them: the older one first. */
function raiseAlerts(dataDir: string): [string, string] {
  const store = new Store(openDatabase(storeFile(dataDir)));
  try {
    const { id: eventId } = store.db.prepare('SELECT id FROM events LIMIT 1').get() as { id: string };
    return [
      insertAlert(store, { eventId, kind: 'tag_replaced', message: 'Wristbands 04A1 and 04B2 were activated for one customer on two terminals at once', createdAt: '2026-07-11T09:00:00.000Z' }),
      insertAlert(store, { eventId, message: 'Ticket T-7 was admitted twice', createdAt: '2026-07-11T10:00:00.000Z' }),
    ];
  } finally {
    store.close();
  }
}

describe('box-office alerts', () => {
  it('lists the alerts waiting, acknowledges them as the operator named, and lists them with who and when', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'box-office-alerts-cli-'));
    expect((await run(['seed', '--data-dir', dataDir, '--customers', '10'])).code).toBe(0);
    expect((await run(['alerts', '--data-dir', dataDir])).stdout).toBe('No conflict alert waits for an acknowledgement.\n');
    const [replaced, admitted] = raiseAlerts(dataDir);
    expect((await run(['operators', 'add', '--name', 'Ada', '--role', 'box_office', '--pin', '2468', '--data-dir', dataDir])).code).toBe(0);
    expect((await run(['operators', 'add', '--name', 'Stu', '--role', 'steward', '--pin', '1357', '--data-dir', dataDir])).code).toBe(0);

    const listed = await run(['alerts', '--data-dir', dataDir]);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.split('\n');
    expect(lines[0]).toMatch(/^Alert id +When \(UTC\) +Conflict +Acknowledged +What happened$/);
    expect(lines[1]).toMatch(new RegExp(`^${admitted} +2026-07-11 10:00 +Double admission +no +Ticket T-7 was admitted twice$`));
    expect(lines[2]).toContain(replaced);
    expect(lines[3]).toBe('2 alerts to acknowledge (box-office alerts acknowledge ID).');

    expect(await run(['alerts', 'acknowledge', admitted, '--operator', 'Stu', '--data-dir', dataDir])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'box-office: Not allowed for the steward role: ask a box office or an admin\n',
    });
    expect(await run(['alerts', 'acknowledge', admitted, 'no-such-alert', '--operator', 'Ada', '--data-dir', dataDir])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'box-office: Alert no-such-alert is not on this terminal: list the alerts again\n',
    });
    expect((await run(['alerts', 'acknowledge', '--data-dir', dataDir])).code).toBe(2);

    expect(await run(['alerts', 'acknowledge', admitted, '--operator', 'Ada', '--data-dir', dataDir])).toEqual({ code: 0, stdout: `Acknowledged ${admitted} by Ada.\n`, stderr: '' });
    const again = await run(['alerts', 'acknowledge', admitted, '--operator', 'ada', '--data-dir', dataDir]);
    expect(again.stdout).toMatch(new RegExp(`^${admitted} was acknowledged already by Ada at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC: kept as it was.\\n$`));

    const waiting = JSON.parse((await run(['alerts', '--json', '--data-dir', dataDir])).stdout) as { alerts: { id: string }[]; total: number; unacknowledged: number };
    expect(waiting).toMatchObject({ total: 1, unacknowledged: 1, alerts: [{ id: replaced }] });
    const all = await run(['alerts', '--all', '--data-dir', dataDir]);
    expect(all.stdout.split('\n')[2]).toMatch(new RegExp(`^${admitted} +2026-07-11 10:00 +Double admission +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d by Ada +Ticket T-7 was admitted twice$`));
    const acknowledged = JSON.parse((await run(['alerts', 'acknowledge', replaced, '--json', '--data-dir', dataDir])).stdout) as { alerts: unknown[] };
    // Without --operator, the terminal's local administrator acts, recorded as such.
    expect(acknowledged.alerts).toEqual([{ alertId: replaced, acknowledgedAt: expect.any(String), acknowledgedBy: 'cli', byThisCall: true }]);
    expect((await run(['alerts', '--data-dir', dataDir])).stdout).toBe('No conflict alert waits for an acknowledgement.\n');
  });
});
