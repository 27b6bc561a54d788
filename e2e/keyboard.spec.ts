import { expect, idle, test } from './fixtures';

test('keyboard: zoom and pan the window, reach the chain steps with Tab and open one with Enter', async ({ page }) => {
  await page.goto('/');
  await idle(page);
  await page.getByRole('button', { name: 'Load sample incident' }).click();
  await idle(page);
  await expect(page.getByTestId('chain')).toBeVisible({ timeout: 30_000 });
  await page.waitForFunction(() => !!window.causeway?.timeline);
  const whole = await page.evaluate(() => window.causeway!.timeline!.range());

  const windowOf = async () => {
    const p = new URLSearchParams((await page.evaluate(() => location.hash)).split('?')[1] ?? '');
    return p.has('from') ? { from: Number(p.get('from')), to: Number(p.get('to')) } : null;
  };
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('+');
  await expect.poll(windowOf).not.toBeNull();
  const zoomed = (await windowOf())!;
  expect(zoomed.to - zoomed.from).toBeLessThan((whole.to - whole.from) * 0.6);
  // The timeline follows the URL window.
  await expect.poll(async () => (await page.evaluate(() => window.causeway!.timeline!.range())).to - (await page.evaluate(() => window.causeway!.timeline!.range())).from)
    .toBeLessThan((whole.to - whole.from) * 0.6);
  await page.keyboard.press('l');
  await expect.poll(async () => (await windowOf())?.from).toBeGreaterThan(zoomed.from);
  await page.keyboard.press('0');
  await expect.poll(windowOf).toBeNull();

  // Tab reaches the chain's steps; Enter selects one (the URL holds it).
  let reached = false;
  for (let i = 0; i < 80 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'chain-step-0');
  }
  expect(reached).toBe(true);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('sel=step~');
  await page.keyboard.press('Escape');
  await expect.poll(() => page.evaluate(() => location.hash)).not.toContain('sel=');
});
