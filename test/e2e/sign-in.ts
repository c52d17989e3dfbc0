import type { Page } from 'playwright-core';

/** Signs the page in with the keyboard only (name, Tab, PIN, Enter), as staff do at a terminal. */
export async function signIn(page: Page, name: string, pin: string): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
  await page.getByLabel('Name').focus();
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(pin);
  await page.keyboard.press('Enter');
}
