// The common ground of the browser tests: the real linkray with simulated chargers beside it, a browser, the admin,
// and the steps every test file takes (log in, open a page, take a screenshot).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LinkRay, testConfig } from '../integration/lib/linkray.mjs';
import { launchBrowser } from './browser.mjs';

export const artifacts = process.env.LINKRAY_E2E_ARTIFACTS ?? path.join(tmpdir(), 'linkray-e2e-artifacts');
export const ADMIN = { name: 'admin', password: 'e2e-admin-password' };

// Starts linkray with `config` (merged into testConfig), `simCount` linkray-sim chargers SIM-001… (started with
// `simArgs` added) and the browser. Cars arrive about once a year unless `simArgs` says otherwise, so the chargers
// stay idle unless a test acts. `stop()` ends them all and removes linkray's data.
export async function startSite({ config = {}, simCount = 2, simArgs = [] } = {}) {
  mkdirSync(artifacts, { recursive: true });
  const linkray = await LinkRay.start(testConfig(config));
  const sim = simCount === 0 ? undefined : spawn(process.env.LINKRAY_SIM_BIN,
    ['--url', linkray.url, '--count', String(simCount), '--arrival-mean-minutes', '500000', ...simArgs],
    { stdio: ['ignore', 'pipe', 'ignore'] });
  const simOutput = { text: '' };
  sim?.stdout.on('data', (chunk) => { simOutput.text += chunk; });
  const browser = await launchBrowser();
  return {
    linkray,
    sim,
    simOutput, // what linkray-sim printed so far (one line per notable event)
    browser,
    async stop() {
      await browser.close();
      if (sim && sim.exitCode === null) {
        sim.kill('SIGTERM');
        await once(sim, 'exit');
      }
      await linkray.stop();
      linkray.removeData();
    },
  };
}

// Creates the first admin through the API, for test files that do not test the setup page itself (webapp.test.mjs
// does that in the browser).
export async function createAdmin(linkray, { name, password } = ADMIN) {
  const response = await fetch(new URL('api/v1/setup', linkray.webUrl), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, password }),
  });
  if (response.status !== 201) throw new Error(`setup answered ${response.status}: ${await response.text()}`);
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

// Logs in on the login page that `page` shows and waits for the dashboard.
export async function logIn(page, { name, password }) {
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

// Opens the app's route `hash` (e.g. '#/whitelist') and waits for its heading.
export async function goTo(page, linkray, hash, heading) {
  await page.goto(new URL(hash, linkray.webUrl).href);
  await page.getByRole('heading', { name: heading, exact: true }).first().waitFor();
}
