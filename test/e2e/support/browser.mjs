// Headless Chromium for the editor tests: Debian's /usr/bin/chromium driven by playwright-core,
// because `npx playwright install` cannot download a browser on these machines.
import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { waitFor } from '../../hosts/process.mjs';
import { REPO_ROOT } from './packages.mjs';

export const CHROMIUM_PATH = process.env.WEEEK_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');
const DOCS_IMAGES_DIR = path.join(REPO_ROOT, 'docs', 'images');

/**
 * Starts Chromium headless. Playwright gives it a new empty --user-data-dir of its own; the flags keep it
 * from calling Google's services, which this network refuses.
 */
export async function launchChromium() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: install Debian's package (apt-get install chromium) or set WEEEK_E2E_CHROMIUM.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a screenshot of the page as test-artifacts/<name>.png and returns its path. */
export async function screenshot(page, name) {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Copies a screenshot to docs/images/<docsName> when WEEEK_E2E_UPDATE_DOCS=1, so ordinary runs leave
 * the committed images alone.
 */
export async function publishScreenshot(file, docsName) {
  if (process.env.WEEEK_E2E_UPDATE_DOCS !== '1') return;
  await mkdir(DOCS_IMAGES_DIR, { recursive: true });
  await copyFile(file, path.join(DOCS_IMAGES_DIR, docsName));
}

/** Runs `body(page)`; on a failure it saves test-artifacts/<name>-failure.png before rethrowing. */
export async function withFailureScreenshot(page, name, body) {
  try {
    return await body();
  } catch (error) {
    const file = await screenshot(page, `${name}-failure`).catch(() => null);
    if (file) error.message += `\nScreenshot: ${file}`;
    throw error;
  }
}

/** Polls `read()` until it deep-equals `expected` (compared as JSON) and returns it; bounded by `timeoutMs`. */
export async function waitForValue(read, expected, description, timeoutMs = 30_000) {
  let last;
  try {
    return await waitFor(
      async () => {
        last = await read();
        return JSON.stringify(last) === JSON.stringify(expected) ? last : null;
      },
      { timeoutMs, intervalMs: 200, description },
    );
  } catch (error) {
    error.message += `\nExpected: ${JSON.stringify(expected)}\nLast seen: ${JSON.stringify(last)}`;
    throw error;
  }
}
