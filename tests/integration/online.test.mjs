// Online mode: LinkRay between strict OCPP 1.6 charge points and a strict OCPP 1.6 CSMS (both npm ocpp-rpc).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BOOT, LinkRay, connectChargePoint, connectRaw, eventually, hashPassword, onlineConfig } from './lib/linkray.mjs';
import { Csms } from './lib/csms.mjs';

const FIRST_PROVISIONAL_ID = 2000000000;

// Every frame the charger put on or took off its wire, as text.
function recordWire(cp) {
  const wire = { sent: [], received: [] };
  cp.on('message', ({ message, outbound }) => (outbound ? wire.sent : wire.received).push(message.toString()));
  return wire;
}

const at = (minute) => new Date(Date.UTC(2026, 10, 25, 8, minute, 0)).toISOString();
const outboxLength = (linkray) => linkray.query('select count(*) as n from outbox')[0].n;

test('frames pass unchanged both ways, and a charger that connects while the CSMS is up gets only CSMS answers', async () => {
  const csms = await Csms.open();
  await csms.start();
  const linkray = await LinkRay.start(onlineConfig(csms));
  try {
    const remoteStops = [];
    const cp = await connectChargePoint(linkray, 'CP-ON-1', {
      handlers: {
        RemoteStopTransaction: (params) => { remoteStops.push(params); return { status: 'Accepted' }; },
        DataTransfer: (params) => ({ status: 'Accepted', data: `charger saw ${params.data}` }),
        GetConfiguration: () => ({ configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '777' }] }),
      },
    });
    const wire = recordWire(cp);
    // Boot and Authorize right after connecting: the answers must come from the CSMS (interval 777, a tag and a
    // transaction id LinkRay has never heard of).
    const [boot, authorize] = await Promise.all([
      cp.call('BootNotification', BOOT),
      cp.call('Authorize', { idTag: 'CSMS-ONLY-TAG' }),
    ]);
    assert.equal(boot.interval, 777);
    assert.equal(authorize.idTagInfo.status, 'Accepted');
    const start = await cp.call('StartTransaction', { connectorId: 1, idTag: 'CSMS-ONLY-TAG', meterStart: 0, timestamp: at(0) });
    assert.equal(start.transactionId, 5001);
    await cp.call('MeterValues', { connectorId: 1, transactionId: 5001, meterValue: [{ timestamp: at(1), sampledValue: [{ value: '120' }] }] });
    const vendor = await cp.call('DataTransfer', { vendorId: 'com.acme', messageId: 'hello', data: 'from charger' });
    assert.equal(vendor.data, 'csms saw from charger');

    const csmsSide = csms.client('CP-ON-1');
    assert.equal((await csmsSide.call('DataTransfer', { vendorId: 'com.csms', data: 'ping' })).data, 'charger saw ping');
    assert.equal((await csmsSide.call('GetConfiguration', { key: ['HeartbeatInterval'] })).configurationKey[0].value, '777');
    await csmsSide.call('RemoteStopTransaction', { transactionId: 5001 });
    assert.deepEqual(remoteStops, [{ transactionId: 5001 }]);
    await cp.call('StopTransaction', { transactionId: 5001, meterStop: 900, timestamp: at(2) });

    assert.deepEqual(csms.framesOf('CP-ON-1', false), wire.sent, 'the CSMS received exactly what the charger sent');
    assert.deepEqual(wire.received, csms.framesOf('CP-ON-1', true), 'the charger received exactly what the CSMS sent');
    assert.equal(outboxLength(linkray), 0);
    // LinkRay keeps its own record of the site (web app, statistics) from what passed through.
    assert.deepEqual(linkray.query(`select csms_transaction_id, id_tag, meter_start_wh, meter_stop_wh
                                    from transactions where charge_point_id = 'CP-ON-1'`),
      [{ csms_transaction_id: 5001, id_tag: 'CSMS-ONLY-TAG', meter_start_wh: 0, meter_stop_wh: 900 }]);
    assert.deepEqual(linkray.query(`select m.raw_value from meter_values m join transactions t on m.transaction_id = t.id
                                    where t.csms_transaction_id = 5001`), [{ raw_value: '120' }]);
    assert.deepEqual(linkray.query("select vendor, boot_status from charge_points where id = 'CP-ON-1'"),
      [{ vendor: BOOT.chargePointVendor, boot_status: 'Accepted' }]);
    await cp.close();
  } finally {
    await linkray.stop();
    await csms.close();
    linkray.removeData();
  }
});

