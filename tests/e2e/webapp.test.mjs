// The web app in a real browser against the real linkray: first-run setup, login, the live dashboard, commands that
// reach a charger, whitelist editing that changes authorisation, graphs, CSV export; screenshots and page weight.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BOOT, connectChargePoint, eventually } from '../integration/lib/linkray.mjs';
import { openPage } from './browser.mjs';
import { ADMIN, goTo, logIn, screenshot, startSite } from './site.mjs';

const CP = 'CP-E2E';
const BALANCED = 'CP-BAL'; // balanced by LinkRay, for the manual limit
const CIRCUIT = 'circuit-a'; // the group BALANCED is wired to, for the group manual limit

let site;
let linkray;
let charger;
let balanced;
let browser;
let page; // the admin's page, kept across the tests in order

const go = (hash, heading) => goTo(page, linkray, hash, heading);

// The one console error expected: the wrong password's 401 in 'log out, a wrong password is refused…'.
const wrongPasswordError = /status of 401 .*\/api\/v1\/session\)$/;

const now = (offsetMinutes = 0) => new Date(Date.now() + offsetMinutes * 60000).toISOString();

// Presses Tab until `target` has the focus, as someone without a mouse would; fails if Tab never reaches it.
async function tabTo(target, { maxPresses = 80 } = {}) {
  for (let presses = 0; presses < maxPresses; presses++) {
    await target.page().keyboard.press('Tab');
    if (await target.evaluate((element) => element === document.activeElement)) return;
  }
  throw new Error(`Tab does not reach ${target}`);
}

