// A terminal process for the pull crash tests (test/crash/pull.crash.test.ts), run by Node directly.
import { writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { AnyCommand } from '../../core/commands/command.ts';
import { commandRegistry } from '../../core/commands/registry.ts';
import { openDatabase } from '../../db/connection.ts';
import { Store } from '../../db/store.ts';
import { storeFile } from '../../host/data-dir.ts';
import { enrolledClient } from '../../sync/terminal/enrolment.ts';
import { pullUntilCaughtUp } from '../../sync/terminal/pull.ts';
import type { HoldLine, PageLine } from './processes.ts';

/**
 * A terminal's pull, page by page, with the real pull and rebase (sync/terminal/pull.ts) on the
 * data folder's store, and no push: the commands waiting stay pending, so every page undoes them
 * and runs them again. It prints one JSON line per page it committed (a `PageLine`), and with
 * `--hold-inside N:M` or `--hold-between N` it stops at that point and prints a `HoldLine`, until
 * the test kills it (test/crash/processes.ts starts it):
 *
 * - inside page N, in the page's transaction, once M of the commands waiting ran again on top of
 *   the page's rows (undone, upserted, acknowledged, re-run in part; nothing committed);
 * - between pages N and N+1: page N committed, the next not asked for.
 *
 * Held, the process blocks its only thread (Atomics.wait), so it cannot move on before the kill:
 * where it dies is known, whatever the machine's speed. A point it never reaches (fewer pages, or
 * fewer commands to run again) is an error, exit 1, so the test never passes without its kill.
 */

const pageNumber = z.coerce.number().int().positive();
const argsSchema = z.object({
  'data-dir': z.string({ error: '--data-dir is required' }).min(1, '--data-dir is required'),
  limit: pageNumber.optional(),
  'hold-inside': z
    .string()
    .regex(/^\d+:\d+$/, '--hold-inside is PAGE:COMMANDS, such as 8:10')
    .transform((text) => text.split(':').map(Number) as [number, number])
    .optional(),
  'hold-between': pageNumber.optional(),
});

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, limit: { type: 'string' }, 'hold-inside': { type: 'string' }, 'hold-between': { type: 'string' } } });
const args = argsSchema.parse(values);
const [insidePage, runBeforeHold] = args['hold-inside'] ?? [null, 0];
const betweenPage = args['hold-between'] ?? null;

const say = (line: object) => writeSync(1, `${JSON.stringify(line)}\n`);

function holdUntilKilled(line: HoldLine): never {
  say(line);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  throw new Error('Atomics.wait returned: nothing wakes it');
}

let page = 0;
let runInPage = 0;

/** The command registry, counting the commands the page's rebase runs again: it asks for each one's body. */
class HoldingRegistry extends Map<string, AnyCommand> {
  override get(key: string): AnyCommand | undefined {
    if (page === insidePage && runInPage === runBeforeHold) holdUntilKilled({ holding: 'inside', page });
    runInPage += 1;
    return super.get(key);
  }
}

const registry = new HoldingRegistry(commandRegistry);
const store = new Store(openDatabase(storeFile(args['data-dir'])));
const client = enrolledClient(store, args['data-dir']);
for (;;) {
  if (betweenPage !== null && page === betweenPage) holdUntilKilled({ holding: 'between', page });
  page += 1;
  runInPage = 0;
  const summary = await pullUntilCaughtUp(store, client, { maxPages: 1, registry, ...(args.limit ? { limit: args.limit } : {}) });
  if (page === insidePage) throw new Error(`Page ${page} ran ${runInPage} commands again, not more than ${runBeforeHold}: it was never held`);
  say({ page, cursors: summary.cursors, hasMore: !summary.caughtUp, settledSeq: summary.settledSeq, rerun: summary.rerun } satisfies PageLine);
  if (summary.caughtUp) break;
}
if (insidePage !== null || betweenPage !== null) throw new Error(`Caught up after ${page} pages: the page to hold at was never reached`);
store.close();
