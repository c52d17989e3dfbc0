// End-to-end: the consistency check on the Sync screen in Debian's Chromium. A real
// `box-office-server start` on PGlite holds Harbour Days; the desk is enrolled through the CLI, its
// guests imported and synced, and the browser drives it through `box-office serve`. The check finds
// every table as the server holds it; a ticket then edited behind the app's back (a second SQLite
// connection to the store file) makes the check name the tickets table with its reason; a box
// office operator sees that but may not reload; the admin reloads it, and the check agrees again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFile } from '../../host/data-dir.ts';
import { harbourDaysAdmin, harbourDaysServer, writeHarbourDaysGuests } from '../fixtures/harbour-days.ts';
import { killServerProcesses, serverCliJson, type ServerProcess } from '../fixtures/server-cli.ts';
import { runCliOk, startServe, type RunningServer } from './box-office-server.ts';
import { launchBrowser, saveScreenshot } from './browser.ts';
import type { PageGlobals } from './page-globals.ts';
import { signIn } from './sign-in.ts';

const viewport = { width: 1400, height: 900 };
const poll = <T>(read: () => Promise<T> | T, timeout = 30_000) => expect.poll(read, { timeout });
const boxOfficeOperator = { name: 'Bo', pin: '5678' };

let temp: string;
let desk: string;
let server: ServerProcess | undefined;
let web: RunningServer | undefined;
let browser: Browser | undefined;
let page: Page;

const checkPanel = (on: Page = page) => on.getByRole('region', { name: 'Consistency check' });
const checkResult = async (on: Page = page) => ((await checkPanel(on).getByRole('status').textContent()) ?? '').trim();
const focusedText = () => page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.textContent ?? null);

/** The first ticket's redeemed flag in the desk's store, read (or flipped) through a connection of its own. */
function firstTicketRedeemed(flip = false): number {
  const db = new Database(storeFile(desk));
  try {
    if (flip) db.exec('UPDATE tickets SET redeemed = 1 - redeemed WHERE rowid = (SELECT min(rowid) FROM tickets)');
    return (db.prepare('SELECT redeemed FROM tickets WHERE rowid = (SELECT min(rowid) FROM tickets)').get() as { redeemed: number }).redeemed;
  } finally {
    db.close();
  }
}

async function openSyncScreen(on: Page, operator: { name: string; pin: string }): Promise<void> {
  await on.goto(`${web!.url}#/customers`);
  await signIn(on, operator.name, operator.pin);
  // The indicator is the way to the Sync screen from every screen: Tab to it, Enter.
  await on.getByTestId('sync-indicator').getByRole('link').focus();
  await on.keyboard.press('Enter');
  await on.getByRole('heading', { name: 'Sync', level: 1 }).waitFor();
}

/** Presses a button of the check panel with the keyboard (focused, Enter). */
async function press(name: string, on: Page = page): Promise<void> {
  const button = checkPanel(on).getByRole('button', { name });
  await poll(() => button.isEnabled()).toBe(true);
  await button.focus();
  await on.keyboard.press('Enter');
}

describe('the consistency check on the Sync screen against a real server', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'box-office-sync-check-e2e-'));
    const serverDir = join(temp, 'server');
    desk = join(temp, 'desk');
    const harbourDays = await harbourDaysServer(serverDir);
    server = harbourDays.server;
    await serverCliJson(['operators', 'add', '--name', boxOfficeOperator.name, '--role', 'box_office', '--pin', boxOfficeOperator.pin, '--data-dir', serverDir]);
    await runCliOk([...(await harbourDays.enrolArgs('admin', 'desk')), '--data-dir', desk]);
    await runCliOk(['import', 'customers', writeHarbourDaysGuests(join(temp, 'guests.csv')), '--create-types', '--operator', 'Ada', '--data-dir', desk]);
    await runCliOk(['sync', 'now', '--data-dir', desk]);
    web = await startServe({ dataDir: desk });
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

  it('finds every table as the server holds it', async () => {
    await openSyncScreen(page, harbourDaysAdmin);
    await press('Check with the server');
    await poll(() => checkResult()).toMatch(/^Every table is as the server holds it \(\d+ tables, [\d,]+ rows\)\.$/);
    expect(await checkPanel().getByRole('button', { name: 'Reload those tables from the server' }).count()).toBe(0);
  });

  it('names the tickets table with its reason once a ticket was edited behind the app’s back', async () => {
    const before = firstTicketRedeemed();
    expect(firstTicketRedeemed(true)).toBe(1 - before);
    await press('Check with the server');
    await poll(() => checkResult()).toMatch(/^1 table differs from the server’s \(\d+ tables, [\d,]+ rows checked\):/);
    expect(await checkPanel().getByRole('listitem').allTextContents()).toEqual(['tickets: the same number of rows, with different contents']);
    await checkPanel().getByRole('button', { name: 'Reload those tables from the server' }).waitFor();
    await saveScreenshot(page, 'sync-check-differs');

    // A box office operator checks too, but reloading is for the roles that may enrol.
    const boxOffice = await (await browser!.newContext({ viewport })).newPage();
    await openSyncScreen(boxOffice, boxOfficeOperator);
    await press('Check with the server', boxOffice);
    await poll(() => checkResult(boxOffice)).toMatch(/^1 table differs from the server’s/);
    expect(await checkPanel(boxOffice).getByRole('button', { name: 'Reload those tables from the server' }).count()).toBe(0);
    expect(await checkPanel(boxOffice).textContent()).toContain('An admin can reload those tables from the server here.');
    await boxOffice.context().close();
  });

  it('reloads the tickets from the server, and the check then agrees again', async () => {
    const edited = firstTicketRedeemed();
    await press('Reload those tables from the server');
    await poll(() => checkResult()).toMatch(/^Reloaded tickets: 3 rows written, 0 removed\.Every table is now as the server holds it \(\d+ tables, [\d,]+ rows\)\.$/);
    expect(firstTicketRedeemed()).toBe(1 - edited);
    expect(await checkPanel().getByRole('button', { name: 'Reload those tables from the server' }).count()).toBe(0);
    // Its button gone, the keyboard is back on the check.
    expect(await focusedText()).toBe('Check with the server');
    await saveScreenshot(page, 'sync-check-repaired');

    await page.keyboard.press('Enter');
    await poll(() => checkResult()).toMatch(/^Every table is as the server holds it \(/);
  });
});
