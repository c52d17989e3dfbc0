// End-to-end: the customer screens in Debian's Chromium against `box-office serve` on a seeded
// data folder, walked the way staff would (keyboard where the UI offers it, mouse elsewhere), with
// what the page shows checked after every step and the store checked through the CLI at the end.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerCard } from '../../core/customers/customers.contract.ts';
import { storeFile } from '../../host/data-dir.ts';
import { runCliOk, startServe, type RunningServer } from './box-office-server.ts';
import { launchBrowser, saveScreenshot } from './browser.ts';
import type { PageGlobals } from './page-globals.ts';

const operator = 'e2e-operator';
const newTagUid = '04E2E0C0FFEE01';
const newTagShown = '04:E2:E0:C0:FF:EE:01';

interface Customer {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
}

interface Picked {
  customer: Customer;
  /** A valid ticket nobody holds yet: assigned through the dialog. */
  freeReference: string;
  /** The customer's active tag before the test (it must become inactive when another is made active). */
  activeTagUid: string;
  /** A ticket another customer holds: the import must refuse to move it. */
  heldReference: string;
}

let temp: string;
let dataDir: string;
let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
let picked: Picked;
/** The number of the order the walk-through sells (read from its confirmation). */
let soldOrderNumber = '';

/** What the test needs from the seeded store, read before the server opens it. */
function pickFromStore(file: string): Picked {
  const db = new Database(file, { readonly: true });
  try {
    // A named, non-verified customer (a verified one's email is read-only) with credit history and
    // an active tag, whose last name others share (so the search lists several and arrows matter).
    const customer = db
      .prepare(
        `SELECT c.id, c.first_name AS firstName, c.last_name AS lastName, c.email FROM customers c
         WHERE c.verification_status = 'non_verified' AND c.deleted_at IS NULL
           AND c.first_name IS NOT NULL AND c.last_name IS NOT NULL AND c.email IS NOT NULL
           AND c.last_name NOT LIKE '% %' AND c.last_name NOT LIKE '%''%'
           AND EXISTS (SELECT 1 FROM ledger_entries l WHERE l.customer_id = c.id AND l.kind = 'credit')
           AND EXISTS (SELECT 1 FROM tags t WHERE t.customer_id = c.id AND t.active = 1)
           AND (SELECT count(*) FROM customers o WHERE o.last_name = c.last_name) >= 3
         ORDER BY c.id LIMIT 1`,
      )
      .get() as Customer | undefined;
    if (!customer) throw new Error('The seeded store has no customer fit for the walk-through: change the seed');
    const free = db
      .prepare("SELECT reference FROM tickets WHERE customer_id IS NULL AND status = 'valid' AND redeemed = 0 AND banned = 0 ORDER BY reference LIMIT 1")
      .get() as { reference: string } | undefined;
    const held = db
      .prepare("SELECT reference FROM tickets WHERE customer_id IS NOT NULL AND customer_id != ? AND status = 'valid' ORDER BY reference LIMIT 1")
      .get(customer.id) as { reference: string } | undefined;
    const tag = db.prepare('SELECT uid FROM tags WHERE customer_id = ? AND active = 1').get(customer.id) as { uid: string } | undefined;
    if (!free || !held || !tag) throw new Error('The seeded store lacks a free ticket, a held ticket or an active tag');
    return { customer, freeReference: free.reference, heldReference: held.reference, activeTagUid: tag.uid };
  } finally {
    db.close();
  }
}

const spaced = (uid: string) => uid.match(/../g)?.join(':') ?? uid;
const fullName = (customer: Customer) => `${customer.firstName} ${customer.lastName}`;

/** A download's file, read as text without the BOM, parsed as CSV rows. */
async function downloadedCsv(download: Download): Promise<{ name: string; text: string; rows: string[][] }> {
  const file = await download.path();
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  return { name: download.suggestedFilename(), text, rows: parse(text, { relax_column_count: true }) as string[][] };
}

const viewport = { width: 1280, height: 860 };

/** expect.poll with room for a loaded 2-core CI machine (the default gives up after 1 s). */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000 });

/**
 * A screenshot of the whole page as a window that tall would show it: the sticky top bar and
 * sidebar and the fixed action button sit where they belong instead of where the scroll left them.
 */
