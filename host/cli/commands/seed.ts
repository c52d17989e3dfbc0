import { z } from 'zod';
import { seedDefaults, seedSyntheticEvent, type SeedProgress } from '../../seed/synthetic-event.ts';
import { maxSyntheticTags, maxSyntheticTickets } from '../../seed/credentials.ts';
import { festival, firstDayAroundToday, firstDayMidnight } from '../../seed/festival.ts';
import { cliArguments, defineCliCommand } from '../cli-command.ts';
import { progressLine } from '../progress.ts';

/** Below this many rows a seed takes well under a second: no progress line. */
const bigSeed = 20_000;

export const seedCommand = defineCliCommand({
  name: 'seed',
  usage: '[--customers N] [--tickets N] [--tags N] [--seed S] [--starts YYYY-MM-DD]',
  summary: `Fill an empty data folder with a deterministic synthetic festival whose first day is --starts (default yesterday, so it is on today; defaults ${seedDefaults.customers}/${seedDefaults.tickets}/${seedDefaults.tags}, seed ${seedDefaults.seed})`,
  options: {
    customers: { type: 'string' },
    tickets: { type: 'string' },
    tags: { type: 'string' },
    seed: { type: 'string' },
    starts: { type: 'string' },
  },
  positionals: [],
  schema: z.object({
    customers: cliArguments.wholeNumber(0, 10_000_000).default(seedDefaults.customers),
    tickets: cliArguments.wholeNumber(0, maxSyntheticTickets).default(seedDefaults.tickets),
    tags: cliArguments.wholeNumber(0, maxSyntheticTags).default(seedDefaults.tags),
    seed: cliArguments.wholeNumber(0, 2 ** 32 - 1).default(seedDefaults.seed),
    starts: z
      .string()
      .refine((text) => firstDayMidnight(text) !== undefined, `expected a date written YYYY-MM-DD, such as ${festival.referenceFirstDay}`)
      .optional(),
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
    // Without --starts the festival is on today (its second day), so its tickets admit at a gate.
    const firstDay = args.starts ?? firstDayAroundToday(host.core.context.clock.now());
    const summary = seedSyntheticEvent(host.store, { ...args, firstDay }, onProgress);
    progress.end();
    const seconds = (performance.now() - started) / 1000;
    host.logger.info({ ...args, seconds: Math.round(seconds * 10) / 10 }, 'seeded synthetic event');
    if (context.options.json) {
      context.io.stdout.write(`${JSON.stringify({ ...summary, seed: args.seed, firstDay, dataDir: host.dataDir })}\n`);
      return 0;
    }
    const n = (value: number) => value.toLocaleString('en');
    context.io.stdout.write(
      [
        `Seeded "${summary.eventName}" (event ${summary.eventId}, first day ${firstDay}) in ${host.dataDir} in ${seconds.toFixed(1)} s:`,
        `  ${n(summary.customers)} customers (${n(summary.anonymousCustomers)} anonymous), ${n(summary.tickets)} tickets (${n(summary.unassignedTickets)} unassigned), ${n(summary.tags)} tags (${n(summary.activeTags)} active)`,
        `  ${n(summary.orders)} orders with ${n(summary.orderItems)} items, ${n(summary.ledgerEntries)} ledger entries, ${n(summary.scans)} scans, ${n(summary.webUsers)} web users`,
        '',
      ].join('\n'),
    );
    return 0;
  },
});
