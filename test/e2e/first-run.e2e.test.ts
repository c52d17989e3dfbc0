// End-to-end: what a newcomer meets (issue 8). `npm start` opens the demo festival in its own data
// folder, placed on today, marked "Demo", and a gate admits its tickets presented on the
// simulated-reader panel of the check-in screen; `npm run start:real` opens the real data folder,
// which stays empty and greets with the first-run screen. Both run host/start.ts as npm does after
// the build, as a web host, with the real clock.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFile } from '../../host/data-dir.ts';
import { startApp, type RunningServer } from './box-office-server.ts';
import { launchBrowser, saveScreenshot } from './browser.ts';

const viewport = { width: 1280, height: 900 };
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

let temp: string;
let browser: Browser | undefined;

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'box-office-first-run-e2e-'));
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(temp, { recursive: true, force: true });
});

interface OpenApp {
  app: RunningServer & { output(): string };
  page: Page;
}

/** Starts the app as `npm start` (demo) or `npm run start:real` for one describe block, with a page. */
function openAppFor(folders: () => { dataDir: string; demoDataDir: string }, demo: boolean): () => OpenApp {
  let opened: Partial<OpenApp> = {};
  beforeAll(async () => {
    const app = await startApp({ ...folders(), demo });
    opened = { app, page: await browser!.newPage({ viewport }) };
  }, 90_000);
  afterAll(async () => {
    await opened.page?.close();
    await opened.app?.stop();
  });
  return () => opened as OpenApp;
}

describe('npm run start:real on an empty data folder', { timeout: 60_000 }, () => {
  const dataDir = () => join(temp, 'real');
  const opened = openAppFor(() => ({ dataDir: dataDir(), demoDataDir: join(temp, 'unused-demo') }), false);

  it('shows the first-run screen with what to do next, and no demo', async () => {
    const { app, page } = opened();
    await page.goto(`${app.url}#/customers`);
    await page.getByRole('heading', { name: 'Welcome to Box Office', level: 1 }).waitFor();
    expect(await page.getByRole('link', { name: 'Import customers' }).getAttribute('href')).toBe('#/import');
    expect(await page.getByRole('main').textContent()).toContain('npm start');
    expect(await page.locator('.demo-badge').count()).toBe(0);
    await saveScreenshot(page, 'first-run');
    // Nothing was written into the real folder: no event, no customer.
    const db = new Database(storeFile(dataDir()), { readonly: true });
    try {
      expect(db.prepare('SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM customers)').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
    expect(existsSync(join(temp, 'unused-demo'))).toBe(false);
  });

  it('leads on to the import screen', async () => {
    const { page } = opened();
    await page.getByRole('link', { name: 'Import customers' }).click();
    await page.getByRole('heading', { name: 'Import customers', level: 1 }).waitFor();
  });

  it('tells someone with a wrong token to open the address npm start printed', async () => {
    const { app } = opened();
    const stale = await browser!.newPage({ viewport });
    try {
      await stale.goto(`http://127.0.0.1:${app.port}/?token=not-the-token#/customers`);
      const status = stale.getByRole('status', { name: 'Connection status' });
      await poll(() => status.textContent()).toContain('npm start');
      await saveScreenshot(stale, 'wrong-token');
    } finally {
      await stale.close();
    }
  });
});

describe('npm start: the demo', { timeout: 90_000 }, () => {
  const realDir = () => join(temp, 'real-untouched');
  const opened = openAppFor(() => ({ dataDir: realDir(), demoDataDir: join(temp, 'Box Office Demo') }), true);

  it('seeds the demo in its own folder, on today, and leaves the real folder alone', () => {
    const { app } = opened();
    const today = new Date();
    const yesterday = new Date(today.getTime() - 86_400_000).toISOString().slice(0, 10);
    expect(app.output()).toContain(`Demo: a festival with 2,000 synthetic customers, on today (first day ${yesterday})`);
    expect(app.output()).toContain('npm run start:real');
    expect(existsSync(realDir())).toBe(false);
  });

  it('marks every screen as the demo', async () => {
    const { app, page } = opened();
    await page.goto(`${app.url}#/customers`);
    await page.getByRole('status').filter({ hasText: '2,000 customers' }).waitFor();
    await page.locator('.demo-badge').filter({ hasText: 'Demo' }).waitFor();
    await saveScreenshot(page, 'demo-customers');
  });

  it('admits demo tickets and wristbands presented on the simulated-reader panel of the check-in screen', async () => {
    const { page } = opened();
    await page.getByRole('link', { name: 'Check-in' }).click();
    await page.getByRole('heading', { name: 'Check-in', level: 1 }).waitFor();
    const gate = page.getByLabel('Gate', { exact: true });
    await poll(() => gate.inputValue()).not.toBe('');
    await gate.selectOption({ label: 'Main entrance' });
    await page.locator('.demo-badge').waitFor();

    // Alt+R from the scan field opens the panel; its heading takes the focus.
    await page.keyboard.press('Alt+R');
    const panel = page.getByRole('complementary', { name: 'Simulated reader' });
    await panel.waitFor();
    expect(await page.getByRole('button', { name: 'Simulated reader (Alt+R)' }).getAttribute('aria-expanded')).toBe('true');
    const codes = panel.getByRole('list', { name: 'Demo tickets and wristbands' }).getByRole('listitem');
    await poll(() => codes.count()).toBe(7);

    const verdict = page.getByRole('status', { name: 'Verdict' });
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // Each demo code says whose it is and what the gate should answer; the gate agrees.
    for (let index = 0; index < 7; index++) {
      const item = codes.nth(index);
      const [, holder = '', expectation] = ((await item.locator('.small-text').textContent()) ?? '').split(' · ');
      await item.getByRole('button').click();
      const tone = expectation === 'should be admitted' ? 'admit' : 'reject';
      await poll(async () => `${await verdict.getAttribute('data-tone')} ${await verdict.textContent()}`).toMatch(new RegExp(`^${tone} .*${escape(holder)}`));
      if (index === 0) await saveScreenshot(page, 'checkin-simulated-reader-admit');
    }
    await saveScreenshot(page, 'checkin-simulated-reader-panel');

    // Escape closes the panel and gives the focus back to its button.
    await panel.getByLabel('Ticket reference or tag UID').focus();
    await page.keyboard.press('Escape');
    await poll(() => panel.count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }).document.activeElement?.getAttribute('aria-label'))).toBe(
      'Simulated reader (Alt+R)',
    );
  });
});
