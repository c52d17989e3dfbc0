// End-to-end: the New order dialog (issue 8, items 2 and 8) in Debian's Chromium against
// `box-office serve` on a seeded data folder: what each catalog kind delivers, quantities above
// what is left, money in messages, Enter never selling, the footer in view, the confirmation and
// where focus goes after it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerCard } from '../../core/customers/customers.contract.ts';
import { storeFile } from '../../host/data-dir.ts';
import { runCliOk, startServe, type RunningServer } from './box-office-server.ts';
import { launchBrowser, saveScreenshot } from './browser.ts';
import type { PageGlobals } from './page-globals.ts';

const viewport = { width: 1280, height: 800 };
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000 });

let temp: string;
let dataDir: string;
let server: RunningServer | undefined;
let browser: Browser | undefined;
let page: Page;
let customer: { id: string; name: string };
let shirtsLeft: number;

function pickFromStore(file: string): void {
  const db = new Database(file, { readonly: true });
  try {
    const row = db
      .prepare("SELECT id, first_name || ' ' || last_name AS name FROM customers WHERE first_name IS NOT NULL AND last_name IS NOT NULL AND deleted_at IS NULL ORDER BY id LIMIT 1")
      .get() as { id: string; name: string };
    customer = row;
    const shirts = db
      .prepare(
        `SELECT c.capacity - coalesce((SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.id = i.order_id
           WHERE i.catalog_item_id = c.id AND o.deleted_at IS NULL AND o.status NOT IN ('canceled', 'expired')), 0) AS left
         FROM catalog_items c WHERE c.name = 'Festival T-shirt'`,
      )
      .get() as { left: number };
    shirtsLeft = shirts.left;
  } finally {
    db.close();
  }
}

const activeElementShortcut = () =>
  page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('aria-keyshortcuts') ?? null);