test('an outage is served locally, then replayed in order with the CSMS transaction ids', async () => {
  const csms = await Csms.open();
  // Chargers LinkRay does not know would be Pending offline; relayed ones are the CSMS's to judge, so accepted here.
  const linkray = await LinkRay.start(onlineConfig(csms, {}, { ocpp: { unknownChargePoints: 'pending' } }));
  try {
    const remoteStops = [];
    const cp = await connectChargePoint(linkray, 'CP-ON-2', {
      handlers: { RemoteStopTransaction: (params) => { remoteStops.push(params); return { status: 'Accepted' }; } },
    });
    const boot = await cp.call('BootNotification', BOOT);
    assert.equal(boot.status, 'Accepted');
    assert.notEqual(boot.interval, 777, 'answered by LinkRay, not the CSMS');
    await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing', timestamp: at(0) });
    assert.equal((await cp.call('Authorize', { idTag: 'TAG-OK' })).idTagInfo.status, 'Accepted');
    const first = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-OK', meterStart: 0, timestamp: at(1) });
    assert.ok(first.transactionId >= FIRST_PROVISIONAL_ID, `provisional id ${first.transactionId}`);
    await cp.call('MeterValues', { connectorId: 1, transactionId: first.transactionId, meterValue: [{ timestamp: at(2), sampledValue: [{ value: '500' }] }] });
    await cp.call('StopTransaction', { transactionId: first.transactionId, meterStop: 1000, timestamp: at(3) });
    const second = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-OK-2', meterStart: 1000, timestamp: at(4) });
    assert.ok(second.transactionId > first.transactionId);
    await cp.call('MeterValues', { connectorId: 1, transactionId: second.transactionId, meterValue: [{ timestamp: at(5), sampledValue: [{ value: '1500' }] }] });
    assert.equal(outboxLength(linkray), 7, 'every message the CSMS must see is kept; Authorize is not');

    await csms.start();
    await eventually(() => csms.callsOf('CP-ON-2').length === 7 && outboxLength(linkray) === 0, { timeoutMs: 15000 });
    const calls = csms.callsOf('CP-ON-2');
    assert.deepEqual(calls.map((c) => c.action), ['BootNotification', 'StatusNotification', 'StartTransaction',
      'MeterValues', 'StopTransaction', 'StartTransaction', 'MeterValues']);
    assert.deepEqual(calls.map((c) => c.params.timestamp ?? c.params.meterValue?.[0].timestamp ?? null),
      [null, at(0), at(1), at(2), at(3), at(4), at(5)], 'original timestamps');
    assert.equal(calls[3].params.transactionId, 5001);
    assert.equal(calls[4].params.transactionId, 5001);
    assert.equal(calls[6].params.transactionId, 5002);
    assert.deepEqual(linkray.query('select provisional_id, csms_id from transaction_id_map order by csms_id'),
      [{ provisional_id: first.transactionId, csms_id: 5001 }, { provisional_id: second.transactionId, csms_id: 5002 }]);

    // The CSMS stops the running transaction by its own id; the charger hears the id it was given.
    await eventually(() => csms.client('CP-ON-2'));
    await csms.client('CP-ON-2').call('RemoteStopTransaction', { transactionId: 5002 });
    assert.deepEqual(remoteStops, [{ transactionId: second.transactionId }]);
    await cp.call('StopTransaction', { transactionId: second.transactionId, meterStop: 2000, timestamp: at(6) });
    assert.equal(csms.callsOf('CP-ON-2', 'StopTransaction').at(-1).params.transactionId, 5002);
    await cp.close();
  } finally {
    await linkray.stop();
    await csms.close();
    linkray.removeData();
  }
});

