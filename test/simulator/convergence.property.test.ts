import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { journalStep, journalStepCommands } from '../fixtures/journal.ts';
import { faults } from './network.ts';
import { closeWorld, convergenceFailures, heal, openWorld, runStep, type SimulationStep } from './world.ts';

/**
 * Issue 11 item 6: three terminals and a server on PGlite, random commands on shared tickets,
 * wristbands, customers and orders, imports of overlapping rows, synced through a network that loses, duplicates and delays
 * requests and cuts terminals off; clocks skewed per terminal. After the network heals and everyone
 * synced, every store must agree and no command may be lost or doubled (world.ts says what is
 * checked). A failing case is kept below as a regression (fast-check's seed and path), so it runs
 * on every CI run from then on.
 */

const terminals = 3;

const simulationStep: fc.Arbitrary<SimulationStep> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('command' as const), terminal: fc.nat(terminals - 1), step: journalStep }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('sync' as const), terminal: fc.nat(terminals - 1), fault: fc.constantFrom(...faults) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pull' as const), terminal: fc.nat(terminals - 1), fault: fc.constantFrom(...faults) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('import' as const), terminal: fc.nat(terminals - 1), rows: fc.array(fc.record({ a: fc.nat(20), b: fc.nat(20), flag: fc.boolean() }), { minLength: 1, maxLength: 3 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), terminal: fc.nat(terminals - 1), cut: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'late' as const }) },
);

const exercised = { checks: 0, checksWithPending: 0 };

async function simulate(steps: readonly SimulationStep[]): Promise<string[]> {
  const world = await openWorld(terminals);
  try {
    for (const step of steps) await runStep(world, step);
    await heal(world);
    const failures = await convergenceFailures(world);
    exercised.checks += world.stats.checks;
    exercised.checksWithPending += world.stats.checksWithPending;
    return failures.length === 0 ? [] : [...failures, 'network:', ...world.network.log];
  } finally {
    await closeWorld(world);
  }
}

/** Cases that failed once, by fast-check seed and path: they run first, every time. */
const regressions: { seed: number; path: string; why: string }[] = [];

describe('the sync simulator: three terminals and a server through a failing network', () => {
  it.each(regressions)('still converges on regression seed $seed ($why)', async ({ seed, path }) => {
    await fc.assert(
      fc.asyncProperty(fc.array(simulationStep, { minLength: 1, maxLength: 40 }), async (steps) => {
        expect(await simulate(steps)).toEqual([]);
      }),
      { seed, path, numRuns: 1, endOnFailure: true },
    );
  }, 120_000);

  it('converges after random commands, faults, partitions and skewed clocks: equal stores, every command once, ledgers and active tags sound', async () => {
    const commanded = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(simulationStep, { minLength: 10, maxLength: 40 }), async (steps) => {
        for (const step of steps) if (step.kind === 'command') commanded.add(step.step.command);
        if (steps.some((step) => step.kind === 'import')) commanded.add('import.customers');
        expect(await simulate(steps)).toEqual([]);
      }),
      // SIMULATOR_SEED and SIMULATOR_RUNS explore beyond CI's fixed cases (a failure found: keep it above).
      { seed: Number(process.env.SIMULATOR_SEED ?? 20261206), numRuns: Number(process.env.SIMULATOR_RUNS ?? 12), endOnFailure: true },
    );
    // The oracle ran after pulls, and with commands pending on top (the rebase at work), not only on idle terminals.
    expect(exercised.checksWithPending).toBeGreaterThan(0);
    // The runs reached every kind of command the terminals sell, scan and edit with.
    expect([...commanded].sort()).toEqual([...journalStepCommands, 'import.customers'].sort());
  }, 300_000);
});
