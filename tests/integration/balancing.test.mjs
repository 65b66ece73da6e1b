// Load balancing end to end: the real linkray reads a pymodbus site meter (Modbus TCP, SDM630 map) and limits strict
// ocpp-rpc charge points with its own ChargePointMaxProfile as the site's base load rises and falls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BOOT, LinkRay, connectChargePoint, eventually, testConfig } from './lib/linkray.mjs';
import { ModbusMeter } from './lib/modbusmeter.mjs';

const CHARGERS = ['CP-LB-1', 'CP-LB-2'];
const EV_DRAW_A = 16;

let meter;
let linkray;
const chargers = {};

// The meter sees the house (base load) plus what the two cars draw, on every phase.
function siteCurrents(baseA) {
  const perPhase = baseA + EV_DRAW_A * CHARGERS.length;
  return { voltageL1: 230, voltageL2: 230, voltageL3: 230, currentL1: perPhase, currentL2: perPhase, currentL3: perPhase };
}

// The meter serves `baseA` of house load plus the cars' draw.
async function startMeter(baseA) {
  const started = await ModbusMeter.start(siteCurrents(baseA));
  started.setBase = (newBaseA) => started.setValuesJson(JSON.stringify(siteCurrents(newBaseA)));
  return started;
}

// Sets up `linkray`'s first user (an admin) and returns a fetch of its API with that session, for `linkray` and the
// same data directory after a restart (sessions are stored).
async function firstUserApi(linkray) {
  const setup = await fetch(new URL('api/v1/setup', linkray.webUrl), {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'operator', password: 'a-long-enough-password' }),
  });
  assert.equal(setup.status, 201);
  const headers = { Cookie: setup.headers.get('set-cookie').split(';')[0], 'Content-Type': 'application/json',
                    'X-CSRF-Token': (await setup.json()).csrfToken };
  return (target, apiPath, init = {}) => fetch(new URL(apiPath, target.webUrl), { headers, ...init });
}

// Each balanced charger's target limit in the site status, by id, through `api` (firstUserApi).
const targetLimits = (api) => async (linkray) => Object.fromEntries(
  (await (await api(linkray, 'api/v1/site')).json()).balancing.map((charger) => [charger.chargePointId, charger.targetLimit]));

// Strict chargers that accept every profile, booted, with a car charging on connector 1.
async function connectCharging(linkray, ids) {
  const connected = [];
  for (const id of ids) {
    const cp = await connectChargePoint(linkray, id, { handlers: { SetChargingProfile: () => ({ status: 'Accepted' }) } });
    connected.push(cp);
    await cp.call('BootNotification', BOOT);
    await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging' });
  }
  return connected;
}

const latestLimit = (id) => {
  const profiles = chargers[id].profiles;
  return profiles.length ? profiles.at(-1).csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit : undefined;
};

before(async () => {
  meter = await startMeter(4);
  linkray = await LinkRay.start(testConfig({
    site: { phaseLimitA: 40, safetyMarginA: 0, failSafeLimitA: 12,
            control: { increaseDelaySeconds: 1, rampStepA: 80 } },
    meter: { type: 'modbus-tcp', model: 'eastron-sdm630', host: '127.0.0.1', port: meter.port, pollIntervalSeconds: 0.2 },
    chargePoints: CHARGERS.map((id) => ({ id, balancing: { enabled: true, maxCurrentA: 32 } })),
  }));
  for (const id of CHARGERS) {
    const profiles = [];
    const cp = await connectChargePoint(linkray, id, {
      handlers: { SetChargingProfile: (params) => { profiles.push(params); return { status: 'Accepted' }; } },
    });
    cp.profiles = profiles;
    chargers[id] = cp;
    await cp.call('BootNotification', BOOT);
    await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging', timestamp: new Date().toISOString() });
    await cp.call('MeterValues', { connectorId: 1, meterValue: [{ timestamp: new Date().toISOString(), sampledValue:
      ['L1', 'L2', 'L3'].map((phase) => ({ value: String(EV_DRAW_A), measurand: 'Current.Import', phase, unit: 'A' })) }] });
  }
});

