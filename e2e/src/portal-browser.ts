import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Where the browser suite writes its screenshots (git-ignored). */
export const screenshotDir = resolve(__dirname, '../../tmp/portal-screenshots');

// Without these Chromium reaches for the network (updates, sync, QUIC) and stalls on a closed machine.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Debian's Chromium, present when the run can drive a browser. `npm test` installs it (see
 * tools/scripts/ensure-chromium.mjs); only where that was impossible does the suite skip,
 * loudly, and never under CI.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI)
    throw new Error(`${CHROMIUM} is missing under CI: the portal browser tests must run (apt-get install chromium)`);
  console.warn(
    `\n!!! ${CHROMIUM} is not installed: the admin portal browser tests are SKIPPED (apt-get install chromium) !!!\n`,
  );
  return false;
}

export interface PortalBrowser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  problems: string[];
  screenshot: (name: string) => Promise<void>;
  close: () => Promise<void>;
}

/** A fresh Chromium profile (own user-data-dir) with one page, recording every console error. */
export async function openPortalBrowser(): Promise<PortalBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'herald-chromium-'));
  mkdirSync(screenshotDir, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1280, height: 860 },
    locale: 'en-GB',
    timezoneId: 'UTC',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return {
    context,
    page,
    problems,
    screenshot: async (name) => {
      await page.screenshot({ path: resolve(screenshotDir, `${name}.png`), fullPage: true });
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits until the locator's text is (or matches) the expected text; fails naming what it saw. */
export async function expectText(locator: Locator, expected: string | RegExp, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen: string | null = null;
  for (;;) {
    seen =
      (await locator.textContent({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => null))?.trim() ?? null;
    if (seen !== null && (typeof expected === 'string' ? seen === expected : expected.test(seen))) return;
    if (Date.now() > deadline) throw new Error(`expected text ${String(expected)}, saw ${JSON.stringify(seen)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Whether the locator's element holds focus, waiting up to `timeoutMs` for it to get there: the
 * portal moves focus in an effect, which runs after the frame that a key press renders.
 */
export async function isFocused(locator: Locator, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const focused = await locator.evaluate((el: any) => el === el.ownerDocument.activeElement).catch(() => false);
    if (focused || Date.now() > deadline) return focused;
    await new Promise((r) => setTimeout(r, 50));
  }
}
