// Debian's chromium, headless, driven by npm playwright-core (no browser download).
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A page that records what it loaded and every console error, so tests can assert on both.
export async function openPage(browser, { width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true, locale: 'en-GB' });
  const page = await context.newPage();
  page.consoleErrors = [];
  page.externalRequests = [];
  page.on('console', (message) => {
    if (message.type() === 'error') page.consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => page.consoleErrors.push(String(error)));
  page.on('request', (request) => {
    if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(request.url())) page.externalRequests.push(request.url());
  });
  return page;
}