after(async () => {
  for (const cp of Object.values(chargers)) await cp.close();
  assert.equal(await linkray.stop(), 0);
  linkray.removeData();
  await meter.stop();
});

test('each balanced charger gets LinkRay\'s own ChargePointMaxProfile with a fail-safe period', async () => {
  for (const id of CHARGERS) {
    await eventually(() => chargers[id].profiles.length > 0);
    const request = chargers[id].profiles.at(-1);
    assert.equal(request.connectorId, 0);
    const profile = request.csChargingProfiles;
    assert.equal(profile.chargingProfilePurpose, 'ChargePointMaxProfile');
    assert.equal(profile.chargingProfileId, 90210);
    assert.equal(profile.stackLevel, 8);
    assert.equal(profile.chargingSchedule.chargingRateUnit, 'A');
    const periods = profile.chargingSchedule.chargingSchedulePeriod;
    assert.equal(periods.length, 2);
    assert.equal(periods[1].startPeriod, 900);
    assert.ok(periods[1].limit <= 6, `fail-safe share ${periods[1].limit} A`);
  }
  // 40 A per phase, 4 A of house load: 36 A shared by two cars.
  await eventually(() => CHARGERS.every((id) => latestLimit(id) === 18), { timeoutMs: 10000 });
});

test('a rising base load lowers the limits at once, a falling one raises them after the delay', async () => {
  meter.setBase(20); // room for cars: 40 - 20 = 20 A, 10 A each
  await eventually(() => CHARGERS.every((id) => latestLimit(id) === 10), { timeoutMs: 5000 });
  const loweredAt = Date.now();
  meter.setBase(4);
  await eventually(() => CHARGERS.every((id) => latestLimit(id) === 18), { timeoutMs: 10000 });
  assert.ok(Date.now() - loweredAt >= 1000, 'the increase waited for increaseDelaySeconds');
});

test('the site status shows the meter\'s load per phase and what each charger draws', async () => {
  const api = await firstUserApi(linkray);
  const site = await (await api(linkray, 'api/v1/site')).json();
  const perPhase = siteCurrents(4).currentL1;
  assert.deepEqual(site.loadA, [perPhase, perPhase, perPhase]);
  for (const id of CHARGERS)
    assert.equal(site.balancing.find((charger) => charger.chargePointId === id).measuredDraw, EV_DRAW_A);
});

test('a meter that stops answering brings every charger down to its fail-safe share', async () => {
  await meter.stop();
  // failSafeLimitA 12 A shared by two chargers: 6 A each, the AC minimum.
  await eventually(() => CHARGERS.every((id) => latestLimit(id) === 6), { timeoutMs: 5000 });
  // The stored limit follows the charger's Accepted answer, which LinkRay reads after the charger has the profile.
  const storedLimit = () => linkray.query("select applied_limit, applied_limit_unit from charge_points where id = 'CP-LB-1'")[0];
  await eventually(() => storedLimit().applied_limit === 6, { timeoutMs: 5000 });
  assert.deepEqual(storedLimit(), { applied_limit: 6, applied_limit_unit: 'A' });
});

