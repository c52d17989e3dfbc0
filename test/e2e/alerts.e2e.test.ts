// End-to-end: conflict alerts acknowledged on the Sync screen (issue 11 item 3) in Debian's
// Chromium. A real `box-office-server start` on PGlite and two terminals enrolled through the CLI
// (the desk, which the browser then drives through `box-office serve`, and a box office). With the
// server down, both admit the same ticket and activate a wristband each for the same guest; once
// it is back and both synced, the double admission and the replaced wristband are alerts on both.
// The desk acknowledges one with the keyboard and sees who and when; the box office receives that
// acknowledgement, acknowledges the other from its CLI, and the desk's screen shows it by itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertList } from '../../core/alerts/alerts.contract.ts';
import { harbourDaysAdmin, harbourDaysServer, writeHarbourDaysGuests } from '../fixtures/harbour-days.ts';
import { killServerProcesses, startServerProcess, type ServerProcess } from '../fixtures/server-cli.ts';
import { runCliOk, startServe, type RunningServer } from './box-office-server.ts';
import { launchBrowser, saveScreenshot } from './browser.ts';
import type { PageGlobals } from './page-globals.ts';
import { signIn } from './sign-in.ts';

const viewport = { width: 1400, height: 900 };
const poll = <T>(read: () => Promise<T> | T, timeout = 30_000) => expect.poll(read, { timeout });

let temp: string;
let serverDir: string;
const folders = { desk: '', boxOffice: '' };
let server: ServerProcess | undefined;
let web: RunningServer | undefined;
let browser: Browser | undefined;
let page: Page;

const cli = (terminal: keyof typeof folders, args: string[]) => runCliOk([...args, '--data-dir', folders[terminal]]);
const alertsOn = async (terminal: keyof typeof folders) => JSON.parse(await cli(terminal, ['alerts', '--all', '--json'])) as AlertList;

const panel = () => page.getByRole('region', { name: /^Conflicts \(/ });
const rowOf = (kindLabel: string) => panel().getByRole('row').filter({ hasText: kindLabel });
const focusedText = () => page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.textContent ?? null);

describe('conflict alerts acknowledged on the Sync screen, reaching the server and another terminal', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'box-office-alerts-e2e-'));
    serverDir = join(temp, 'server');
    folders.desk = join(temp, 'desk');
    folders.boxOffice = join(temp, 'box-office');
    const harbourDays = await harbourDaysServer(serverDir);
    server = harbourDays.server;
    const { port } = server;
    await cli('desk', await harbourDays.enrolArgs('admin', 'desk'));
    await cli('desk', ['import', 'customers', writeHarbourDaysGuests(join(temp, 'guests.csv')), '--create-types', '--operator', 'Ada']);
    await cli('desk', ['sync', 'now']);
    await cli('boxOffice', await harbourDays.enrolArgs('box_office', 'box office'));

    // The server goes down: both admit Noor's ticket, each activates a wristband for Mila.
    await server.stop();
    await cli('desk', ['checkin', 'HD-1003', '--operator', 'Ada']);
    await cli('boxOffice', ['checkin', 'HD-1003', '--operator', 'Ada']);
    await cli('desk', ['tag', 'activate', '--ticket', 'HD-1001', '--uid', '04A1B2C3D4E5F6', '--operator', 'Ada']);
    await cli('boxOffice', ['tag', 'activate', '--ticket', 'HD-1002', '--uid', '04F6E5D4C3B2A1', '--operator', 'Ada']);
    server = await startServerProcess(['--data-dir', serverDir, '--port', String(port)]);
    for (const terminal of ['desk', 'boxOffice', 'desk'] as const) await cli(terminal, ['sync', 'now']);

    web = await startServe({ dataDir: folders.desk });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport })).newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await server?.stop();
    killServerProcesses();
    if (!process.env.KEEP_E2E) rmSync(temp, { recursive: true, force: true });
  });

  it('lists both conflicts to acknowledge; one is acknowledged with the keyboard and shows who and when', async () => {
    expect((await alertsOn('boxOffice')).unacknowledged).toBe(2);
    await page.goto(`${web!.url}#/customers`);
    await signIn(page, harbourDaysAdmin.name, harbourDaysAdmin.pin);
    // The indicator is the way to the Sync screen from every screen: Tab to it, Enter.
    await page.getByTestId('sync-indicator').getByRole('link').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Sync', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Conflicts (2 to acknowledge)' }).waitFor();
    expect(await rowOf('Double admission').textContent()).toContain('HD-1003');
    expect(await rowOf('Wristband replaced').textContent()).toContain('04A1B2C3D4E5F6');
    await saveScreenshot(page, 'sync-alerts-to-acknowledge');

    await rowOf('Double admission').getByRole('button', { name: 'Acknowledge' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Conflicts (1 to acknowledge)' }).waitFor();
    await poll(async () => (await rowOf('Double admission').textContent()) ?? '').toMatch(/By Ada, \w.*\d{4}/);
    expect(await panel().getByRole('status').textContent()).toMatch(/^Acknowledged: Double admission/);
    // The keyboard goes on to the alert still waiting.
    expect(await focusedText()).toBe('Acknowledge');
    expect(await rowOf('Wristband replaced').getByRole('button', { name: 'Acknowledge' }).evaluate((button) => button === (globalThis as unknown as PageGlobals).document.activeElement)).toBe(true);
    await saveScreenshot(page, 'sync-alert-acknowledged');
  });

  it('reaches the server and the box office, whose own acknowledgement the screen then shows by itself', async () => {
    // The desk's sync worker pushes the acknowledgement; the box office pulls it with its next sync.
    await poll(async () => {
      await cli('boxOffice', ['sync', 'now']);
      return (await alertsOn('boxOffice')).alerts.find((alert) => alert.kind === 'double_admission');
    }).toMatchObject({ acknowledged: true, acknowledgedBy: 'Ada' });

    const replaced = (await alertsOn('boxOffice')).alerts.find((alert) => alert.kind === 'tag_replaced')!;
    expect(await cli('boxOffice', ['alerts', 'acknowledge', replaced.id, '--operator', 'Ada'])).toBe(`Acknowledged ${replaced.id} by Ada.\n`);
    await cli('boxOffice', ['sync', 'now']);
    // The server announces the new version; the desk's worker pulls it and the screen lists again.
    await page.getByRole('heading', { name: 'Conflicts (0 to acknowledge)' }).waitFor({ timeout: 30_000 });
    await poll(async () => (await rowOf('Wristband replaced').textContent()) ?? '').toMatch(/By Ada, /);
    expect(await panel().getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect(await panel().textContent()).toContain('Every conflict is acknowledged.');
    await saveScreenshot(page, 'sync-alerts-all-acknowledged');
  });
});