async function screenshotWholePage(target: Page, name: string): Promise<void> {
  const height = await target.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollHeight);
  await target.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  await target.evaluate(() => (globalThis as unknown as PageGlobals).scrollTo(0, 0));
  await saveScreenshot(target, name);
  await target.setViewportSize(viewport);
}

async function chooseAction(name: string): Promise<void> {
  await page.getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name, exact: true }).click();
}

/** What has the keyboard focus: its tag, accessible-ish name and text. */
const focused = () =>
  page.evaluate(() => {
    const element = (globalThis as unknown as PageGlobals).document.activeElement as
      | { tagName: string; textContent: string | null; getAttribute(name: string): string | null }
      | null;
    return { tag: element?.tagName ?? '', label: element?.getAttribute('aria-label') ?? '', text: element?.textContent?.trim() ?? '' };
  });

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

const ticketRow = (reference: string) => page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: reference }) });
const tagRow = (shownUid: string) => page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: shownUid }) });

describe('customer screens in Chromium against box-office serve', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'box-office-e2e-'));
    dataDir = join(temp, 'data');
    await runCliOk(['seed', '--data-dir', dataDir, '--customers', '300', '--tickets', '450', '--tags', '250', '--seed', '7']);
    picked = pickFromStore(storeFile(dataDir));
    server = await startServe({ dataDir, operator });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport, acceptDownloads: true });
    page = await context.newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(temp, { recursive: true, force: true });
  });

  it('shows the customer list of the seeded event', async () => {
    if (!server) throw new Error('server not started');
    await page.goto(server.url);
    await poll(() => page.getByRole('status', { name: 'Connection status' }).textContent()).toBe('Connected');
    await page.getByRole('status').filter({ hasText: '300 customers' }).waitFor();
    const grid = page.getByRole('grid', { name: 'Customers' });
    await grid.getByRole('row').nth(5).waitFor();
    expect(await grid.getByRole('columnheader').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('Name'), 'Email', expect.stringContaining('Total amount spent'), 'Status']),
    );
    await saveScreenshot(page, 'customers-list');
  });

  it('finds the customer with / and the keyboard and opens the card with Enter', async () => {
    const { customer } = picked;
    // Focus elsewhere first: `/` must bring the focus back to the search box.
    await page.getByRole('heading', { name: 'Customers', level: 1 }).click();
    await page.keyboard.press('/');
    await poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('aria-label'))).toBe('Search customers');
    await page.keyboard.type(customer.lastName, { delay: 30 });
    const results = page.getByRole('grid', { name: 'Search results' });
    await poll(() => results.getAttribute('aria-busy')).toBe('false');
    const hrefs = await results.locator('[role=row][id^="customer-row-"] a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(hrefs.length).toBeGreaterThanOrEqual(3);
    const index = hrefs.indexOf(`#/customers/${customer.id}`);
    expect(index).toBeGreaterThanOrEqual(0);
    for (let step = 0; step < index; step++) await page.keyboard.press('ArrowDown');
    await poll(() => page.locator(`#customer-row-${index}`).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');

    const card = page.getByRole('article', { name: `Customer card: ${fullName(customer)}` });
    await card.getByRole('heading', { name: fullName(customer), level: 1 }).waitFor();
    expect(page.url()).toContain(`#/customers/${customer.id}`);
    // Focus moved onto the card (its heading), not back to the page.
    await poll(focused).toEqual({ tag: 'H1', label: '', text: fullName(customer) });
    await poll(() => card.getByRole('region', { name: 'Contact information' }).textContent()).toContain(customer.email);
    await card.getByRole('region', { name: 'Tags' }).getByRole('rowheader', { name: spaced(picked.activeTagUid) }).waitFor();
    await card.getByRole('region', { name: 'History' }).waitFor();
    await screenshotWholePage(page, 'customer-card');
  });

  it('shows the card in both themes', async () => {
    const theme = () => page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.dataset.theme);
    const first = await theme();
    await screenshotWholePage(page, `customer-card-${first}`);
    await page.getByRole('button', { name: /^Switch to (light|dark) theme$/ }).click();
    const second = await theme();
    expect(new Set([first, second])).toEqual(new Set(['dark', 'light']));
    await screenshotWholePage(page, `customer-card-${second}`);
    await page.getByRole('button', { name: `Switch to ${first} theme` }).click();
    expect(await theme()).toBe(first);
  });

  it('edits the profile: a bad email is refused next to the field, a good edit shows at once', async () => {
    await chooseAction('Edit');
    const form = page.getByRole('form', { name: 'Edit customer' });
    const email = form.getByLabel('Email', { exact: true });
    await email.fill('not-an-email');
    await form.getByRole('button', { name: 'Update customer' }).click();
    await poll(() => email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
    const fieldError = page.locator(`[id="${describedBy.split(' ').pop()}"]`);
    expect(await fieldError.textContent()).toBe('Invalid email address');
    expect(await fieldError.getAttribute('role')).toBe('alert');
    await screenshotWholePage(page, 'customer-edit-invalid-email');

    await email.fill(`e2e.${picked.customer.email}`);
    await form.getByLabel('Phone', { exact: true }).fill('+31 6 1234 5678');
    await form.getByLabel('City', { exact: true }).fill('Utrecht');
    await form.getByRole('button', { name: 'Update customer' }).click();
    await form.waitFor({ state: 'detached' });
    const contact = page.getByRole('region', { name: 'Contact information' });
    expect(await contact.textContent()).toContain(`e2e.${picked.customer.email}`);
    expect(await contact.textContent()).toContain('Utrecht');
    expect(await contact.textContent()).toContain('+31 6 1234 5678');
    const history = page.getByRole('region', { name: 'History' });
    await history.getByRole('cell', { name: operator }).first().waitFor();
    expect(await history.textContent()).toContain('Utrecht');
  });

  it('offers the usual genders and asks before the primary e-mail is removed', async () => {
    await chooseAction('Edit');
    const form = page.getByRole('form', { name: 'Edit customer' });
    const gender = form.getByLabel('Gender', { exact: true });
    expect(await gender.locator('option').allTextContents()).toEqual(
      expect.arrayContaining(['Not specified', 'Female', 'Male', 'Non-binary', 'Other', 'Prefers not to say']),
    );
    await gender.selectOption({ label: 'Non-binary' });
    const email = form.getByLabel('Email', { exact: true });
    await email.fill('');
    await form.getByRole('button', { name: 'Update customer' }).click();
    const question = form.getByRole('alertdialog');
    await question.waitFor();
    expect(await question.textContent()).toContain(`Remove the e-mail e2e.${picked.customer.email}? The customer can no longer be found by that e-mail address`);
    await poll(focused).toMatchObject({ text: 'Remove e-mail and save' });
    await screenshotWholePage(page, 'customer-edit-remove-email-question');
    // Keeping the e-mail saves nothing until Update is pressed again with the address back.
    await question.getByRole('button', { name: 'Keep the e-mail' }).click();
    await email.fill(`e2e.${picked.customer.email}`);
    await form.getByRole('button', { name: 'Update customer' }).click();
    await form.waitFor({ state: 'detached' });
    const contact = page.getByRole('region', { name: 'Contact information' });
    await poll(() => contact.textContent()).toContain('Non-binary');
    expect(await contact.textContent()).toContain(`e2e.${picked.customer.email}`);
  });

  it('assigns a ticket from the action menu opened with Alt+A', async () => {
    // A ticket another customer holds is refused inside the dialog, next to the references.
    await page.keyboard.press('Alt+A');
    const menu = page.getByRole('menu', { name: 'Customer actions' });
    await menu.waitFor();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Assign ticket' });
    const references = dialog.getByLabel('Ticket references');
    await references.fill(picked.heldReference);
    await dialog.getByRole('button', { name: 'Accept' }).click();
    await poll(() => references.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByRole('alert').textContent()).toContain(picked.heldReference);
    await screenshotWholePage(page, 'assign-ticket-refused');

    await references.fill(picked.freeReference);
    await dialog.getByRole('button', { name: 'Accept' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The dialog gives focus back to the Actions button that opened it.
    await poll(focused).toMatchObject({ tag: 'BUTTON', text: 'Actions' });
    const row = ticketRow(picked.freeReference);
    await row.waitFor();
    expect(await row.getByRole('switch', { name: `Redeemed, ticket ${picked.freeReference}` }).getAttribute('aria-checked')).toBe('false');
  });

  it('toggles the new ticket redeemed and banned, acting at once', async () => {
    const row = ticketRow(picked.freeReference);
    const redeemed = row.getByRole('switch', { name: `Redeemed, ticket ${picked.freeReference}` });
    const banned = row.getByRole('switch', { name: `Banned, ticket ${picked.freeReference}` });
    await redeemed.click();
    await poll(() => redeemed.getAttribute('aria-checked')).toBe('true');
    expect(await redeemed.textContent()).toBe('Redeemed');
    await banned.click();
    await poll(() => banned.getAttribute('aria-checked')).toBe('true');
    expect(await banned.textContent()).toBe('Banned');
    // Unbanning works the same way; the final state (banned) is checked in the store at the end.
    await banned.click();
    await poll(() => banned.getAttribute('aria-checked')).toBe('false');
    await banned.click();
    await poll(() => banned.getAttribute('aria-checked')).toBe('true');
    // One status for the ticket: banned (red), not "Valid Un-used".
    const status = row.getByRole('cell').nth(1).locator('.status');
    await poll(() => status.textContent()).toBe('Banned');
    expect(await status.getAttribute('class')).toContain('status-bad');
    const history = page.getByRole('region', { name: 'History' });
    await poll(() => history.getByRole('row').filter({ hasText: `Ticket ${picked.freeReference}` }).count()).toBeGreaterThanOrEqual(5);
    // Who, what and the change in words: an operator, action labels, names; never ids or command names.
    const historyText = (await history.textContent()) ?? '';
    expect(historyText).toContain('Ticket banned');
    expect(historyText).toContain('Ticket marked redeemed');
    expect(historyText).toContain('Times in ');
    expect(historyText).not.toMatch(uuidPattern);
    expect(historyText).not.toMatch(/tickets\.|tags\.|customers\.|\bcli\b/);
  });

  it('assigns a tag without making it active, then makes it active', async () => {
    await chooseAction('Assign tag');
    const dialog = page.getByRole('dialog', { name: 'Assign tag' });
    const uid = dialog.getByLabel('Tag UID');
    // A malformed UID is refused next to its field.
    await uid.fill('04:zz');
    await dialog.getByRole('button', { name: 'Create tag' }).click();
    await poll(() => uid.getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByRole('alert').textContent()).toContain('Tag UID must be 4, 7 or 10 bytes of hex');
    await screenshotWholePage(page, 'assign-tag-refused');

    await uid.fill(newTagUid.toLowerCase().match(/../g)!.join(':'));
    expect(await dialog.getByLabel('Ticket type').locator('option').count()).toBeGreaterThan(0);
    await dialog.getByRole('checkbox', { name: /Make active/ }).uncheck();
    await dialog.getByRole('button', { name: 'Create tag' }).click();
    await dialog.waitFor({ state: 'detached' });

    const added = tagRow(newTagShown);
    const before = tagRow(spaced(picked.activeTagUid));
    const makeActive = (row: typeof added) => row.getByRole('button', { name: /^Make tag .* active$/ });
    await added.waitFor();
    expect(await makeActive(before).count()).toBe(0);
    expect(await added.getByRole('cell').nth(1).textContent()).toMatch(/^Inactive/);
    await makeActive(added).click();
    await makeActive(before).waitFor();
    expect(await makeActive(added).count()).toBe(0);
    expect(await added.getByRole('cell').nth(1).textContent()).toBe('Active');
  });

  it('adds a label and a description, which shows the note indicator', async () => {
    await page.getByRole('button', { name: 'Add label' }).click();
    const input = page.getByRole('combobox', { name: 'New label' }).or(page.getByRole('textbox', { name: 'New label' }));
    await input.fill('VIP');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Label VIP' }).waitFor();

    const note = page.getByRole('textbox', { name: 'Internal note' });
    await note.fill('Lost wristband on Friday; new one issued at the box office.');
    await page.getByRole('button', { name: 'Save description' }).click();
    const indicator = page.getByRole('button', { name: 'Customer note' });
    await indicator.waitFor();
    await indicator.hover();
    await page.getByRole('tooltip').filter({ hasText: 'Lost wristband on Friday' }).waitFor({ state: 'visible' });
    await screenshotWholePage(page, 'customer-card-after-edits');
  });

  it('downloads the customer CSV with the profile, tickets and tags', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), chooseAction('Download CSV')]);
    const { name, rows } = await downloadedCsv(download);
    expect(name).toMatch(/^customer-.+\.csv$/);
    const field = (label: string) => rows.find((row) => row[0] === label)?.[1];
    expect(field('First name')).toBe(picked.customer.firstName);
    expect(field('Last name')).toBe(picked.customer.lastName);
    expect(field('Email')).toBe(`e2e.${picked.customer.email}`);
    expect(field('City')).toBe('Utrecht');
    expect(field('Labels')).toBe('VIP');
    expect(field('Description')).toContain('Lost wristband');
    const ticket = rows.find((row) => row[1] === picked.freeReference);
    expect(ticket?.slice(5, 7)).toEqual(['Yes', 'Yes']);
    const tag = rows.find((row) => row[1] === newTagUid);
    expect(tag?.slice(3, 5)).toEqual(['Yes', 'No']);
    expect(rows.find((row) => row[1] === picked.activeTagUid)?.[3]).toBe('No');
  });

  it('downloads the credit history CSV with a running balance per kind', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), chooseAction('Credit history CSV')]);
    const { name, rows } = await downloadedCsv(download);
    expect(name).toMatch(/^credit-history-.+\.csv$/);
    const [header, ...entries] = rows;
    expect(header).toEqual(['Date (UTC)', 'Kind', 'Amount', 'Unit', 'Balance after', 'Reason', 'Order number', 'Device']);
    const credits = entries.filter((row) => row[1] === 'Credit');
    expect(credits.length).toBeGreaterThan(0);
    // Each Balance after is the previous one plus the entry's amount (decimals in the event currency).
    let running = 0;
    for (const row of credits) {
      running += Math.round(Number(row[2]) * 100);
      expect(Math.round(Number(row[4]) * 100)).toBe(running);
    }
    // The card's credit balance is the last running balance.
    const balanceText = await page.locator('.total-tile').filter({ hasText: 'Balance: Credits' }).locator('dd').textContent();
    expect(Math.round(Number((balanceText ?? '').replace(/[^0-9.-]/g, '')) * 100)).toBe(running);
  });

  it('sells a credit item from New order: the order card appears and the credit balance goes up', async () => {
    const balance = page.locator('.total-tile').filter({ hasText: 'Balance: Credits' }).locator('dd');
    const cents = async () => Math.round(Number(((await balance.textContent()) ?? '').replace(/[^0-9.-]/g, '')) * 100);
    const before = await cents();
    await chooseAction('New order');
    const dialog = page.getByRole('dialog', { name: 'New order' });
    const quantity = dialog.getByRole('spinbutton', { name: /^Credits €25/ });
    await quantity.fill('2');
    const amountPaid = dialog.getByLabel('Amount paid (EUR)');
    await poll(() => amountPaid.inputValue()).toBe('50.00');
    expect(await dialog.getByTestId('order-total').textContent()).toContain('50.00');
    await dialog.getByLabel('Flags').fill('cash, e2e');
    await screenshotWholePage(page, 'new-order-dialog');
    await dialog.getByRole('button', { name: 'Sell' }).click();
    // The sale ends on its confirmation; Done closes it.
    // The terminal's first order for the event: its short code (derived from its device id, as it
    // is not enrolled), then 000001.
    const confirmation = page.getByRole('dialog', { name: /^Sold: order [0-9A-Z]+-000001$/ });
    soldOrderNumber = /[0-9A-Z]+-000001/.exec((await confirmation.getByRole('heading', { level: 2 }).textContent()) ?? '')![0];
    await confirmation.getByRole('button', { name: 'Done' }).click();
    await confirmation.waitFor({ state: 'detached' });
    const orderCard = page.getByRole('list', { name: 'Orders' }).locator('.order-card').filter({ hasText: `Order ${soldOrderNumber}` });
    await orderCard.waitFor();
    expect(await orderCard.textContent()).toContain('2 × Credits €25');
    expect(await orderCard.getByRole('img').getAttribute('aria-label')).toBe('Sold in box office');
    await poll(cents).toBe(before + 5000);
  });

  it('opens an order card with the keyboard; Escape closes the detail and gives focus back', async () => {
    const orders = page.getByRole('list', { name: 'Orders' });
    const open = orders.getByRole('button', { name: `Order ${soldOrderNumber}: show details` });
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Order ${soldOrderNumber}` });
    await dialog.waitFor();
    const text = (await dialog.textContent()) ?? '';
    for (const part of ['Items', 'Credits €25', 'Total', 'Amount paid', 'Status history', 'Paid', 'Tickets issued', 'Times in ']) {
      expect(text).toContain(part);
    }
    await saveScreenshot(page, 'order-detail');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await poll(focused).toMatchObject({ tag: 'BUTTON', label: `Order ${soldOrderNumber}: show details` });
  });

  it('keeps the Actions button off the content and e-mails whole', async () => {
    // At the bottom of the card, the floating button covers no panel (tickets' Scan history column included).
    await page.evaluate(() => (globalThis as unknown as PageGlobals).scrollTo(0, 1e6));
    const fab = await page.getByRole('button', { name: 'Actions' }).boundingBox();
    const panels = await page.locator('.card-screen .panel').evaluateAll((elements) =>
      elements.map((element) => {
        const box = element.getBoundingClientRect();
        return { top: box.top, bottom: box.bottom, left: box.left, right: box.right };
      }),
    );
    if (!fab) throw new Error('no Actions button');
    for (const panel of panels) {
      const overlaps = fab.x < panel.right && fab.x + fab.width > panel.left && fab.y < panel.bottom && fab.y + fab.height > panel.top;
      expect(overlaps, JSON.stringify({ fab, panel })).toBe(false);
    }
    // Narrow window: the e-mail wraps, but each piece (name, @domain, dots) stays on one line.
    await page.setViewportSize({ width: 700, height: viewport.height });
    const pieces = await page
      .getByRole('region', { name: 'Contact information' })
      .locator('.email-text > span')
      .evaluateAll((spans) => spans.map((span) => ({ text: span.textContent, lines: span.getClientRects().length })));
    expect(pieces.map((piece) => piece.text).join('')).toBe(`e2e.${picked.customer.email}`);
    for (const piece of pieces) expect(piece.lines, piece.text ?? '').toBe(1);
    await saveScreenshot(page, 'customer-card-narrow');
    await page.setViewportSize(viewport);
  });

  it('tells a browser with a wrong token how to get in', async () => {
    if (!server) throw new Error('server not started');
    const stranger = await context.newPage();
    await stranger.goto(server.url.replace(/token=[^&]+/, 'token=wrong-token'));
    const status = stranger.getByRole('status', { name: 'Connection status' });
    await poll(() => status.textContent()).toMatch(/Wrong or missing access token/);
    await saveScreenshot(stranger, 'wrong-token');
    await stranger.close();
  });

  it('kept every change in the store (read with the CLI after the server stopped)', async () => {
    await page.close();
    expect(await server?.stop()).toBe(0);
    server = undefined;
    const card = JSON.parse(await runCliOk(['card', picked.customer.id, '--data-dir', dataDir, '--json'])) as CustomerCard;
    expect(card.profile).toMatchObject({ email: `e2e.${picked.customer.email}`, city: 'Utrecht', phone: '+31 6 1234 5678' });
    expect(card.profile.description).toContain('Lost wristband');
    expect(card.labels.map((label) => label.name)).toEqual(['VIP']);
    expect(card.tickets.find((ticket) => ticket.reference === picked.freeReference)).toMatchObject({
      redeemed: true,
      banned: true,
      credentialStatus: { label: 'Banned', tone: 'bad' },
    });
    expect(card.profile.gender).toBe('non-binary');
    expect(card.tags.find((tag) => tag.uid === newTagUid)).toMatchObject({ active: true, banned: false });
    expect(card.tags.find((tag) => tag.uid === picked.activeTagUid)).toMatchObject({ active: false });
    expect(card.history.every((entry) => entry.operator === operator)).toBe(true);
    expect(card.orders.find((order) => order.number === soldOrderNumber)).toMatchObject({
      items: [{ description: 'Credits €25', quantity: 2, unitPrice: 2500 }],
      channel: 'box_office',
      status: 'paid',
      total: 5000,
      amountPaid: 5000,
    });
  });
});
