import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, idle, test } from './fixtures';

async function seriousViolations(page: Page, what: string): Promise<string[]> {
  // Canvas charts and the Monaco editor are third-party widgets with their own accessibility model.
  const result = await new AxeBuilder({ page }).exclude('.monaco-editor').exclude('canvas').analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${what}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`main screens have no serious accessibility violations (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/');
    await idle(page);
    const found: string[] = [];
    found.push(...await seriousViolations(page, 'empty'));
    await page.getByRole('button', { name: 'Load sample incident' }).click();
    await idle(page);
    await expect(page.getByTestId('chain')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('log-view')).toBeVisible({ timeout: 20_000 });
    found.push(...await seriousViolations(page, 'workspace'));
    await page.getByRole('tab', { name: 'Goroutines' }).click();
    await idle(page);
    found.push(...await seriousViolations(page, 'goroutines'));
    await page.getByRole('tab', { name: 'Files' }).click();
    await idle(page);
    found.push(...await seriousViolations(page, 'files'));
    await page.getByRole('button', { name: 'Share…' }).click();
    await expect(page.getByTestId('share-link')).toHaveValue(/#\/s\//);
    found.push(...await seriousViolations(page, 'share dialog'));
    await page.keyboard.press('Escape');
    await page.goto('/#/train');
    await idle(page);
    found.push(...await seriousViolations(page, 'training library'));
    expect(found).toEqual([]);
  });
}
