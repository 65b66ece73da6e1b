// The settings forms against the real linkray: a site limit saved through its form, a refused value shown next to its
// field, a group and a charger's place in it, the meter test read against linkray-sim's Modbus meter, the CSMS and
// Security tabs (a secret is never shown back), and the composite schedule of a linkray-sim charger.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { eventually } from '../integration/lib/linkray.mjs';
import { openPage } from './browser.mjs';
import { ADMIN, createAdmin, goTo, logIn, screenshot, startSite } from './site.mjs';

const SIM = 'SIM-001';
// The password LinkRay would give the CSMS for SIM: in the file, never on a page.
const CSMS_PASSWORD = 'sim-csms-secret-7d1c5e0a';

let site;
let linkray;
let page;
let meterPort;

const go = (hash, heading) => goTo(page, linkray, hash, heading);
const configOnServer = async () =>
  (await (await page.request.get(new URL('api/v1/config', linkray.webUrl).href)).json()).config;
// The field labelled `label` on the settings page, with the server's reason under it.
const settingField = (label) => page.locator('label.field', { hasText: label });
const configOnDisk = () => JSON.parse(readFileSync(path.join(linkray.dataDir, 'config.json'), 'utf8'));
const save = () => page.getByRole('button', { name: 'Save', exact: true }).click();
const savedForRestart = () => page.getByText('Saved. The change takes effect when LinkRay restarts.').waitFor();
// A fresh form, without what an earlier test typed, on the settings tab `tab`.
async function openSettingsTab(tab) {
  await go('#/', 'Dashboard');
  await go('#/settings', 'Settings');
  await page.getByRole('button', { name: tab, exact: true }).click();
}