describe('New order dialog in Chromium against box-office serve', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'box-office-e2e-order-'));
    dataDir = join(temp, 'data');
    await runCliOk(['seed', '--data-dir', dataDir, '--customers', '200', '--tickets', '300', '--tags', '100', '--seed', '5']);
    pickFromStore(storeFile(dataDir));
    server = await startServe({ dataDir, operator: 'e2e-operator' });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport })).newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(temp, { recursive: true, force: true });
  });

  it('sells a pack, a gift card and a T-shirt: errors at their field, Enter never sells, a confirmation of what was issued', async () => {
    if (!server) throw new Error('server not started');
    await page.goto(`${server.url}#/customers/${customer.id}`);
    const card = page.getByRole('article', { name: `Customer card: ${customer.name}` });
    await card.getByRole('heading', { name: customer.name, level: 1 }).waitFor();

    // Opened from the keyboard: Alt+A, then the menu's New order.
    await page.keyboard.press('Alt+A');
    await page.getByRole('menuitem', { name: 'New order', exact: true }).waitFor();
    for (let step = 0; step < 2; step++) await page.keyboard.press('ArrowDown');
    await poll(() => page.locator(':focus').textContent()).toBe('New order');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'New order' });
    const pack = dialog.getByRole('spinbutton', { name: /^Friends pack/ });
    await pack.waitFor();

    // Items a sale could not deliver are listed, disabled, with the reason.
    const backstage = dialog.getByRole('spinbutton', { name: /^Backstage access/ });
    expect(await backstage.isDisabled()).toBe(true);
    expect(await dialog.locator('.order-line').filter({ hasText: 'Backstage access' }).textContent()).toContain('Not sellable: No ticket type is set for it');
    expect(await dialog.locator('.order-line').filter({ hasText: 'Friends pack' }).textContent()).toContain('Contains 4 × Weekend ticket');

    // A quantity above what is left is an error at its line, kept as typed.
    const shirts = dialog.getByRole('spinbutton', { name: /^Festival T-shirt/ });
    await shirts.fill('5000');
    const shirtLine = dialog.locator('.order-line').filter({ hasText: 'Festival T-shirt' });
    await poll(() => shirtLine.getByRole('alert').textContent()).toBe(`Only ${shirtsLeft} left of Festival T-shirt`);
    expect(await shirts.inputValue()).toBe('5000');
    expect(await dialog.getByRole('button', { name: 'Sell' }).isDisabled()).toBe(true);
    await shirtLine.getByRole('alert').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'new-order-quantity-error');

    await shirts.fill('1');
    await pack.fill('1');
    await dialog.getByRole('spinbutton', { name: /^Gift card €50/ }).fill('1');
    await poll(() => dialog.getByTestId('order-total').textContent()).toBe('€774.00');
    // The footer with the total is in view without scrolling.
    const total = await dialog.getByTestId('order-total').boundingBox();
    expect(total && total.y + total.height).toBeLessThanOrEqual(viewport.height);

    // Enter in a field completes nothing.
    await pack.press('Enter');
    const amountPaid = dialog.getByLabel('Amount paid (EUR)');
    await amountPaid.fill('700');
    await amountPaid.press('Enter');
    expect(await dialog.isVisible()).toBe(true);
    await poll(() => dialog.getByTestId('order-missing').textContent()).toBe('€74.00');

    // Underpaid: the host's refusal reads as money, at the Amount paid field.
    await dialog.getByRole('button', { name: 'Sell' }).click();
    await poll(() => dialog.getByRole('alert').allTextContents()).toEqual(['Paid €700.00 is less than the total €774.00']);
    expect(await amountPaid.getAttribute('aria-invalid')).toBe('true');

    await amountPaid.fill('800');
    await poll(() => dialog.getByTestId('order-change').textContent()).toBe('€26.00');
    await saveScreenshot(page, 'new-order-footer');
    // Sell from the keyboard: Tab from the amount field to Cancel, Reserve, Sell.
    await amountPaid.focus();
    for (let step = 0; step < 3; step++) await page.keyboard.press('Tab');
    await poll(() => page.locator(':focus').textContent()).toBe('Sell');
    await page.keyboard.press('Enter');

    const confirmation = page.getByRole('dialog', { name: /^Sold: order [0-9A-Z]+-\d{6}$/ });
    await confirmation.waitFor();
    const orderNumber = /[0-9A-Z]+-\d{6}/.exec((await confirmation.getByRole('heading', { level: 2 }).textContent()) ?? '')![0];
    expect(await confirmation.getByRole('list', { name: 'Tickets issued' }).getByRole('listitem').allTextContents()).toEqual(
      Array(4).fill(expect.stringMatching(/^[0-9A-Z]+-\d{6}-\d Weekend$/)),
    );
    const giftCodes = await confirmation.getByRole('list', { name: 'Gift cards issued' }).getByRole('listitem').allTextContents();
    expect(giftCodes).toEqual([expect.stringMatching(/^GC-[A-Z2-9]{4}-[A-Z2-9]{4} worth €50\.00$/)]);
    expect(await confirmation.getByTestId('confirmed-change').textContent()).toBe('€26.00');
    await saveScreenshot(page, 'new-order-confirmation');

    // Done has the focus; after it the card's Actions button has it, not the page.
    await page.keyboard.press('Enter');
    await confirmation.waitFor({ state: 'detached' });
    await poll(activeElementShortcut).toBe('Alt+A');

    await page.getByRole('list', { name: 'Orders' }).locator('.order-card').filter({ hasText: `Order ${orderNumber}` }).waitFor();

    // The store holds the four Weekend tickets the pack issued (read with the CLI once serve stopped).
    expect(await server.stop()).toBe(0);
    server = undefined;
    const stored = JSON.parse(await runCliOk(['card', customer.id, '--data-dir', dataDir, '--json'])) as CustomerCard;
    expect(stored.tickets.filter((ticket) => ticket.reference.startsWith(`${orderNumber}-`)).map((ticket) => ticket.ticketType)).toEqual(Array(4).fill('Weekend'));
  });
});