test('kill -9 with a backlog queued and again halfway through its replay: the CSMS gets every message', async () => {
  const csms = await Csms.open();
  const config = onlineConfig(csms);
  let linkray = await LinkRay.start(config);
  const dataDir = linkray.dataDir;
  try {
    let cp = await connectChargePoint(linkray, 'CP-ON-3');
    const wire = recordWire(cp);
    await cp.call('BootNotification', BOOT);
    for (let i = 0; i < 20; i++)
      await cp.call('MeterValues', { connectorId: 1, meterValue: [{ timestamp: at(i), sampledValue: [{ value: String(i) }] }] });
    const sentIds = wire.sent.map((text) => JSON.parse(text)).filter((f) => f[0] === 2).map((f) => f[1]);
    await linkray.kill9();
    await cp.close({ force: true }).catch(() => null);

    linkray = await LinkRay.start(config, { dataDir });
    assert.equal(outboxLength(linkray), 21, 'the backlog survived kill -9');
    csms.answerDelayMs = 50;
    await csms.start();
    cp = await connectChargePoint(linkray, 'CP-ON-3');
    await eventually(() => csms.callsOf('CP-ON-3').length >= 10, { timeoutMs: 15000 });
    await linkray.kill9();
    await cp.close({ force: true }).catch(() => null);

    csms.answerDelayMs = 0;
    linkray = await LinkRay.start(config, { dataDir });
    cp = await connectChargePoint(linkray, 'CP-ON-3');
    await eventually(() => outboxLength(linkray) === 0, { timeoutMs: 15000 });
    const receivedIds = csms.framesOf('CP-ON-3', false).map((text) => JSON.parse(text)).filter((f) => f[0] === 2).map((f) => f[1]);
    assert.deepEqual([...new Set(receivedIds)].sort(), [...sentIds].sort(), 'every message arrived, with its own id');
    const repeated = receivedIds.length - new Set(receivedIds).size;
    assert.ok(repeated <= 2, `at most the calls in flight at each kill were sent twice (${repeated})`);
    await cp.close();
  } finally {
    await linkray.stop();
    await csms.close();
    linkray.removeData();
  }
});

test('a CSMS that refuses the charger is shown, and the charger is served locally meanwhile', async () => {
  const csms = await Csms.open({ authorize: (handshake, accept, reject) => reject(401) });
  await csms.start();
  const linkray = await LinkRay.start(onlineConfig(csms));
  try {
    const cp = await connectChargePoint(linkray, 'CP-ON-4');
    const boot = await cp.call('BootNotification', BOOT);
    assert.equal(boot.status, 'Accepted');
    const [event] = await eventually(() => {
      const rows = linkray.query("select details from events where charge_point_id = 'CP-ON-4' and kind = 'UpstreamDown'");
      return rows.length ? rows : null;
    });
    assert.match(JSON.parse(event.details).reason, /HTTP 401/);
    await cp.close();
  } finally {
    await linkray.stop();
    await csms.close();
    linkray.removeData();
  }
});

test("a CSMS call waits for LinkRay's own call to the charger, whose answer never reaches the CSMS", async () => {
  const csms = await Csms.open();
  await csms.start();
  const linkray = await LinkRay.start(onlineConfig(csms));
  try {
    const timeline = [];
    const cp = await connectChargePoint(linkray, 'CP-ON-5', {
      handlers: {
        GetConfiguration: async () => {
          timeline.push('GetConfiguration received');
          await new Promise((r) => setTimeout(r, 500));
          timeline.push('GetConfiguration answered');
          return { configurationKey: [] };
        },
        Reset: () => { timeline.push('Reset received'); return { status: 'Accepted' }; },
      },
    });
    await cp.call('BootNotification', BOOT);
    const own = linkray.call('CP-ON-5', 'GetConfiguration', {});
    await eventually(() => timeline.includes('GetConfiguration received'));
    const reset = await csms.client('CP-ON-5').call('Reset', { type: 'Soft' });
    assert.equal(reset.status, 'Accepted');
    assert.equal((await own).status, 0);
    assert.deepEqual(timeline, ['GetConfiguration received', 'GetConfiguration answered', 'Reset received']);
    const toCsms = csms.framesOf('CP-ON-5', false).map((text) => JSON.parse(text));
    assert.ok(!toCsms.some((frame) => String(frame[1]).startsWith('lr-')), 'LinkRay\'s own exchange stays local');
    await cp.close();
  } finally {
    await linkray.stop();
    await csms.close();
    linkray.removeData();
  }
});

