// Offline mode end to end: the real linkray binary as central system, strict ocpp-rpc charge points.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BOOT, LinkRay, connectChargePoint, eventually, testConfig } from './lib/linkray.mjs';

let linkray;
before(async () => { linkray = await LinkRay.start(testConfig()); });
after(async () => { assert.equal(await linkray.stop(), 0, 'linkray exits cleanly on SIGTERM'); linkray.removeData(); });

const now = () => new Date().toISOString();

test('boot, heartbeat and status notification are answered and recorded', async () => {
  const cp = await connectChargePoint(linkray, 'CP-BOOT');
  const boot = await cp.call('BootNotification', { ...BOOT, chargePointSerialNumber: 'SN-1', firmwareVersion: '1.2.3' });
  assert.equal(boot.status, 'Accepted');
  assert.equal(boot.interval, 60);
  assert.ok(Math.abs(Date.parse(boot.currentTime) - Date.now()) < 60000, 'currentTime is the real time');
  const hb = await cp.call('Heartbeat', {});
  assert.ok(hb.currentTime);
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: now() });
  const [row] = linkray.query("select vendor, model, serial_number, firmware_version from charge_points where id = 'CP-BOOT'");
  assert.deepEqual(row, { vendor: 'TestVendor', model: 'TestModel', serial_number: 'SN-1', firmware_version: '1.2.3' });
  const [connector] = linkray.query("select status from connectors where charge_point_id = 'CP-BOOT' and connector_id = 1");
  assert.equal(connector.status, 'Available');
  await cp.close();
});

test('authorisation follows the whitelist', async (t) => {
  const cp = await connectChargePoint(linkray, 'CP-AUTH');
  await cp.call('BootNotification', BOOT);
  const cases = [
    ['TAG-OK', 'Accepted'], ['UNKNOWN-TAG', 'Invalid'], ['TAG-EXPIRED', 'Expired'], ['TAG-BLOCKED', 'Blocked'],
  ];
  for (const [idTag, expected] of cases) {
    await t.test(idTag, async () => {
      const res = await cp.call('Authorize', { idTag });
      assert.equal(res.idTagInfo.status, expected);
    });
  }
  const child = await cp.call('Authorize', { idTag: 'TAG-CHILD' });
  assert.equal(child.idTagInfo.parentIdTag, 'TAG-PARENT');
  await cp.close();
});

