// End-to-end: operators and roles (issue 9, item 7). `box-office serve` on a seeded data folder
// with an admin and a steward: the sign-in screen (keyboard only), a wrong PIN, a steward who sees
// only check-in, signing out, an admin who sees every screen; and on a new data folder, the first
// admin created from the app.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.ts';
import { storeFile } from '../../host/data-dir.ts';
import { runCliOk, startServe, type RunningServer } from './box-office-server.ts';
import { launchBrowser, saveScreenshot } from './browser.ts';
import { signIn } from './sign-in.ts';

const viewport = { width: 1280, height: 800 };
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

let temp: string;
let browser: Browser | undefined;

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'box-office-operators-e2e-'));
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(temp, { recursive: true, force: true });
});

let folders = 0;

/** For one describe block: `box-office serve` on the data folder `prepare` fills, and a page. */
function servedFor(prepare: (dataDir: string) => Promise<void>): () => { server: RunningServer; page: Page } {
  let server: RunningServer | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    const dataDir = join(temp, `data-${(folders += 1)}`);
    await prepare(dataDir);
    server = await startServe({ dataDir });
    page = await browser!.newPage({ viewport });
  }, 90_000);
  afterAll(async () => {
    await page?.close();
    await server?.stop();
  });
  return () => ({ server: server!, page: page! });
}

const navLinks = (page: Page) => page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();

describe('signing in on a terminal with operators', { timeout: 90_000 }, () => {
  const opened = servedFor(async (dataDir) => {
    await runCliOk(['seed', '--data-dir', dataDir, '--customers', '50', '--tickets', '60', '--tags', '20', '--seed', '3']);
    await runCliOk(['operators', 'add', '--name', 'Ada Admin', '--role', 'admin', '--pin', '1111', '--data-dir', dataDir]);
    await runCliOk(['operators', 'add', '--name', 'Stu Steward', '--role', 'steward', '--pin', '3333', '--data-dir', dataDir]);
  });

  it('shows only the sign-in screen, and says a wrong PIN is wrong without saying which part', async () => {
    const { server, page } = opened();
    await page.goto(`${server.url}#/customers`);
    await signIn(page, 'Stu Steward', '9999');
    await page.getByRole('alert').filter({ hasText: 'Wrong name or PIN' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    expect(await page.getByLabel('PIN').inputValue()).toBe('');
    await saveScreenshot(page, 'operators-sign-in-wrong-pin');
  });

  it('signs a steward in: their name always visible, only check-in offered, other screens out of reach', async () => {
    const { server, page } = opened();
    await page.getByLabel('Name').fill('');
    await signIn(page, 'stu steward', '3333');
    await page.getByRole('heading', { name: 'Check-in', level: 1 }).waitFor();
    expect(await page.getByLabel('Signed in as Stu Steward, steward').textContent()).toContain('Stu Steward');
    expect(await navLinks(page)).toEqual(['Check-in', 'Sync']);
    // Actions the steward role lacks are not offered: manual check-in (finds customers), new gate, undo.
    for (const name of ['Manual check-in…', 'New gate', /Undo last admission/]) expect(await page.getByRole('button', { name }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Lock station' }).count()).toBe(1);
    await saveScreenshot(page, 'operators-steward-checkin');
    await page.goto(`${server.url}#/import`);
    await poll(() => new URL(page.url()).hash).toBe('#/checkin');
  });

  it('signs out with the keyboard and lets an admin in to every screen', async () => {
    const { server, page } = opened();
    await page.getByRole('button', { name: 'Sign out' }).focus();
    await page.keyboard.press('Enter');
    await signIn(page, 'Ada Admin', '1111');
    await page.getByLabel('Signed in as Ada Admin, admin').waitFor();
    expect(await navLinks(page)).toEqual(['Customers', 'Import', 'Check-in', 'Wristband activation', 'Devices', 'Operators', 'Sync']);
    await page.goto(`${server.url}#/customers`);
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    await saveScreenshot(page, 'operators-admin-customers');
    await page.goto(`${server.url}#/checkin`);
    await page.getByRole('button', { name: 'New gate' }).waitFor();
    expect(await page.getByRole('button', { name: /Undo last admission/ }).count()).toBe(1);
  });
});

describe('first run: the app asks for the first admin', { timeout: 90_000 }, () => {
  const opened = servedFor(async (dataDir) => {
    // What `npm run start:real` makes on its first run: an empty store.
    mkdirSync(dataDir);
    openDatabase(storeFile(dataDir)).close();
  });

  it('creates the first admin from the notice, keyboard only, and signs them in', async () => {
    const { server, page } = opened();
    await page.goto(`${server.url}#/customers`);
    const notice = page.getByRole('note').filter({ hasText: 'No operators yet' });
    await notice.waitFor();
    await saveScreenshot(page, 'operators-first-run-notice');
    await notice.getByRole('button', { name: 'Create the first admin' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Create the first admin' });
    await dialog.waitFor();
    await page.keyboard.type('Fran First');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2580');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2580');
    await saveScreenshot(page, 'operators-first-admin-dialog');
    await page.keyboard.press('Enter');
    await page.getByLabel('Signed in as Fran First, admin').waitFor();
    expect(await page.getByRole('note').filter({ hasText: 'No operators yet' }).count()).toBe(0);
  });
});
