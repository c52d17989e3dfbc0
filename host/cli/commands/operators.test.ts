import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../test/fixtures/cli.ts';
import { leakedSecrets } from '../../../test/fixtures/secrets.ts';
import { openDatabase } from '../../../db/connection.ts';
import { storeFile } from '../../data-dir.ts';

const run = runCli;

describe('box-office operators and --operator', () => {
  it('adds and lists operators; --operator acts as one (audited, role checked); without it the local administrator acts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'box-office-operators-'));
    expect((await run(['seed', '--data-dir', dataDir, '--customers', '20'])).code).toBe(0);
    expect(await run(['operators', 'add', '--name', 'Ada', '--role', 'admin', '--pin', '1111', '--data-dir', dataDir])).toEqual({ code: 0, stdout: 'Added Ada (admin).\n', stderr: '' });
    expect((await run(['operators', 'add', '--name', 'Stu', '--role', 'steward', '--pin', '3333', '--data-dir', dataDir, '--operator', 'ada'])).code).toBe(0);
    const bad = await run(['operators', 'add', '--name', 'Bo', '--role', 'boss', '--pin', '4444', '--data-dir', dataDir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('box-office: Role must be steward, box_office, supervisor or admin\n');
    const list = await run(['operators', 'list', '--data-dir', dataDir, '--json']);
    expect((JSON.parse(list.stdout) as { operators: { name: string; role: string }[] }).operators.map(({ name, role }) => `${name}:${role}`)).toEqual(['Ada:admin', 'Stu:steward']);
    expect(leakedSecrets(list.stdout, ['scrypt', '1111'])).toEqual([]);

    const steward = await run(['operators', 'list', '--data-dir', dataDir, '--operator', 'Stu']);
    expect(steward).toEqual({ code: 1, stdout: '', stderr: 'box-office: Not allowed for the steward role: ask an admin\n' });
    const unknown = await run(['search', 'a', '--data-dir', dataDir, '--operator', 'Nobody']);
    expect(unknown.stderr).toBe('box-office: No operator is named Nobody (box-office operators list shows them)\n');

    const db = openDatabase(storeFile(dataDir));
    const audit = db.prepare("SELECT operator, operation FROM audit_log WHERE entity = 'operator' ORDER BY id").all();
    db.close();
    expect(audit).toEqual([
      { operator: 'cli', operation: 'operators.add@1' },
      { operator: 'Ada', operation: 'operators.add@1' },
    ]);
  });
});