test("an operator's manual limit set through the API caps its charger, gives the rest to another, and survives a restart", async () => {
  const ids = ['CP-LB-M1', 'CP-LB-M2'];
  const config = testConfig({
    site: { phaseLimitA: 32, safetyMarginA: 0, control: { increaseDelaySeconds: 1, rampStepA: 80 } },
    chargePoints: ids.map((id) => ({ id, balancing: { enabled: true, maxCurrentA: 32 } })),
  });
  let ownLinkray = await LinkRay.start(config);
  try {
    const api = await firstUserApi(ownLinkray);
    const targets = targetLimits(api);
    const connected = await connectCharging(ownLinkray, ids);
    await eventually(async () => (await targets(ownLinkray))['CP-LB-M1'] === 16, { timeoutMs: 10000 });

    const manualLimit = 'api/v1/charge-points/CP-LB-M1/manual-limit';
    const expiresAt = new Date(Date.now() + 3600 * 1000).toISOString();
    const set = await api(ownLinkray, manualLimit, { method: 'PUT', body: JSON.stringify({ limitA: 10, expiresAt }) });
    assert.equal(set.status, 200);
    await eventually(async () => {
      const now = await targets(ownLinkray);
      return now['CP-LB-M1'] === 10 && now['CP-LB-M2'] === 22;
    }, { timeoutMs: 10000 });
    const sentLimit = (cp) => cp.received.filter((r) => r.action === 'SetChargingProfile')
      .at(-1)?.params.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit;
    await eventually(() => sentLimit(connected[0]) === 10 && sentLimit(connected[1]) === 22, { timeoutMs: 10000 });
    for (const cp of connected) await cp.close();

    assert.equal(await ownLinkray.stop(), 0);
    ownLinkray = await LinkRay.start(config, { dataDir: ownLinkray.dataDir });
    const kept = await api(ownLinkray, manualLimit);
    assert.equal(kept.status, 200);
    assert.equal((await kept.json()).manualLimit.limitA, 10);
    await eventually(async () => {
      const now = await targets(ownLinkray);
      return now['CP-LB-M1'] === 10 && now['CP-LB-M2'] === 22;
    }, { timeoutMs: 10000 });

    assert.equal((await api(ownLinkray, manualLimit, { method: 'DELETE' })).status, 204);
    assert.deepEqual(await (await api(ownLinkray, manualLimit)).json(), { manualLimit: null });
    await eventually(async () => (await targets(ownLinkray))['CP-LB-M1'] === 16, { timeoutMs: 10000 });
  } finally {
    await ownLinkray.stop();
    ownLinkray.removeData();
  }
});

test("an operator's group limit set through the API lowers the group's chargers only, and survives a restart", async () => {
  const config = testConfig({
    site: { phaseLimitA: 40, safetyMarginA: 0, control: { increaseDelaySeconds: 1, rampStepA: 80 },
            groups: [{ id: 'carport', phaseLimitA: 32 }] },
    chargePoints: [{ id: 'CP-LB-G1', balancing: { enabled: true, maxCurrentA: 32, group: 'carport' } },
                   { id: 'CP-LB-G2', balancing: { enabled: true, maxCurrentA: 32 } }],
  });
  let ownLinkray = await LinkRay.start(config);
  try {
    const api = await firstUserApi(ownLinkray);
    const targets = targetLimits(api);
    const connected = await connectCharging(ownLinkray, ['CP-LB-G1', 'CP-LB-G2']);
    await eventually(async () => (await targets(ownLinkray))['CP-LB-G1'] === 20, { timeoutMs: 10000 });

    const groupLimit = 'api/v1/groups/carport/manual-limit';
    const expiresAt = new Date(Date.now() + 3600 * 1000).toISOString();
    const set = await api(ownLinkray, groupLimit,
      { method: 'PUT', body: JSON.stringify({ phaseCurrentsA: [12, 16, 16], expiresAt }) });
    assert.equal(set.status, 200);
    assert.equal((await set.json()).groupId, 'carport');
    // The carport's 3-phase charger is held by its lowest phase; the rest of the site goes to the other one.
    await eventually(async () => {
      const now = await targets(ownLinkray);
      return now['CP-LB-G1'] === 12 && now['CP-LB-G2'] === 28;
    }, { timeoutMs: 10000 });
    for (const cp of connected) await cp.close();

    assert.equal(await ownLinkray.stop(), 0);
    ownLinkray = await LinkRay.start(config, { dataDir: ownLinkray.dataDir });
    const kept = await api(ownLinkray, groupLimit);
    assert.equal(kept.status, 200);
    assert.deepEqual((await kept.json()).manualLimit.phaseCurrentsA, [12, 16, 16]);
    await eventually(async () => (await targets(ownLinkray))['CP-LB-G1'] === 12, { timeoutMs: 10000 });

    assert.equal((await api(ownLinkray, groupLimit, { method: 'DELETE' })).status, 204);
    assert.deepEqual(await (await api(ownLinkray, groupLimit)).json(), { manualLimit: null });
    assert.equal((await api(ownLinkray, 'api/v1/groups/nowhere/manual-limit')).status, 404);
  } finally {
    await ownLinkray.stop();
    ownLinkray.removeData();
  }
});