test('a full transaction with meter values is stored, and a busy tag gets ConcurrentTx', async () => {
  const cp = await connectChargePoint(linkray, 'CP-TX');
  await cp.call('BootNotification', BOOT);
  const start = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-OK-2', meterStart: 1000, timestamp: now() });
  assert.equal(start.idTagInfo.status, 'Accepted');
  assert.ok(Number.isInteger(start.transactionId));

  const busy = await cp.call('Authorize', { idTag: 'TAG-OK-2' });
  assert.equal(busy.idTagInfo.status, 'ConcurrentTx');

  await cp.call('MeterValues', {
    connectorId: 1, transactionId: start.transactionId,
    meterValue: [{ timestamp: now(), sampledValue: [
      { value: '1500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
      { value: '16.1', measurand: 'Current.Import', phase: 'L1', unit: 'A' },
    ] }],
  });
  const stop = await cp.call('StopTransaction', {
    transactionId: start.transactionId, idTag: 'TAG-OK-2', meterStop: 2500, timestamp: now(), reason: 'Local',
    transactionData: [{ timestamp: now(), sampledValue: [{ value: '2500' }] }],
  });
  assert.equal(stop.idTagInfo.status, 'Accepted');

  const [tx] = linkray.query(`select meter_start_wh, meter_stop_wh, stop_reason from transactions where id = ${start.transactionId}`);
  assert.deepEqual(tx, { meter_start_wh: 1000, meter_stop_wh: 2500, stop_reason: 'Local' });
  const samples = linkray.query(`select measurand, phase, value from meter_values where transaction_id = ${start.transactionId} order by id`);
  assert.deepEqual(samples.map((s) => [s.measurand, s.phase ?? '', s.value]), [
    ['Energy.Active.Import.Register', '', 1500], ['Current.Import', 'L1', 16.1], ['Energy.Active.Import.Register', '', 2500],
  ]);
  const again = await cp.call('Authorize', { idTag: 'TAG-OK-2' });
  assert.equal(again.idTagInfo.status, 'Accepted', 'the tag is free again after the stop');
  await cp.close();
});

test('remote start and stop reach the charger and its transaction', async () => {
  let started;
  const cp = await connectChargePoint(linkray, 'CP-REMOTE', {
    handlers: {
      RemoteStartTransaction: () => ({ status: 'Accepted' }),
      RemoteStopTransaction: () => ({ status: 'Accepted' }),
    },
  });
  await cp.call('BootNotification', BOOT);
  const remoteStart = await linkray.call('CP-REMOTE', 'RemoteStartTransaction', { idTag: 'TAG-OK', connectorId: 1 });
  assert.equal(remoteStart.status, 0, remoteStart.stderr);
  assert.equal(remoteStart.json.status, 'Accepted');
  assert.deepEqual(cp.received.at(-1), { action: 'RemoteStartTransaction', params: { idTag: 'TAG-OK', connectorId: 1 } });
  started = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-OK', meterStart: 0, timestamp: now() });

  const remoteStop = await linkray.call('CP-REMOTE', 'RemoteStopTransaction', { transactionId: started.transactionId });
  assert.equal(remoteStop.json.status, 'Accepted');
  assert.deepEqual(cp.received.at(-1), { action: 'RemoteStopTransaction', params: { transactionId: started.transactionId } });
  await cp.call('StopTransaction', { transactionId: started.transactionId, meterStop: 10, timestamp: now(), reason: 'Remote' });
  const [tx] = linkray.query(`select stop_reason from transactions where id = ${started.transactionId}`);
  assert.equal(tx.stop_reason, 'Remote');

  const offline = await linkray.call('NOT-CONNECTED', 'Reset', { type: 'Soft' });
  assert.notEqual(offline.status, 0);
  assert.match(offline.stderr, /not connected/i);
  await cp.close();
});

test('the whitelist is pushed to a charger as its local authorisation list', async () => {
  const lists = [];
  const cp = await connectChargePoint(linkray, 'CP-LIST', {
    handlers: { SendLocalList: (params) => { lists.push(params); return { status: 'Accepted' }; } },
  });
  await cp.call('BootNotification', BOOT);
  await eventually(() => lists.length > 0);
  assert.equal(lists[0].updateType, 'Full');
  const tags = lists[0].localAuthorizationList.map((e) => e.idTag).sort();
  assert.ok(tags.includes('TAG-OK') && tags.includes('TAG-BLOCKED'), `pushed tags: ${tags}`);
  // The charger's answer is recorded after it reaches LinkRay: wait for the confirmed version to be stored.
  const state = await eventually(() => linkray.query("select local_list_version from charge_points where id = 'CP-LIST'")
    .find((r) => r.local_list_version === lists[0].listVersion));
  assert.equal(state.local_list_version, lists[0].listVersion);
  await cp.close();
});

test('a second connection with the same id replaces the first', async () => {
  const first = await connectChargePoint(linkray, 'CP-SAME');
  await first.call('BootNotification', BOOT);
  const firstClosed = new Promise((resolve) => first.once('close', resolve));
  const second = await connectChargePoint(linkray, 'CP-SAME');
  await firstClosed;
  const hb = await second.call('Heartbeat', {});
  assert.ok(hb.currentTime);
  await second.close();
});

test('a relative --data-dir is taken from the working directory', async () => {
  const parent = mkdtempSync(path.join(tmpdir(), 'linkray-relative-'));
  try {
    writeFileSync(path.join(parent, 'config.json'), JSON.stringify(testConfig()));
    const child = spawn(process.env.LINKRAY_BIN, ['--config', 'config.json', '--data-dir', 'data'],
      { cwd: parent, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const exited = once(child, 'exit');
    await eventually(() => /OCPP listening/.test(output) || child.exitCode !== null);
    child.kill('SIGTERM');
    const [code] = await exited;
    assert.match(output, /OCPP listening/, output);
    assert.equal(code, 0);
    assert.ok(existsSync(path.join(parent, 'data', 'linkray.db')));
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});
