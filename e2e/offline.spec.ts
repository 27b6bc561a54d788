import { expect, idle, summary, test } from './fixtures';

test('after one visit the app works with the network off, sample incident included', async ({ page, context }) => {
  await page.goto('/');
  await idle(page);
  // The service worker precaches every built file; wait until it controls the page.
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
    return reg.active?.state;
  });
  const manifest = await page.evaluate(async () => (await fetch('/manifest.webmanifest')).json() as Promise<{ name: string; icons: unknown[] }>);
  expect(manifest.name).toContain('Causeway');
  expect(manifest.icons.length).toBeGreaterThan(0);

  await context.setOffline(true);
  await page.reload();
  await idle(page);
  await expect(page.getByRole('heading', { name: 'Causeway' })).toBeVisible();
  await page.getByRole('button', { name: 'Load sample incident' }).click();
  await idle(page);
  await expect(page.getByTestId('bundle-status')).toHaveText('ready', { timeout: 60_000 });
  expect((await summary(page)).files.length).toBeGreaterThan(5);
  // The lazily loaded parts (timeline with ECharts, log view with Monaco) come from the cache too.
  await expect(page.getByTestId('timeline')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('log-view')).toBeVisible({ timeout: 20_000 });
  await context.setOffline(false);
});