// LinkRay on a 32 A site whose one charger `id` is limited with TxProfiles.
const startTxProfileSite = (id) => LinkRay.start(testConfig({
  site: { phaseLimitA: 32, safetyMarginA: 0, control: { increaseDelaySeconds: 1, rampStepA: 80 } },
  chargePoints: [{ id, balancing: { enabled: true, maxCurrentA: 32, profilePurpose: 'TxProfile', rateUnit: 'A' } }],
}));

test('a charger configured with TxProfile gets LinkRay\'s limit as a TxProfile for its running transaction', async () => {
  const id = 'CP-LB-TX';
  const ownLinkray = await startTxProfileSite(id);
  try {
    const cp = await connectChargePoint(ownLinkray, id, { handlers: { SetChargingProfile: () => ({ status: 'Accepted' }) } });
    await cp.call('BootNotification', BOOT);
    await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing' });
    const started = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-OK', meterStart: 0, timestamp: new Date().toISOString() });
    await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging' });
    const profiles = () => cp.received.filter((r) => r.action === 'SetChargingProfile').map((r) => r.params);
    await eventually(() => profiles().at(-1)?.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit === 32,
      { timeoutMs: 10000 });
    // Every one of them, the first too: nothing went out before the transaction (OCPP has no TxProfile without one).
    for (const request of profiles()) {
      assert.equal(request.connectorId, 1);
      assert.equal(request.csChargingProfiles.chargingProfilePurpose, 'TxProfile');
      assert.equal(request.csChargingProfiles.transactionId, started.transactionId);
    }
    await cp.close();
  } finally {
    await ownLinkray.stop();
    ownLinkray.removeData();
  }
});

test('two transactions on one TxProfile charger each get a TxProfile of their own, with their connector\'s share', async () => {
  const id = 'CP-LB-TX2';
  const ownLinkray = await startTxProfileSite(id);
  try {
    const cp = await connectChargePoint(ownLinkray, id, { handlers: { SetChargingProfile: () => ({ status: 'Accepted' }) } });
    await cp.call('BootNotification', BOOT);
    const transactions = {};
    for (const connectorId of [1, 2]) {
      await cp.call('StatusNotification', { connectorId, errorCode: 'NoError', status: 'Preparing' });
      transactions[connectorId] = (await cp.call('StartTransaction',
        { connectorId, idTag: 'TAG-OK', meterStart: 0, timestamp: new Date().toISOString() })).transactionId;
      await cp.call('StatusNotification', { connectorId, errorCode: 'NoError', status: 'Charging' });
    }
    assert.notEqual(transactions[1], transactions[2]);
    const latestOn = (connectorId) => cp.received.filter((r) => r.action === 'SetChargingProfile')
      .map((r) => r.params).filter((request) => request.connectorId === connectorId).at(-1);
    // 32 A shared by the two cars of the charger: 16 A each, each on its own transaction.
    await eventually(() => [1, 2].every((connectorId) =>
      latestOn(connectorId)?.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit === 16), { timeoutMs: 10000 });
    for (const connectorId of [1, 2]) {
      const profile = latestOn(connectorId).csChargingProfiles;
      assert.equal(profile.chargingProfilePurpose, 'TxProfile');
      assert.equal(profile.transactionId, transactions[connectorId]);
    }
    assert.notEqual(latestOn(1).csChargingProfiles.chargingProfileId, latestOn(2).csChargingProfiles.chargingProfileId);
    await cp.close();
  } finally {
    await ownLinkray.stop();
    ownLinkray.removeData();
  }
});