describe('web app', () => {
  let transactionId;

  before(async () => {
    site = await startSite({ config: {
      site: { groups: [{ id: CIRCUIT, phaseLimitA: [25, 25, 20] }] },
      chargePoints: [{ id: BALANCED, balancing: { enabled: true, maxCurrentA: 32, group: CIRCUIT } }],
    } });
    ({ linkray, browser } = site);
    charger = await connectChargePoint(linkray, CP, {
      handlers: {
        RemoteStopTransaction: () => ({ status: 'Accepted' }),
        GetConfiguration: () => ({ configurationKey: [
          { key: 'HeartbeatInterval', readonly: false, value: '300' },
          { key: 'NumberOfConnectors', readonly: true, value: '1' },
        ] }),
        ChangeConfiguration: () => ({ status: 'Accepted' }),
      },
    });
    await charger.call('BootNotification', BOOT);
    await charger.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
    balanced = await connectChargePoint(linkray, BALANCED, {
      handlers: { SetChargingProfile: () => ({ status: 'Accepted' }), ClearChargingProfile: () => ({ status: 'Accepted' }) },
    });
    await balanced.call('BootNotification', BOOT);
  });

  after(async () => {
    await charger?.close({ force: true });
    await balanced?.close({ force: true });
    await site?.stop();
  });

  test('first visit: create the admin, then the dashboard shows the user and role', async () => {
    page = await openPage(browser);
    await page.goto(linkray.webUrl);
    await page.getByRole('heading', { name: 'First start' }).waitFor();
    await screenshot(page, 'setup');
    await page.getByLabel('User name').fill(ADMIN.name);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Repeat the password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create admin' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    assert.match(await page.locator('.user').innerText(), /admin \(admin\)/);
    const setup = await (await fetch(new URL('api/v1/setup', linkray.webUrl))).json();
    assert.equal(setup.required, false);
  });

  test('log out, a wrong password is refused, the right one logs in', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.getByLabel('User name').fill(ADMIN.name);
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').waitFor();
    await logIn(page, ADMIN);
  });

  test('the dashboard shows the connected chargers and follows a transaction start live', async () => {
    await go('#/', 'Dashboard');
    for (const id of [CP, 'SIM-001', 'SIM-002']) {
      await page.locator(`[data-charge-point="${id}"]`).waitFor({ timeout: 15000 });
    }
    await page.locator('.live-live').waitFor();
    const refetches = [];
    page.on('request', (request) => { if (request.url().includes('/api/v1/charge-points')) refetches.push(request.url()); });

    await charger.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging' });
    const started = await charger.call('StartTransaction', { connectorId: 1, idTag: 'TAG-OK', meterStart: 1000, timestamp: now(-7) });
    assert.equal(started.idTagInfo.status, 'Accepted');
    transactionId = started.transactionId;
    await page.locator(`[data-charge-point="${CP}"]`, { hasText: '1: Charging' }).waitFor({ timeout: 10000 });
    assert.deepEqual(refetches, [], 'the update came through /api/v1/live, not a re-fetch');
    await screenshot(page, 'dashboard');
  });

  test('a remote stop from the charge point page reaches the charger', async () => {
    // Meter values first, so that the graphs have a day of data.
    for (const [minutes, watts, wh] of [[-6, 7200, 1500], [-4, 11000, 1800], [-2, 9000, 2200]]) {
      await charger.call('MeterValues', {
        connectorId: 1, transactionId,
        meterValue: [{ timestamp: now(minutes), sampledValue: [
          { value: String(watts), measurand: 'Power.Active.Import', unit: 'W' },
          { value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
        ] }],
      });
    }
    // The dashboard follows the energy register live: 2200 Wh now, 1000 Wh at the start.
    await page.locator(`[data-charge-point="${CP}"] .session`, { hasText: '1.2 kWh' }).waitFor();
    await go(`#/charge-points/${CP}`, CP);
    await page.getByText(`Transaction ${transactionId}`).waitFor();
    await screenshot(page, 'charge-point-detail');
    await page.getByRole('button', { name: 'Remote stop' }).click();
    await page.getByText('The charger answered: Accepted').waitFor();
    const stop = charger.received.find((call) => call.action === 'RemoteStopTransaction');
    assert.deepEqual(stop?.params, { transactionId });
    await charger.call('StopTransaction', { transactionId, meterStop: 2500, timestamp: now(-1), reason: 'Remote' });
    await charger.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
    await page.locator('[data-connector-status="1"]', { hasText: 'Available' }).waitFor();
  });

  test('configuration keys are read from the charger and changed', async () => {
    await go(`#/charge-points/${CP}`, CP);
    await page.getByRole('button', { name: 'Read from the charger' }).click();
    const heartbeat = page.getByLabel('HeartbeatInterval');
    await heartbeat.fill('120');
    await page.getByRole('row', { name: /HeartbeatInterval/ }).getByRole('button', { name: 'Save' }).click();
    const configuration = page.locator('section', { has: page.getByRole('heading', { name: 'Configuration keys' }) });
    await configuration.getByText('The charger answered: Accepted').waitFor();
    const change = charger.received.find((call) => call.action === 'ChangeConfiguration');
    assert.deepEqual(change?.params, { key: 'HeartbeatInterval', value: '120' });
    assert.equal(await page.getByLabel('NumberOfConnectors').count(), 0, 'a read-only key has no input');
  });

  test('a manual limit is set and cleared on a balanced charger', async () => {
    await go(`#/charge-points/${BALANCED}`, BALANCED);
    const shown = page.locator('[data-manual-limit]');
    await shown.getByText('No manual limit in force.').waitFor();
    await page.getByLabel('Limit (A per phase)').fill('10');
    await page.getByRole('button', { name: 'Set limit' }).click();
    await shown.getByText(/^10 A until .* \(admin\)$/).waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await shown.getByText('No manual limit in force.').waitFor();
  });

  test('a group manual limit is set and cleared on the dashboard', async () => {
    const groupLimitOnServer = async () => (await (await page.request.get(
      new URL(`api/v1/groups/${CIRCUIT}/manual-limit`, linkray.webUrl).href)).json()).manualLimit;
    await go('#/', 'Dashboard');
    const group = page.locator(`[data-group="${CIRCUIT}"]`);
    await group.getByText('Configured limit: 25 / 25 / 20 A').waitFor();
    const shown = group.locator('[data-group-limit]');
    await shown.getByText('No manual limit in force.').waitFor();
    await group.getByLabel('L1 (A)').fill('16');
    await group.getByLabel('L2 (A)').fill('16');
    await group.getByLabel('L3 (A)').fill('10');
    await group.getByRole('button', { name: 'Set limit' }).click();
    await shown.getByText(/^Manual limit: 16 \/ 16 \/ 10 A until .* \(admin\)$/).waitFor();
    const limit = await groupLimitOnServer();
    assert.deepEqual({ groupId: limit.groupId, phaseCurrentsA: limit.phaseCurrentsA, setBy: limit.setBy },
      { groupId: CIRCUIT, phaseCurrentsA: [16, 16, 10], setBy: ADMIN.name });
    assert.ok(Date.parse(limit.expiresAt) > Date.now(), limit.expiresAt);
    await screenshot(page, 'dashboard-group-limit');
    await group.getByRole('button', { name: 'Clear' }).click();
    await shown.getByText('No manual limit in force.').waitFor();
    assert.equal(await groupLimitOnServer(), null);
  });

  test('the charge point list and transactions pages', async () => {
    await go('#/charge-points', 'Charge points');
    await page.getByRole('link', { name: 'SIM-002' }).waitFor();
    await screenshot(page, 'charge-points');
    await go('#/transactions', 'Transactions');
    await page.locator('tbody tr', { hasText: 'TAG-OK' }).first().waitFor();
    await screenshot(page, 'transactions');
  });

  test('CSV export downloads the transactions with a header row', async () => {
    await go('#/transactions', 'Transactions');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv.trim().split('\r\n');
    assert.equal(lines[0], 'id,chargePointId,connectorId,idTag,startedAt,stoppedAt,meterStartWh,meterStopWh,energyWh,stopReason');
    assert.ok(lines.some((line) => line.startsWith(`${transactionId},${CP},1,TAG-OK,`)), csv);
  });

  test('a whitelist entry added in the app authorises the charger', async () => {
    const before = await charger.call('Authorize', { idTag: 'TAG-FROM-UI' });
    assert.equal(before.idTagInfo.status, 'Invalid');
    await go('#/whitelist', 'Whitelist');
    const form = page.getByRole('form', { name: 'Add a tag' });
    await form.getByLabel('Tag (idTag)').fill('TAG-FROM-UI');
    await form.getByLabel('Note').fill('added in the browser test');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-id-tag="TAG-FROM-UI"]').waitFor();
    const afterAdding = await charger.call('Authorize', { idTag: 'TAG-FROM-UI' });
    assert.equal(afterAdding.idTagInfo.status, 'Accepted');
    await screenshot(page, 'whitelist');
  });

  test('with the keyboard alone: log in, open the whitelist, add a tag and edit it', async () => {
    const keyboardUser = await openPage(browser);
    const { keyboard } = keyboardUser;
    await keyboardUser.goto(linkray.webUrl);
    await keyboardUser.getByRole('heading', { name: 'Log in' }).waitFor();
    await tabTo(keyboardUser.getByLabel('User name'));
    await keyboard.type(ADMIN.name);
    await tabTo(keyboardUser.getByLabel('Password', { exact: true }));
    await keyboard.type(ADMIN.password);
    await keyboard.press('Enter');
    await keyboardUser.getByRole('heading', { name: 'Dashboard' }).waitFor();

    const navigation = keyboardUser.getByRole('navigation', { name: 'Main navigation' });
    const whitelistLink = navigation.getByRole('link', { name: 'Whitelist' });
    await tabTo(whitelistLink);
    // The app's own focus ring: thicker than chromium's default 1 px one, which is hard to see on the dark header.
    const focusRing = await whitelistLink.evaluate((element) => {
      const style = getComputedStyle(element);
      return { outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth, boxShadow: style.boxShadow };
    });
    assert.ok((focusRing.outlineStyle !== 'none' && parseFloat(focusRing.outlineWidth) >= 2) || focusRing.boxShadow !== 'none',
      JSON.stringify(focusRing));
    await keyboard.press('Enter');
    await keyboardUser.getByRole('heading', { name: 'Whitelist', exact: true }).waitFor();

    const addForm = keyboardUser.getByRole('form', { name: 'Add a tag' });
    await tabTo(addForm.getByLabel('Tag (idTag)'));
    await keyboard.type('TAG-BY-KEYBOARD');
    await tabTo(addForm.getByLabel('Note'));
    await keyboard.type('typed');
    await keyboard.press('Enter');
    const row = keyboardUser.locator('[data-id-tag="TAG-BY-KEYBOARD"]');
    await row.getByText('typed', { exact: true }).waitFor();

    await tabTo(row.getByRole('button', { name: 'Edit' }));
    await keyboard.press('Space');
    const editForm = keyboardUser.getByRole('form', { name: 'Edit TAG-BY-KEYBOARD' });
    await tabTo(editForm.getByLabel('Note'));
    await keyboard.press('Control+A');
    await keyboard.type('edited with the keyboard');
    await keyboard.press('Enter');
    await row.getByText('edited with the keyboard', { exact: true }).waitFor();
    assert.deepEqual(keyboardUser.consoleErrors, []);
    await keyboardUser.context().close();
  });

  test('the graphs page draws the day of the transaction', async () => {
    await go('#/graphs', 'Graphs');
    const power = page.locator('[data-power-samples]');
    await power.waitFor();
    assert.ok(Number(await power.getAttribute('data-power-samples')) > 0, await power.innerText());
    assert.match(await page.locator('[data-total-energy]').innerText(), /Total: 1\.5 kWh, transactions: 1/);
    assert.equal(await page.locator('.chart canvas').count(), 2);
    await screenshot(page, 'graphs');
  });

  test('users and system pages', async () => {
    await go('#/users', 'Users');
    await page.getByRole('cell', { name: ADMIN.name, exact: false }).first().waitFor();
    await screenshot(page, 'users');
    await go('#/system', 'System');
    await page.locator('[data-version]').waitFor();
    assert.match(await page.locator('[data-version]').innerText(), /^\d+\.\d+\.\d+/);
    await screenshot(page, 'system');
  });

  test('an admin changes the configuration file on the settings page', async () => {
    await go('#/settings', 'Settings');
    await page.getByRole('button', { name: 'Advanced: raw JSON' }).click(); // the forms are tested in settings.test.mjs
    const editor = page.getByLabel('Configuration file (JSON)');
    await editor.waitFor();
    const config = JSON.parse(await editor.inputValue());
    config.ocpp.heartbeatIntervalSeconds = 1234;
    await editor.fill(JSON.stringify(config, null, 2));
    await screenshot(page, 'settings');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('The change takes effect when LinkRay restarts.').waitFor();
    const onDisk = JSON.parse(readFileSync(path.join(linkray.dataDir, 'config.json'), 'utf8'));
    assert.equal(onDisk.ocpp.heartbeatIntervalSeconds, 1234);

    await editor.fill('{ not json');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('This is not valid JSON.').waitFor();
    await go('#/system', 'System'); // where the next test expects to be
  });

  test('on a phone: the dashboard in one column, the menu behind a button', async () => {
    const phone = await openPage(browser, { width: 375, height: 740 });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(linkray.webUrl);
    await phone.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await phone.locator(`[data-charge-point="${CP}"]`).waitFor();
    assert.equal(await phone.getByRole('link', { name: 'Whitelist' }).isVisible(), false);
    await screenshot(phone, 'dashboard-phone');
    await phone.getByRole('button', { name: 'Menu' }).click();
    await phone.getByRole('link', { name: 'Whitelist' }).click();
    await phone.getByRole('heading', { name: 'Whitelist' }).waitFor();
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `the page is ${width} px wide`);
    await phone.context().close();
  });

  test('German, chosen once, stays', async () => {
    await page.getByLabel('Language').selectOption('de');
    await page.getByRole('heading', { name: 'System' }).waitFor();
    await page.reload();
    await page.getByRole('link', { name: 'Übersicht' }).waitFor();
    await page.getByLabel('Sprache').selectOption('en');
  });

  test('page weight and first contentful paint of a first visit', async () => {
    const visitor = await openPage(browser);
    await visitor.goto(linkray.webUrl);
    await visitor.getByRole('heading', { name: 'Log in' }).waitFor();
    const fcp = await eventually(() => visitor.evaluate(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime));
    // Bodies of the page and of everything it fetched (the server does not compress).
    const bytes = await visitor.evaluate(() => [...performance.getEntriesByType('navigation'),
      ...performance.getEntriesByType('resource')].reduce((sum, entry) => sum + entry.encodedBodySize, 0));
    console.log(`first visit: ${bytes} bytes loaded, first contentful paint after ${Math.round(fcp)} ms`);
    assert.ok(bytes > 50 * 1024 && bytes < 300 * 1024, `${bytes} bytes`);
    assert.deepEqual(visitor.consoleErrors, [], 'the login page asks for the session without an error');
    assert.deepEqual(visitor.externalRequests, []);
    await visitor.context().close();
  });

  test('no console errors and no request outside LinkRay on any page', () => {
    assert.equal(page.consoleErrors.filter((text) => wrongPasswordError.test(text)).length, 1, page.consoleErrors.join('\n'));
    assert.deepEqual(page.consoleErrors.filter((text) => !wrongPasswordError.test(text)), []);
    assert.deepEqual(page.externalRequests, []);
  });
});