test('two chargers replay through a flapping CSMS, one leaving mid-replay, and every message arrives', async () => {
  const csms = await Csms.open();
  const linkray = await LinkRay.start(onlineConfig(csms));
  const ids = ['CP-FLAP-A', 'CP-FLAP-B'];
  const chargers = {};
  const sentIds = {};
  try {
    for (const id of ids) {
      chargers[id] = await connectChargePoint(linkray, id);
      const wire = recordWire(chargers[id]);
      await chargers[id].call('BootNotification', BOOT);
      // B has far more to send than A, so that it is still replaying when it leaves, however late A's upstream
      // reconnects (full jitter up to 1 s) and however slow the build (sanitizers).
      const count = id === 'CP-FLAP-A' ? 15 : 80;
      for (let i = 0; i < count; i++)
        await chargers[id].call('MeterValues', { connectorId: 1, meterValue: [{ timestamp: at(i), sampledValue: [{ value: String(i) }] }] });
      sentIds[id] = wire.sent.map((text) => JSON.parse(text)).filter((f) => f[0] === 2).map((f) => f[1]);
    }
    csms.answerDelayMs = 50;
    const received = (id) => csms.callsOf(id).length;
    for (const after of [4, 8]) {
      await csms.start();
      await eventually(() => received('CP-FLAP-A') >= after && received('CP-FLAP-B') >= after, { timeoutMs: 15000 });
      await csms.stop();
    }
    await chargers['CP-FLAP-B'].close({ force: true });
    // LinkRay closes a charger's upstream when the charger leaves; the CSMS comes back only after that.
    await eventually(() => linkray.output.stderr.includes('closed upstream of "CP-FLAP-B"'));
    await csms.start();
    await eventually(() => linkray.query("select count(*) as n from outbox where charge_point_id = 'CP-FLAP-A'")[0].n === 0,
      { timeoutMs: 15000 });
    assert.ok(linkray.query("select count(*) as n from outbox where charge_point_id = 'CP-FLAP-B'")[0].n > 0,
      'a charger that left keeps its backlog');
    chargers['CP-FLAP-B'] = await connectChargePoint(linkray, 'CP-FLAP-B');
    await eventually(() => outboxLength(linkray) === 0, { timeoutMs: 15000 });
    for (const id of ids) {
      const arrived = csms.framesOf(id, false).map((text) => JSON.parse(text)).filter((f) => f[0] === 2).map((f) => f[1]);
      assert.deepEqual([...new Set(arrived)].sort(), [...sentIds[id]].sort(), `${id}: every message arrived`);
      // A call in flight when the CSMS went away is sent again (same id): at most one per interruption.
      const values = csms.callsOf(id, 'MeterValues').map((c) => c.params.meterValue[0].sampledValue[0].value);
      const count = sentIds[id].length - 1;
      assert.deepEqual([...new Set(values)], Array.from({ length: count }, (_, i) => String(i)), `${id}: in order`);
      assert.ok(values.length - new Set(values).size <= 3, `${id}: repeats only for calls in flight`);
    }
  } finally {
    for (const cp of Object.values(chargers)) await cp.close({ force: true }).catch(() => null);
    await linkray.stop();
    await csms.close();
    linkray.removeData();
  }
});

test('a new AuthorizationKey the charger accepts from the CSMS is used for its login here and upstream', async () => {
  const passwordsAtCsms = [];
  const csms = await Csms.open({
    authorize: (handshake, accept) => { passwordsAtCsms.push(handshake.password?.toString()); accept(); },
  });
  await csms.start();
  const oldKey = 'old-key-0123456789';
  const newKey = 'new-key-9876543210';
  const config = onlineConfig(csms, { credentials: 'configured' });
  config.chargePoints = [{ id: 'CP-KEY', passwordHash: hashPassword(oldKey), csms: { password: oldKey } }];
  const linkray = await LinkRay.start(config);
  try {
    let cp = await connectChargePoint(linkray, 'CP-KEY', {
      password: oldKey, handlers: { ChangeConfiguration: () => ({ status: 'Accepted' }) },
    });
    await cp.call('BootNotification', BOOT);
    assert.deepEqual(passwordsAtCsms, [oldKey]);
    const change = await csms.client('CP-KEY').call('ChangeConfiguration', { key: 'AuthorizationKey', value: newKey });
    assert.equal(change.status, 'Accepted');
    const stored = await eventually(() => {
      const written = JSON.parse(readFileSync(path.join(linkray.dataDir, 'config.json'), 'utf8'));
      return written.chargePoints[0].csms.password === newKey ? written : null;
    });
    assert.ok(!JSON.stringify(stored).includes(`"passwordHash":"${config.chargePoints[0].passwordHash}"`), 'login hash replaced');
    await cp.close();

    const basic = (key) => ({ Authorization: 'Basic ' + Buffer.from(`CP-KEY:${key}`).toString('base64') });
    const refused = await connectRaw(linkray, 'CP-KEY', ['ocpp1.6'], basic(oldKey));
    assert.equal((await refused.closed).code, 1008, 'the old key no longer logs in');
    cp = await connectChargePoint(linkray, 'CP-KEY', { password: newKey });
    await cp.call('BootNotification', BOOT);
    assert.equal(passwordsAtCsms.at(-1), newKey);
    assert.ok(!linkray.output.stdout.includes(newKey) && !linkray.output.stderr.includes(newKey), 'the key is never logged');
    await cp.close();
  } finally {
    await linkray.stop();
    await csms.close();
    linkray.removeData();
  }
});