// linkray-sim's meter cannot listen on port 0: borrow a free port and let it go again.
async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('settings', () => {
  before(async () => {
    meterPort = await freePort();
    site = await startSite({
      // Balanced, so that the charger holds LinkRay's profile: its limit, then the fail-safe 16 A after 900 s.
      config: { chargePoints: [{ id: SIM, balancing: { enabled: true, maxCurrentA: 20 }, csms: { credentials: 'configured', password: CSMS_PASSWORD } }] },
      simCount: 1,
      simArgs: ['--meter-port', String(meterPort), '--base-load-a', '20,15,10'],
    });
    linkray = site.linkray;
    await createAdmin(linkray);
    page = await openPage(site.browser);
    await page.goto(linkray.webUrl);
    await logIn(page, ADMIN);
  });

  after(async () => {
    await site?.stop();
  });

  test('the site phase limit changed in its form is saved', async () => {
    await go('#/settings', 'Settings');
    await settingField('Phase limit (A)').getByRole('textbox').fill('40');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved. The change takes effect when LinkRay restarts.').waitFor();
    assert.equal((await configOnServer()).site.phaseLimitA, 40);
    await screenshot(page, 'settings-site');
  });

  test("a refused value shows the server's reason next to its field", async () => {
    await go('#/settings', 'Settings');
    await settingField('Phase limit (A)').getByRole('textbox').fill('0');
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/api/v1/config') && response.request().method() === 'PUT'),
      page.getByRole('button', { name: 'Save', exact: true }).click(),
    ]);
    assert.equal(answer.status(), 400);
    const refusal = (await answer.json()).fields.find((field) => field.field === 'site.phaseLimitA');
    assert.ok(refusal, 'the server names site.phaseLimitA');
    await settingField('Phase limit (A)').locator('.field-error').getByText(refusal.reason, { exact: true }).waitFor();
    assert.equal((await configOnServer()).site.phaseLimitA, 40, 'nothing was saved');
    await screenshot(page, 'settings-refused');
  });

  test('a group added in its form, with a charger in it and a priority, is saved', async () => {
    await go('#/', 'Dashboard'); // a fresh form, without the refused value
    await go('#/settings', 'Settings');
    await page.getByRole('button', { name: 'Groups and priorities' }).click();
    await page.getByRole('button', { name: 'Add a group' }).click();
    const charger = page.locator(`[data-balancing="${SIM}"]`);
    await charger.getByLabel(/^Group/).selectOption('group-1');
    await charger.getByLabel('Priority').fill('5');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved. The change takes effect when LinkRay restarts.').waitFor();
    const config = await configOnServer();
    assert.deepEqual(config.site.groups, [{ id: 'group-1', phaseLimitA: 32 }]);
    const { group, priority } = config.chargePoints[0].balancing;
    assert.deepEqual({ group, priority }, { group: 'group-1', priority: 5 });
    await screenshot(page, 'settings-groups');
  });

  test("the meter test read shows a reading of linkray-sim's Modbus meter", async () => {
    await eventually(() => site.simOutput.text.includes('site meter'), { timeoutMs: 10000 });
    await go('#/settings', 'Settings');
    await page.getByRole('button', { name: 'Meter', exact: true }).click();
    await page.getByLabel('Meter type').selectOption('modbus-tcp');
    await page.getByLabel('Register map').selectOption('eastron-sdm630');
    await page.getByLabel('Host').fill('127.0.0.1');
    await settingField('Port').getByRole('textbox').fill(String(meterPort));
    await page.getByRole('button', { name: 'Test read' }).click();
    const reading = page.locator('[data-meter-reading]');
    await reading.waitFor();
    assert.deepEqual(await reading.getByRole('row', { name: /^Current/ }).getByRole('cell').allInnerTexts(), ['20 A', '15 A', '10 A']);
    assert.equal(await reading.locator('[data-total-power]').innerText(), '10,350 W'); // 45 A at 230 V
    await screenshot(page, 'settings-meter');
    assert.equal((await configOnServer()).meter?.type ?? 'none', 'none', 'a test read saves nothing');
  });

  test("the CSMS tab saves the site's URL and a charger's own, and keeps the masked password", async () => {
    await openSettingsTab('CSMS');
    const charger = page.locator('.row', { has: page.getByRole('heading', { name: SIM }) });
    const password = charger.getByLabel('Password at the CSMS');
    assert.equal(await password.getAttribute('type'), 'password');
    assert.equal(await password.inputValue(), '********');
    assert.ok(!(await page.content()).includes(CSMS_PASSWORD), 'the password is not in the page');
    await settingField('CSMS URL').first().getByRole('textbox').fill('wss://csms.example/ocpp');
    await charger.getByLabel('CSMS URL').fill('wss://tenant.example/ocpp');
    await screenshot(page, 'settings-csms');
    await save();
    await savedForRestart();
    const config = await configOnServer();
    assert.equal(config.csms.url, 'wss://csms.example/ocpp');
    assert.deepEqual(config.chargePoints[0].csms,
      { url: 'wss://tenant.example/ocpp', credentials: 'configured', password: '********' });
    assert.equal(configOnDisk().chargePoints[0].csms.password, CSMS_PASSWORD, 'the masked password was kept');
    assert.equal(await password.inputValue(), '********', 'the saved form shows the mask again');
  });

  test('an invalid CSMS URL is refused under its field', async () => {
    await openSettingsTab('CSMS');
    await settingField('CSMS URL').first().getByRole('textbox').fill('http://csms.example/ocpp');
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/api/v1/config') && response.request().method() === 'PUT'),
      save(),
    ]);
    assert.equal(answer.status(), 400);
    const refusal = (await answer.json()).fields.find((field) => field.field === 'csms.url');
    assert.ok(refusal, 'the server names csms.url');
    await settingField('CSMS URL').first().locator('.field-error').getByText(refusal.reason, { exact: true }).waitFor();
    assert.equal((await configOnServer()).csms.url, 'wss://csms.example/ocpp', 'nothing was saved');
    await screenshot(page, 'settings-csms-refused');
  });

  test('the Security tab saves the OCPP server settings and shows no secret', async () => {
    await openSettingsTab('Security and web');
    await page.getByLabel('Unknown charge points').selectOption('pending');
    await page.getByLabel('Strict OCPP validation').check();
    await settingField('Path prefix').getByRole('textbox').fill('/ocpp16');
    assert.ok(!(await page.content()).includes(CSMS_PASSWORD), 'the password is not in the page');
    await screenshot(page, 'settings-security');
    await save();
    await savedForRestart();
    const { ocpp } = await configOnServer();
    assert.deepEqual({ unknownChargePoints: ocpp.unknownChargePoints, strict: ocpp.strict, pathPrefix: ocpp.pathPrefix },
      { unknownChargePoints: 'pending', strict: true, pathPrefix: '/ocpp16' });
    assert.equal(configOnDisk().ocpp.unknownChargePoints, 'pending');
  });

  test('the charging schedule panel shows the composite schedule of a simulated charger', async () => {
    const applied = await eventually(async () => (await (await page.request.get(
      new URL(`api/v1/charge-points/${SIM}`, linkray.webUrl).href)).json()).appliedLimit, { timeoutMs: 15000, intervalMs: 200 });
    await go(`#/charge-points/${SIM}`, SIM);
    await page.locator('[data-connector-status="1"]').waitFor({ timeout: 15000 });
    await page.getByLabel('Duration (s)').fill('1800');
    await page.getByRole('button', { name: 'Ask the charger' }).click();
    const panel = page.locator('[data-schedule-periods]');
    await panel.waitFor();
    assert.equal(await panel.getAttribute('data-schedule-periods'), '2');
    const limits = await panel.locator('tbody tr td:nth-child(2)').allInnerTexts();
    // The balancer's limit (0 A while no car charges) now, the fail-safe 16 A from 900 s after the profile's start.
    assert.deepEqual(limits, [`${applied.limit} A`, '16 A']);
    assert.equal(await panel.locator('.chart canvas').count(), 1);
    await screenshot(page, 'charge-point-schedule');
  });

  test('no console errors on these pages', () => {
    // The refused saves (400) are expected.
    const expected = /status of 400 .*\/api\/v1\/config\)$/;
    assert.deepEqual(page.consoleErrors.filter((text) => !expected.test(text)), []);
    assert.deepEqual(page.externalRequests, []);
  });
});
