import { test as base, expect, type Page } from '@playwright/test';
import type { Summary } from '../src/core/summary';

/**
 * Every test runs with a guard: any request that leaves the page's origin fails the test
 * (data: and blob: URLs stay in the page).
 */
export const test = base.extend<{ offOrigin: string[] }>({
  offOrigin: [async ({ page, baseURL }, use) => {
    const seen: string[] = [];
    const origin = new URL(baseURL!).origin;
    page.on('request', (r) => {
      const url = r.url();
      if (url.startsWith('data:') || url.startsWith('blob:')) return;
      if (new URL(url).origin !== origin) seen.push(url);
    });
    await use(seen);
    expect(seen, 'requests that left the page origin').toEqual([]);
  }, { auto: true }],
});

export { expect };

export async function idle(page: Page): Promise<void> {
  await page.waitForFunction(() => !!window.causeway);
  await page.evaluate(() => window.causeway!.whenIdle());
}

export async function summary(page: Page): Promise<Summary> {
  const s = await page.evaluate(() => window.causeway!.summary());
  if (!s) throw new Error('no bundle open');
  return s;
}

export async function dropFiles(page: Page, paths: string[]): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(paths);
  await idle(page);
}