test('a replayed call the CSMS never answers is held, one it refuses is recorded, and the rest is delivered', async () => {
  const csms = await Csms.open();
  const linkray = await LinkRay.start(onlineConfig(csms, { answerTimeoutSeconds: 1, replayAttempts: 2 }));
  try {
    const cp = await connectChargePoint(linkray, 'CP-ON-6');
    await cp.call('BootNotification', BOOT);
    for (let i = 0; i < 5; i++)
      await cp.call('MeterValues', { connectorId: 1, meterValue: [{ timestamp: at(i), sampledValue: [{ value: String(i) }] }] });
    csms.overrides.MeterValues = (params) => {
      const value = params.meterValue[0].sampledValue[0].value;
      if (value === '1') return new Promise(() => {}); // this one is never answered
      if (value === '3') throw new Error('the CSMS cannot take this one');
      return {};
    };
    await csms.start();
    await eventually(() => outboxLength(linkray) === 1
      && linkray.query("select state from outbox where charge_point_id = 'CP-ON-6'")[0].state === 'held', { timeoutMs: 15000 });
    const values = csms.callsOf('CP-ON-6', 'MeterValues').map((c) => c.params.meterValue[0].sampledValue[0].value);
    assert.deepEqual(values, ['0', '1', '1', '2', '3', '4'], 'two attempts at the silent one, then on in order');
    const kinds = linkray.query("select kind from events where charge_point_id = 'CP-ON-6' order by id").map((e) => e.kind);
    assert.ok(kinds.includes('ReplayHeld') && kinds.includes('ReplayRefused'), kinds.join());
    await cp.close();
  } finally {
    await linkray.stop();
    await csms.close();
    linkray.removeData();
  }
});

test("LinkRay's balancing profile comes back after the CSMS clears the charger's profiles, and never reaches the CSMS", async () => {
  const csms = await Csms.open();
  await csms.start();
  const config = onlineConfig(csms);
  config.site = { phaseLimitA: 32, safetyMarginA: 0 };
  config.chargePoints = [{ id: 'CP-ON-LB', balancing: { enabled: true, maxCurrentA: 16 } }];
  const linkray = await LinkRay.start(config);
  try {
    const profiles = [];
    const cp = await connectChargePoint(linkray, 'CP-ON-LB', {
      handlers: {
        SetChargingProfile: (params) => { profiles.push(params); return { status: 'Accepted' }; },
        ClearChargingProfile: () => ({ status: 'Accepted' }),
      },
    });
    await cp.call('BootNotification', BOOT);
    await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging' });
    await eventually(() => profiles.length >= 1, { timeoutMs: 10000 });
    const before = profiles.length;
    assert.equal(profiles[0].csChargingProfiles.chargingProfilePurpose, 'ChargePointMaxProfile');
    await csms.client('CP-ON-LB').call('ClearChargingProfile', {});
    await eventually(() => profiles.length > before, { timeoutMs: 10000 });
    const atCsms = csms.framesOf('CP-ON-LB', false).concat(csms.framesOf('CP-ON-LB', true));
    assert.ok(!atCsms.some((text) => text.includes('SetChargingProfile')), "LinkRay's own profile stays between it and the charger");
    await cp.close();
  } finally {
    await linkray.stop();
    await csms.close();
    linkray.removeData();
  }
});

