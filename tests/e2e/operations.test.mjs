// What an operator does in the web app and what the chargers make of it: commands from the charge point page that
// reach a linkray-sim charger, operator and viewer accounts without the controls above their role, a whitelist CSV
// import that authorises, the app in German; the dashboard's page weight, and no console error throughout.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BOOT, connectChargePoint, eventually } from '../integration/lib/linkray.mjs';
import { openPage } from './browser.mjs';
import { ADMIN, createAdmin, goTo, logIn, screenshot, startSite } from './site.mjs';

const SIM = 'SIM-001';
const OPERATOR = { name: 'oper', password: 'e2e-operator-password' };
const VIEWER = { name: 'watcher', password: 'e2e-viewer-password' };
const GROUP = 'hall'; // a circuit, whose manual limit an operator may set

let site;
let linkray;
let charger; // a strict ocpp-rpc charger, for Authorize
let page;

const go = (hash, heading) => goTo(page, linkray, hash, heading);
const commandAnswer = (status) => page.getByText(`The charger answered: ${status}`);
const connectorStatus = () => page.locator('[data-connector-status="1"]');
const simSaid = (text) => eventually(() => site.simOutput.text.includes(text), { timeoutMs: 10000 });

async function transactionsOf(chargePointId) {
  const response = await page.request.get(new URL(`api/v1/transactions?chargePoint=${chargePointId}`, linkray.webUrl).href);
  return (await response.json()).transactions;
}

async function chargePointOf(id) {
  return (await page.request.get(new URL(`api/v1/charge-points/${id}`, linkray.webUrl).href)).json();
}

// Adds a user with `role` on the users page, as the admin.
async function addUser({ name, password }, role) {
  await go('#/users', 'Users');
  const form = page.locator('form', { has: page.getByRole('heading', { name: 'Add a user' }) });
  await form.getByLabel('User name').fill(name);
  await form.getByLabel('Password').fill(password);
  await form.getByLabel('Role').selectOption(role);
  await form.getByRole('button', { name: 'Add' }).click();
  await page.getByRole('cell', { name, exact: true }).waitFor();
}

// For a user below admin: the navigation has no Users and Settings, their addresses say the role does not allow
// them (ending on the users page), and the API refuses the admin's resources.
async function expectNoAdminPages() {
  const navigation = page.getByRole('navigation', { name: 'Main navigation' });
  await navigation.getByRole('link', { name: 'Whitelist' }).waitFor();
  assert.equal(await navigation.getByRole('link', { name: 'Users' }).count(), 0);
  assert.equal(await navigation.getByRole('link', { name: 'Settings' }).count(), 0);
  for (const hash of ['#/settings', '#/users']) {
    await go('#/', 'Dashboard'); // so that the refusal waited for is this page's
    await page.goto(new URL(hash, linkray.webUrl).href);
    await page.getByText('Your role does not allow this.').waitFor();
  }
  assert.equal(await page.getByRole('heading', { name: 'Add a user' }).count(), 0);
  for (const address of ['api/v1/users', 'api/v1/config']) {
    const response = await page.request.get(new URL(address, linkray.webUrl).href);
    assert.equal(response.status(), 403, `GET ${address}`);
  }
}

// Logs out from the dashboard, where the next login lands.
async function logOut() {
  await go('#/', 'Dashboard');
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
}

