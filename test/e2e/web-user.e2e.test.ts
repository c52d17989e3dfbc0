// End-to-end: the customer card's "Connect web user" dialog in Debian's Chromium against
// `box-office serve`: the search ignores case and accents like the customers search box, and each
// web user already connected says to whom before staff could press "Set web user".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldForSearch } from '../../core/customers/search-terms.ts';
import { storeFile } from '../../host/data-dir.ts';
import { runCliOk, startServe, type RunningServer } from './box-office-server.ts';
import { launchBrowser, saveScreenshot } from './browser.ts';

interface Person {
  id: string;
  firstName: string;
  lastName: string;
}

let temp: string;
let server: RunningServer | undefined;
let browser: Browser | undefined;
let page: Page;
/** A web user whose name has an accent, and the customer it is connected to. */
let holder: Person & { webUserEmail: string; webUserFirstName: string; webUserLastName: string };
/** A named customer without a web user: the card the dialog is opened on. */
let customer: Person;

const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000 });

function pickFromStore(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    holder = db
      .prepare(
        `SELECT c.id, c.first_name AS firstName, c.last_name AS lastName, w.email AS webUserEmail,
                w.first_name AS webUserFirstName, w.last_name AS webUserLastName
         FROM web_users w JOIN customers c ON c.web_user_id = w.id
         WHERE c.deleted_at IS NULL AND c.first_name IS NOT NULL AND (w.first_name || w.last_name) GLOB '*[^ -~]*'
         ORDER BY w.id LIMIT 1`,
      )
      .get() as typeof holder;
    customer = db
      .prepare(
        `SELECT id, first_name AS firstName, last_name AS lastName FROM customers
         WHERE web_user_id IS NULL AND deleted_at IS NULL AND first_name IS NOT NULL AND last_name IS NOT NULL ORDER BY id LIMIT 1`,
      )
      .get() as Person;
    if (!holder || !customer) throw new Error('The seeded store has no accented web user or no customer without one: change the seed');
  } finally {
    db.close();
  }
}

describe('Connect web user dialog in Chromium', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'box-office-e2e-web-user-'));
    const dataDir = join(temp, 'data');
    await runCliOk(['seed', '--data-dir', dataDir, '--customers', '600', '--tickets', '300', '--tags', '100', '--seed', '3']);
    pickFromStore(storeFile(dataDir));
    server = await startServe({ dataDir });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(temp, { recursive: true, force: true });
  });

  it('finds a web user typed without accents in another case, and shows whose it already is', async () => {
    if (!server) throw new Error('server not started');
    await page.goto(`${server.url}#/customers/${encodeURIComponent(customer.id)}`);
    const card = page.getByRole('article', { name: `Customer card: ${customer.firstName} ${customer.lastName}` });
    await card.getByRole('heading', { level: 1 }).waitFor();

    // By keyboard: focus the button and press Enter.
    await card.getByRole('button', { name: 'Connect web user' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Connect web user' });
    await dialog.waitFor();
    const typed = `${foldForSearch(holder.webUserFirstName ?? '')} ${foldForSearch(holder.webUserLastName ?? '')}`.toUpperCase().trim();
    // The native dialog puts the focus on its Close button (it ignores React's autoFocus), so the
    // search box is focused here as a Tab would; typing a space on Close would close the dialog.
    await dialog.getByRole('searchbox', { name: 'Search web users' }).focus();
    await page.keyboard.type(typed, { delay: 20 });

    const choice = dialog.getByRole('radio', { name: new RegExp(holder.webUserEmail.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
    await choice.waitFor();
    const row = dialog.locator('label.choice').filter({ hasText: holder.webUserEmail });
    await poll(() => row.textContent()).toContain(`Already connected to ${holder.firstName} ${holder.lastName}`);
    expect(await choice.isDisabled()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Set web user' }).isDisabled()).toBe(true);
    await saveScreenshot(page, 'connect-web-user-already-connected');

    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });
});