test("a charger configured with TxProfile gets LinkRay's limit for the transaction id the CSMS gave it", async () => {
  const csms = await Csms.open();
  await csms.start();
  const config = onlineConfig(csms);
  config.site = { phaseLimitA: 32, safetyMarginA: 0 };
  config.chargePoints = [{ id: 'CP-ON-TX', balancing: { enabled: true, maxCurrentA: 16, profilePurpose: 'TxProfile', rateUnit: 'A' } }];
  const linkray = await LinkRay.start(config);
  try {
    const profiles = [];
    const cp = await connectChargePoint(linkray, 'CP-ON-TX', {
      handlers: { SetChargingProfile: (params) => { profiles.push(params); return { status: 'Accepted' }; } },
    });
    await cp.call('BootNotification', BOOT);
    await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging' });
    const started = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-OK', meterStart: 0, timestamp: new Date().toISOString() });
    await eventually(() => profiles.length >= 1, { timeoutMs: 10000 });
    // The first one too: nothing went out before the CSMS's answer told the id.
    assert.equal(profiles[0].connectorId, 1);
    assert.equal(profiles[0].csChargingProfiles.chargingProfilePurpose, 'TxProfile');
    assert.equal(profiles[0].csChargingProfiles.transactionId, started.transactionId);
    assert.equal(profiles[0].csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit, 16);
    await cp.close();
  } finally {
    await linkray.stop();
    await csms.close();
    linkray.removeData();
  }
});

// A 32 A site of two balanced chargers, online, that the CSMS's profiles are to cap.
function twoBalancedChargersConfig(csms, ids) {
  const config = onlineConfig(csms);
  config.site = { phaseLimitA: 32, safetyMarginA: 0, control: { increaseDelaySeconds: 1, rampStepA: 80 } };
  config.chargePoints = ids.map((id) => ({ id, balancing: { enabled: true, maxCurrentA: 32 } }));
  return config;
}

// Connects and boots each charger with a car charging on connector 1. `linkrayLimit()` is the limit of LinkRay's
// latest ChargePointMaxProfile there; `wire` what the charger received byte for byte.
async function connectChargingChargers(linkray, ids, handlers = {}) {
  const chargers = [];
  for (const id of ids) {
    const received = [];
    const cp = await connectChargePoint(linkray, id, {
      handlers: { ...handlers, SetChargingProfile: (params) => { received.push(params); return { status: 'Accepted' }; } },
    });
    cp.wire = recordWire(cp);
    cp.linkrayLimit = () => received.filter((p) => p.csChargingProfiles.chargingProfilePurpose === 'ChargePointMaxProfile')
      .at(-1)?.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit;
    chargers.push(cp);
    await cp.call('BootNotification', BOOT);
    await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging' });
  }
  return chargers;
}

test("the CSMS's TxDefaultProfile caps LinkRay's limit for that charger, the rest goes to another, and its frame passes unchanged", async () => {
  const csms = await Csms.open();
  await csms.start();
  const ids = ['CP-ON-CAP-1', 'CP-ON-CAP-2'];
  const linkray = await LinkRay.start(twoBalancedChargersConfig(csms, ids));
  try {
    const [capped, other] = await connectChargingChargers(linkray, ids);
    await eventually(() => capped.linkrayLimit() === 16 && other.linkrayLimit() === 16, { timeoutMs: 10000 });

    const txDefault = {
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: 77, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Absolute',
        chargingSchedule: { startSchedule: new Date(Date.now() - 60000).toISOString(), chargingRateUnit: 'A',
                            chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] },
      },
    };
    assert.deepEqual(await csms.client(ids[0]).call('SetChargingProfile', txDefault), { status: 'Accepted' });
    await eventually(() => capped.linkrayLimit() <= 10 && other.linkrayLimit() === 22, { timeoutMs: 10000 });

    const sentByCsms = csms.framesOf(ids[0], true).filter((text) => text.includes('"SetChargingProfile"'));
    assert.equal(sentByCsms.length, 1);
    assert.ok(capped.wire.received.includes(sentByCsms[0]), 'the charger got the CSMS frame byte for byte');
    for (const cp of [capped, other]) await cp.close();
  } finally {
    await linkray.stop();
    await csms.close();
    linkray.removeData();
  }
});