describe('operations in the web app', () => {
  before(async () => {
    site = await startSite({ simCount: 1, config: { site: { groups: [{ id: GROUP, phaseLimitA: 32 }] } } });
    linkray = site.linkray;
    await createAdmin(linkray);
    charger = await connectChargePoint(linkray, 'CP-OPS');
    await charger.call('BootNotification', BOOT);
    page = await openPage(site.browser);
    await page.goto(linkray.webUrl);
    await logIn(page, ADMIN);
  });

  after(async () => {
    await charger?.close({ force: true });
    await site?.stop();
  });

  test('a remote start from the charge point page starts a transaction on the charger', async () => {
    await go(`#/charge-points/${SIM}`, SIM);
    await connectorStatus().getByText('Available', { exact: true }).waitFor({ timeout: 15000 });
    await page.getByLabel('Tag (idTag)').fill('TAG-OK');
    await page.getByRole('button', { name: 'Remote start' }).click();
    await commandAnswer('Accepted').waitFor();
    await simSaid(`${SIM}: started transaction`);
    await connectorStatus().getByText('Charging').waitFor();
    const [started] = await transactionsOf(SIM);
    assert.equal(started.idTag, 'TAG-OK');
    await page.getByText(`Transaction ${started.id} (TAG-OK, Connector 1)`).waitFor();
    await screenshot(page, 'charge-point-remote-start');
  });

  test('unlocking the connector ends the transaction', async () => {
    await page.getByRole('button', { name: 'Unlock connector' }).click();
    await commandAnswer('Unlocked').waitFor();
    await simSaid('(UnlockCommand)');
    await page.getByRole('button', { name: 'Remote stop' }).waitFor({ state: 'detached' });
    await connectorStatus().getByText('Available', { exact: true }).waitFor();
    const [stopped] = await transactionsOf(SIM);
    assert.equal(stopped.active, false);
    assert.equal(stopped.stopReason, 'UnlockCommand');
  });

  test('changing the availability makes the connector unavailable and available again', async () => {
    await page.getByLabel('Availability').selectOption('Inoperative');
    await page.getByRole('button', { name: 'Change availability' }).click();
    await commandAnswer('Accepted').waitFor();
    await connectorStatus().getByText('Unavailable').waitFor();
    await screenshot(page, 'charge-point-unavailable');
    await page.getByLabel('Availability').selectOption('Operative');
    await page.getByRole('button', { name: 'Change availability' }).click();
    await connectorStatus().getByText('Available', { exact: true }).waitFor();
  });

  test('a reset reboots the charger: it boots again', async () => {
    const bootedBefore = (await chargePointOf(SIM)).lastBootAt;
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await commandAnswer('Accepted').waitFor();
    await simSaid('SoftReset: rebooting');
    const bootedAgain = await eventually(async () => {
      const lastBootAt = (await chargePointOf(SIM)).lastBootAt;
      return lastBootAt !== bootedBefore && lastBootAt;
    }, { timeoutMs: 10000 });
    // The page follows the new BootNotification live.
    const shown = await page.evaluate((time) => new Date(time).toLocaleString('en'), bootedAgain);
    await page.locator('dl.facts dt:has-text("Last boot") + dd', { hasText: shown }).waitFor();
  });

  test('an operator made by the admin lacks the admin\'s controls, and the API refuses them', async () => {
    await addUser(OPERATOR, 'operator');
    await logOut();
    await logIn(page, OPERATOR);
    assert.match(await page.locator('.user').innerText(), /oper \(operator\)/);
    await expectNoAdminPages();
    await screenshot(page, 'users-as-operator');
    // What an operator may do is there: the commands, and a group's manual limit on the dashboard.
    await go(`#/charge-points/${SIM}`, SIM);
    await page.getByRole('heading', { name: 'Commands' }).waitFor();
    await go('#/', 'Dashboard');
    await page.locator(`[data-group="${GROUP}"]`).getByRole('button', { name: 'Set limit' }).waitFor();
    await logOut();
    await logIn(page, ADMIN);
  });

  test('a viewer sees the group limits read-only and no operator\'s or admin\'s controls', async () => {
    // A manual limit in force, set by the admin, for the viewer to read.
    const group = page.locator(`[data-group="${GROUP}"]`);
    const manualLimit = group.getByText(/^Manual limit: 20 \/ 20 \/ 16 A until .* \(admin\)$/);
    await go('#/', 'Dashboard');
    for (const [phase, amperes] of [['L1', '20'], ['L2', '20'], ['L3', '16']]) {
      await group.getByLabel(`${phase} (A)`).fill(amperes);
    }
    await group.getByRole('button', { name: 'Set limit' }).click();
    await manualLimit.waitFor();
    await addUser(VIEWER, 'viewer');
    await logOut();
    await logIn(page, VIEWER);
    assert.match(await page.locator('.user').innerText(), /watcher \(viewer\)/);

    await group.getByText('Configured limit: 32 / 32 / 32 A').waitFor();
    await manualLimit.waitFor();
    assert.equal(await group.getByRole('button').count(), 0, 'neither Set limit nor Clear');
    assert.equal(await group.locator('form, input').count(), 0, 'no form to set one');
    await screenshot(page, 'dashboard-viewer');

    await go('#/whitelist', 'Whitelist');
    await page.locator('[data-id-tag="TAG-OK"]').waitFor();
    await page.getByRole('link', { name: 'Export CSV' }).waitFor();
    assert.equal(await page.getByRole('form', { name: 'Add a tag' }).count(), 0);
    assert.equal(await page.getByRole('heading', { name: 'Import CSV' }).count(), 0);
    assert.equal(await page.locator('main').getByRole('button').count(), 0, 'no Edit or Delete');
    await go(`#/charge-points/${SIM}`, SIM);
    await connectorStatus().waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Commands' }).count(), 0);
    await expectNoAdminPages();

    await logOut();
    await logIn(page, ADMIN);
    await group.getByRole('button', { name: 'Clear' }).click();
    await group.getByText('No manual limit in force.').waitFor();
  });

  test('tags imported from a CSV file in the app authorise the charger', async () => {
    assert.equal((await charger.call('Authorize', { idTag: 'CSV-TAG-1' })).idTagInfo.status, 'Invalid');
    await go('#/whitelist', 'Whitelist');
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Import CSV' }) });
    await form.getByLabel('CSV file').setInputFiles({
      name: 'tags.csv', mimeType: 'text/csv',
      buffer: Buffer.from('idTag,status,note\r\nCSV-TAG-1,Accepted,from a file\r\nCSV-TAG-2,Blocked,\r\n'),
    });
    await form.getByRole('button', { name: 'Import' }).click();
    await form.getByText('Imported').waitFor();
    await page.locator('[data-id-tag="CSV-TAG-1"]', { hasText: 'from a file' }).waitFor();
    await page.locator('[data-id-tag="CSV-TAG-2"]', { hasText: 'Blocked' }).waitFor();
    // Merged: the tags of the configuration stay.
    await page.locator('[data-id-tag="TAG-OK"]').waitFor();
    await screenshot(page, 'whitelist-imported');
    assert.equal((await charger.call('Authorize', { idTag: 'CSV-TAG-1' })).idTagInfo.status, 'Accepted');
    assert.equal((await charger.call('Authorize', { idTag: 'CSV-TAG-2' })).idTagInfo.status, 'Blocked');
  });

  test('in German, the main pages speak German', async () => {
    await go('#/', 'Dashboard');
    await page.getByLabel('Language').selectOption('de');
    // Each page's heading and a text of its own, by exact text.
    const germanPages = [
      ['#/', 'Übersicht', 'Ladepunkte', 'de-dashboard'],
      ['#/charge-points', 'Ladepunkte', 'Zustand', 'de-charge-points'],
      [`#/charge-points/${SIM}`, SIM, 'Befehle', 'de-charge-point-detail'],
      ['#/transactions', 'Ladevorgänge', 'CSV exportieren', 'de-transactions'],
      ['#/graphs', 'Diagramme', 'Energie pro Tag', 'de-graphs'],
      ['#/whitelist', 'Freigabeliste', 'CSV importieren', 'de-whitelist'],
      ['#/users', 'Benutzer', 'Benutzer hinzufügen', 'de-users'],
      ['#/events', 'Ereignisse', 'Art', 'de-events'],
      ['#/system', 'System', 'Laufzeit', 'de-system'],
    ];
    for (const [hash, heading, text, name] of germanPages) {
      await go(hash, heading);
      await page.locator('main').getByText(text, { exact: true }).first().waitFor();
      assert.equal(await page.getByRole('link', { name: 'Übersicht' }).count(), 1, hash);
      assert.equal(await page.getByRole('link', { name: 'Dashboard' }).count(), 0, hash);
      await screenshot(page, name);
    }
    await page.getByLabel('Sprache').selectOption('en');
    await page.getByRole('link', { name: 'Dashboard' }).waitFor();
  });

  test('logging out cancels the dashboard\'s requests still on their way, so none comes back refused', async () => {
    const visitor = await openPage(site.browser);
    await visitor.goto(linkray.webUrl);
    await logIn(visitor, ADMIN);
    // Away from the dashboard first, so that every request held below is one the dashboard asks after this point,
    // in this document (a reload would cancel a request of the old one before the logout could).
    await goTo(visitor, linkray, '#/charge-points', 'Charge points');
    const outcomes = new Map();
    visitor.on('requestfinished', (request) => outcomes.set(request, 'answered'));
    visitor.on('requestfailed', (request) => outcomes.set(request, 'cancelled'));
    // The group's manual limit is held back until the logout has been answered, as a slow server would.
    let release;
    const released = new Promise((resolve) => { release = resolve; });
    const held = [];
    await visitor.route(`**/api/v1/groups/${GROUP}/manual-limit`, async (route) => {
      held.push(route.request());
      await released;
      await route.continue().catch(() => undefined); // fails once the page has cancelled the request
    });
    await goTo(visitor, linkray, '#/', 'Dashboard');
    await eventually(() => held.length > 0);
    await visitor.getByRole('button', { name: 'Log out' }).click();
    await visitor.getByRole('heading', { name: 'Log in' }).waitFor();
    release();
    await eventually(() => held.every((request) => outcomes.has(request)));
    assert.deepEqual(held.map((request) => outcomes.get(request)), held.map(() => 'cancelled'));
    assert.deepEqual(visitor.consoleErrors, []);
    await visitor.context().close();
  });

  test('page weight and first contentful paint of the dashboard, logged in', async () => {
    const visitor = await openPage(site.browser);
    await visitor.context().addCookies(await page.context().cookies());
    await visitor.goto(linkray.webUrl);
    await visitor.locator(`[data-charge-point="${SIM}"]`).waitFor();
    const fcp = await eventually(() => visitor.evaluate(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime));
    const bytes = await visitor.evaluate(() => [...performance.getEntriesByType('navigation'),
      ...performance.getEntriesByType('resource')].reduce((sum, entry) => sum + entry.encodedBodySize, 0));
    console.log(`dashboard, logged in: ${bytes} bytes loaded, first contentful paint after ${Math.round(fcp)} ms`);
    assert.ok(bytes < 300 * 1024, `${bytes} bytes`);
    assert.deepEqual(visitor.consoleErrors, []);
    await visitor.context().close();
  });

  test('no console error and no request outside LinkRay on any page', () => {
    assert.deepEqual(page.consoleErrors, []);
    assert.deepEqual(page.externalRequests, []);
  });
});
