// The check-in commands of the `box-office` CLI run as a shell would: `checkin CODE` and
// `tag activate`, against a data folder prepared with one event, two gates and a few tickets.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.ts';
import { Store } from '../db/store.ts';
import { storeFile } from '../host/data-dir.ts';
import { insertEvent, insertTestCustomer, insertTicket } from './fixtures/store.ts';
import { insertGate } from './fixtures/customer-reads.ts';
import { insertRuledTicketType } from './fixtures/checkin.ts';

const root = join(import.meta.dirname, '..');
const entry = join(root, 'host', 'cli', 'box-office.ts');

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [entry, ...args, '--data-dir', dataDir], { cwd: root, env: { ...process.env, BOX_OFFICE_DATA_DIR: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

let temp: string;
let dataDir: string;
let mainGate: string;

beforeAll(() => {
  temp = mkdtempSync(join(tmpdir(), 'box-office-checkin-cli-'));
  dataDir = join(temp, 'data');
  mkdirSync(dataDir);
  const store = new Store(openDatabase(storeFile(dataDir)));
  const eventId = insertEvent(store);
  mainGate = insertGate(store, { eventId, name: 'Main entrance' });
  const vip = insertGate(store, { eventId, name: 'VIP entrance' });
  const weekend = insertRuledTicketType(store, eventId, { name: 'Weekend', gateIds: [mainGate, vip] });
  const anna = insertTestCustomer(store, { first_name: 'Anna', last_name: 'Berg' });
  for (const reference of ['CLI-1', 'CLI-2']) insertTicket(store, { eventId, ticketTypeId: weekend, reference, customerId: anna });
  insertTicket(store, { eventId, ticketTypeId: weekend, reference: 'CLI-3', customerId: null });
  store.close();
});

afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('box-office checkin', () => {
  it('prints the verdict as JSON, exit 0 for admitted and for rejected', async () => {
    const first = await cli('checkin', 'CLI-1', '--gate', 'main ENTRANCE', '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      verdict: 'admitted',
      reason: 'admitted',
      message: 'Admitted: Ticket CLI-1 (Weekend)',
      ticket: { reference: 'CLI-1', ticketType: 'Weekend' },
      customer: { displayName: 'Anna Berg' },
      gate: { id: mainGate, name: 'Main entrance' },
    });
    const second = await cli('checkin', 'CLI-1', '--gate', mainGate, '--json');
    expect(second.code).toBe(0);
    const duplicate = JSON.parse(second.stdout) as { verdict: string; reason: string; firstAdmission: { gate: string } };
    expect(duplicate).toMatchObject({ verdict: 'rejected', reason: 'already_inside', firstAdmission: { gate: 'Main entrance' } });
  });

  it('prints a readable verdict without --json, exits too', async () => {
    const result = await cli('checkin', 'CLI-1', '--direction', 'exit', '--gate', 'VIP entrance');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ADMITTED {2}Exit: Ticket CLI-1 is out\n/);
    expect(result.stdout).toContain('Customer: Anna Berg');
    // Times in the event's zone, saying so; never the scan's id.
    expect(result.stdout).toMatch(/\nScanned: \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(Europe\/Amsterdam\), VIP entrance, exit\n$/);
    expect(result.stdout).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    const unknown = await cli('checkin', 'NOPE');
    expect(unknown.code).toBe(0);
    expect(unknown.stdout).toMatch(/^REJECTED {2}Unknown code/);
  });

  it('fails with one line for an unknown gate (exit 1) or a bad direction (exit 2)', async () => {
    const gate = await cli('checkin', 'CLI-2', '--gate', 'Back door');
    expect(gate.code).toBe(1);
    expect(gate.stderr.trim()).toBe('box-office: No gate Back door; gates: Main entrance, VIP entrance');
    const direction = await cli('checkin', 'CLI-2', '--direction', 'sideways');
    expect(direction.code).toBe(2);
    expect(direction.stderr).toContain('--direction');
  });
});

describe('box-office tag activate', () => {
  it('exchanges a ticket for a wristband, which then opens the gate', async () => {
    const result = await cli('tag', 'activate', '--ticket', 'CLI-3', '--uid', '04:a1:a1:a1', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ customerCreated: true, replacedTagIds: [] });
    const again = await cli('tag', 'activate', '--ticket', 'CLI-3', '--uid', '04B2B2B2');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^box-office: Ticket CLI-3 is already redeemed \(wristband 04A1A1A1\)/);
    const scan = await cli('checkin', '04a1a1a1', '--json');
    expect(JSON.parse(scan.stdout)).toMatchObject({ verdict: 'admitted', credential: 'tag', customer: { displayName: 'Anonymous customer' } });
    const text = await cli('tag', 'activate', '--ticket', 'CLI-2', '--uid', '04C3C3C3');
    expect(text.stdout).toBe('Wristband 04C3C3C3 activated for Anna Berg\nTicket CLI-2 is redeemed\n');
    const missing = await cli('tag', 'activate', '--uid', '04D4D4D4');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--ticket is required');
  });
});
