import { z } from 'zod';
import { seedDefaults, seedSyntheticEvent, type SeedProgress } from '../../seed/synthetic-event.ts';
import { maxSyntheticTags, maxSyntheticTickets } from '../../seed/credentials.ts';
import { cliArguments, defineCliCommand } from '../cli-command.ts';
import { progressLine } from '../progress.ts';

/** Below this many rows a seed takes well under a second: no progress line. */
const bigSeed = 20_000;

export const seedCommand = defineCliCommand({
  name: 'seed',
  usage: '[--customers N] [--tickets N] [--tags N] [--seed S]',
  summary: `Fill an empty data folder with a deterministic synthetic event (defaults ${seedDefaults.customers}/${seedDefaults.tickets}/${seedDefaults.tags}, seed ${seedDefaults.seed})`,
  options: {
    customers: { type: 'string' },
    tickets: { type: 'string' },
    tags: { type: 'string' },
    seed: { type: 'string' },
  },
  positionals: [],
  schema: z.object({
    customers: cliArguments.wholeNumber(0, 10_000_000).default(seedDefaults.customers),
    tickets: cliArguments.wholeNumber(0, maxSyntheticTickets).default(seedDefaults.tickets),
    tags: cliArguments.wholeNumber(0, maxSyntheticTags).default(seedDefaults.tags),
    seed: cliArguments.wholeNumber(0, 2 ** 32 - 1).default(seedDefaults.seed),
  }),
  async run(context, args) {
    const host = context.host();
    const progress = progressLine(context.io);
    const big = args.customers + args.tickets + args.tags >= bigSeed;
    const started = performance.now();
    const onProgress = (step: SeedProgress) => {
      if (!big) return;
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      progress.update(`seeding: ${step.phase} ${step.done.toLocaleString('en')}/${step.total.toLocaleString('en')} (${seconds} s)`);
    };
    const summary = seedSyntheticEvent(host.store, args, onProgress);
    progress.end();
    const seconds = (performance.now() - started) / 1000;
    host.logger.info({ ...args, seconds: Math.round(seconds * 10) / 10 }, 'seeded synthetic event');
    if (context.options.json) {
      context.io.stdout.write(`${JSON.stringify({ ...summary, seed: args.seed, dataDir: host.dataDir })}\n`);
      return 0;
    }
    const n = (value: number) => value.toLocaleString('en');
    context.io.stdout.write(
      [
        `Seeded "${summary.eventName}" (event ${summary.eventId}) in ${host.dataDir} in ${seconds.toFixed(1)} s:`,
        `  ${n(summary.customers)} customers (${n(summary.anonymousCustomers)} anonymous), ${n(summary.tickets)} tickets (${n(summary.unassignedTickets)} unassigned), ${n(summary.tags)} tags (${n(summary.activeTags)} active)`,
        `  ${n(summary.orders)} orders with ${n(summary.orderItems)} items, ${n(summary.ledgerEntries)} ledger entries, ${n(summary.scans)} scans, ${n(summary.webUsers)} web users`,
        '',
      ].join('\n'),
    );
    return 0;
  },
});