test('a charger that accepts only Power gets its ChargePointMaxProfile in W, and LinkRay\'s GetConfiguration stays off the CSMS link', async () => {
  const csms = await Csms.open();
  await csms.start();
  const config = onlineConfig(csms);
  config.site = { phaseLimitA: 32, safetyMarginA: 0, control: { increaseDelaySeconds: 1, rampStepA: 80 } };
  config.chargePoints = [{ id: 'CP-ON-POWER', balancing: { enabled: true, maxCurrentA: 16 } }];
  const linkray = await LinkRay.start(config);
  try {
    const profiles = [];
    const cp = await connectChargePoint(linkray, 'CP-ON-POWER', {
      handlers: {
        GetConfiguration: () => ({ configurationKey: [
          { key: 'ChargingScheduleAllowedChargingRateUnit', readonly: true, value: 'Power' },
          { key: 'ChargeProfileMaxStackLevel', readonly: true, value: '10' },
        ] }),
        SetChargingProfile: (params) => { profiles.push(params); return { status: 'Accepted' }; },
      },
    });
    await cp.call('BootNotification', BOOT);
    await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging' });
    await eventually(() => profiles.length >= 1, { timeoutMs: 10000 });
    assert.ok(cp.received.findIndex((r) => r.action === 'GetConfiguration') <
      cp.received.findIndex((r) => r.action === 'SetChargingProfile'), 'asked before its first profile');
    for (const request of profiles) {
      const { chargingProfilePurpose, chargingSchedule } = request.csChargingProfiles;
      assert.equal(chargingProfilePurpose, 'ChargePointMaxProfile');
      assert.equal(chargingSchedule.chargingRateUnit, 'W');
    }
    // 16 A on three phases at 230 V.
    await eventually(() => profiles.at(-1).csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit === 11040,
      { timeoutMs: 10000 });
    const atCsms = csms.framesOf('CP-ON-POWER', false).concat(csms.framesOf('CP-ON-POWER', true));
    assert.ok(!atCsms.some((text) => text.includes('ChargingScheduleAllowedChargingRateUnit')),
      "LinkRay's own GetConfiguration and its answer stay between it and the charger");
    await cp.close();
  } finally {
    await linkray.stop();
    await csms.close();
    linkray.removeData();
  }
});

test("the TxProfile of the CSMS's RemoteStartTransaction caps the transaction it starts, until that stops", async () => {
  const csms = await Csms.open();
  await csms.start();
  const ids = ['CP-ON-RS-1', 'CP-ON-RS-2'];
  const linkray = await LinkRay.start(twoBalancedChargersConfig(csms, ids));
  try {
    const [started, other] = await connectChargingChargers(linkray, ids,
      { RemoteStartTransaction: () => ({ status: 'Accepted' }) });
    await eventually(() => started.linkrayLimit() === 16 && other.linkrayLimit() === 16, { timeoutMs: 10000 });

    // OCPP: the profile has no transactionId; it is for the transaction this remote start begins.
    const remoteStart = {
      connectorId: 1, idTag: 'TAG-OK',
      chargingProfile: {
        chargingProfileId: 78, stackLevel: 0, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Absolute',
        chargingSchedule: { startSchedule: new Date(Date.now() - 60000).toISOString(), chargingRateUnit: 'A',
                            chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] },
      },
    };
    assert.deepEqual(await csms.client(ids[0]).call('RemoteStartTransaction', remoteStart), { status: 'Accepted' });
    const transaction = await started.call('StartTransaction',
      { connectorId: 1, idTag: 'TAG-OK', meterStart: 0, timestamp: new Date().toISOString() });
    await eventually(() => started.linkrayLimit() <= 10 && other.linkrayLimit() === 22, { timeoutMs: 10000 });

    await started.call('StopTransaction',
      { transactionId: transaction.transactionId, meterStop: 100, timestamp: new Date().toISOString() });
    await eventually(() => started.linkrayLimit() === 16 && other.linkrayLimit() === 16, { timeoutMs: 10000 });
    for (const cp of [started, other]) await cp.close();
  } finally {
    await linkray.stop();
    await csms.close();
    linkray.removeData();
  }
});
