import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runServerCli } from '../../test/fixtures/server-cli.ts';
import { resolveServerDataDir } from '../data-folder.ts';

/** Bad arguments: one line naming the flag, exit code 2, and no store is opened (the folder may not even exist). */
const nowhere = ['--data-dir', join(mkdtempSync(join(tmpdir(), 'box-office-server-args-')), 'not-there')];
const event = { '--name': 'Harbour Days', '--starts': '2026-08-01T10:00:00+02:00', '--ends': '2026-08-02T23:00:00+02:00', '--time-zone': 'Europe/Amsterdam', '--currency': 'EUR' };
const eventArgs = (changes: Record<string, string | null>) =>
  Object.entries({ ...event, ...changes }).flatMap(([flag, value]) => (value === null ? [] : [flag, value]));

async function refusal(args: string[]): Promise<string> {
  const result = await runServerCli([...args, ...nowhere]);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  return result.stderr.replace(/ \(usage: .*\)\n$/, '');
}

describe('box-office-server arguments', () => {
  it('name the flag that is missing or wrong', async () => {
    expect(await refusal(['enrol-code'])).toBe('box-office-server: --role is required');
    expect(await refusal(['enrol-code', '--role', 'steward'])).toBe('box-office-server: --role: Role must be gate, box_office, supervisor or admin');
    expect(await refusal(['enrol-code', '--role', 'gate', '--expires', '2 weeks'])).toBe(
      'box-office-server: --expires: Expires must be a duration in minutes, hours or days, such as 30m, 24h or 7d',
    );
    expect(await refusal(['enrol-code', '--role', 'gate', '--expires', '60d'])).toBe('box-office-server: --expires: Expires must be 30 days at most: make a new code when it runs out');
    expect(await refusal(['operators', 'add', '--name', 'Ada', '--role', 'admin', '--pin', '12ab'])).toBe('box-office-server: --pin: PIN must be 4 to 12 digits');
    expect(await refusal(['events', 'create', ...eventArgs({ '--name': null })])).toBe('box-office-server: --name is required');
    expect(await refusal(['events', 'create', ...eventArgs({ '--starts': '2026-08-01T10:00' })])).toBe(
      'box-office-server: --starts: Starts at must be an ISO-8601 time with its offset, such as 2026-07-10T18:00:00+02:00',
    );
    expect(await refusal(['events', 'create', ...eventArgs({ '--ends': '2026-08-01T09:00:00+02:00' })])).toBe('box-office-server: --ends: Ends at must be after the start');
    expect(await refusal(['events', 'create', ...eventArgs({ '--time-zone': '+02:00' })])).toBe('box-office-server: --time-zone: Time zone must be an IANA name such as Europe/Amsterdam or UTC');
    expect(await refusal(['events', 'create', ...eventArgs({ '--currency': 'EURO' })])).toBe('box-office-server: --currency: Currency must be an ISO-4217 code such as EUR');
    expect(await refusal(['start', '--port', '70000'])).toBe('box-office-server: --port: must be a port number from 0 (any free port) to 65535');
    expect(await refusal(['start', '--log-level', 'loud'])).toBe('box-office-server: --log-level: must be one of fatal, error, warn, info, debug, trace, silent');
    expect(await refusal(['status', '--database', 'mysql://somewhere/db'])).toBe(
      'box-office-server: --database must be a PostgreSQL URL such as postgres://user:password@host:5432/box_office',
    );
  });

  it('refuse unknown commands, unknown options and extra arguments', async () => {
    expect(await runServerCli(['devices'])).toEqual({ code: 2, stdout: '', stderr: "box-office-server: unknown command 'devices'; did you mean 'devices list' or 'devices revoke'?\n" });
    expect((await runServerCli(['serve'])).stderr).toBe("box-office-server: unknown command 'serve'; box-office-server help lists them\n");
    expect((await runServerCli(['--json', 'status'])).stderr).toBe("box-office-server: unknown command '--json'; the command comes first\n");
    expect(await refusal(['status', '--verbose'])).toBe("box-office-server: Unknown option '--verbose'");
    expect(await refusal(['devices', 'revoke'])).toBe('box-office-server: ID is required');
    expect(await refusal(['devices', 'revoke', 'a', 'b'])).toBe("box-office-server: unexpected argument 'b'");
  });

  it('print the usage on request', async () => {
    const all = await runServerCli(['--help']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^Usage: box-office-server COMMAND/);
    for (const command of ['start', 'enrol-code', 'devices list', 'devices revoke ID', 'operators add', 'operators list', 'events create', 'events list', 'status']) {
      expect(all.stdout).toContain(`\n  ${command}`);
    }
    expect(await runServerCli(['events', 'create', '--help'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: box-office-server events create --name NAME/) });
    expect((await runServerCli(['help', 'devices', 'revoke'])).stdout).toMatch(/^Usage: box-office-server devices revoke ID/);
    expect((await runServerCli([])).code).toBe(2);
  });

  it('find the data folder in --data-dir, BOX_OFFICE_SERVER_DATA_DIR or the OS app-data folder', () => {
    expect(resolveServerDataDir('/srv/box', { BOX_OFFICE_SERVER_DATA_DIR: '/elsewhere' })).toBe('/srv/box');
    expect(resolveServerDataDir(undefined, { BOX_OFFICE_SERVER_DATA_DIR: '/elsewhere' })).toBe('/elsewhere');
    expect(resolveServerDataDir(undefined, {}, 'linux', '/home/ada')).toBe('/home/ada/.local/share/box-office-server');
    expect(resolveServerDataDir(undefined, { XDG_DATA_HOME: '/data' }, 'linux', '/home/ada')).toBe('/data/box-office-server');
    expect(resolveServerDataDir(undefined, {}, 'darwin', '/Users/ada')).toBe('/Users/ada/Library/Application Support/box-office-server');
  });
});
