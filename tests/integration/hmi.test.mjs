// The touch view in the real binary: `linkray --view` on an offscreen screen serves chargers as headless LinkRay does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BOOT, LinkRay, connectChargePoint, eventually, testConfig } from './lib/linkray.mjs';

const offscreen = { QT_QPA_PLATFORM: 'offscreen' };
const now = () => new Date().toISOString();

test('linkray --view shows the view, serves an OCPP charger and exits cleanly on SIGTERM', async () => {
  const linkray = await LinkRay.start(testConfig({ web: { enabled: false } }), { args: ['--view'], env: offscreen });
  try {
    await eventually(() => /touch view shown \(language en\)/.test(linkray.output.stdout));
    const cp = await connectChargePoint(linkray, 'CP-VIEW');
    assert.equal((await cp.call('BootNotification', BOOT)).status, 'Accepted');
    assert.ok((await cp.call('Heartbeat', {})).currentTime);
    await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: now() });
    const [connector] = linkray.query("select status from connectors where charge_point_id = 'CP-VIEW'");
    assert.equal(connector.status, 'Available');
    await cp.close();
    assert.equal(await linkray.stop(), 0, 'linkray exits cleanly on SIGTERM');
    assert.doesNotMatch(linkray.output.stderr, /QML:/, 'the view loads without QML warnings');
  } finally {
    await linkray.stop();
    linkray.removeData();
  }
});

test('hmi.enabled in the configuration shows the view in its language; without it LinkRay stays headless', async () => {
  const withView = await LinkRay.start(testConfig({ web: { enabled: false }, hmi: { enabled: true, language: 'de' } }),
                                       { env: offscreen });
  await eventually(() => /touch view shown \(language de\)/.test(withView.output.stdout));
  assert.match(withView.output.stderr, /No operator PIN configured/, 'without a PIN start and stop are off');
  assert.equal(await withView.stop(), 0);
  withView.removeData();

  // No display platform at all: a headless LinkRay must not need one.
  const headless = await LinkRay.start(testConfig({ web: { enabled: false } }), { env: { QT_QPA_PLATFORM: 'none' } });
  const cp = await connectChargePoint(headless, 'CP-HEADLESS');
  assert.equal((await cp.call('BootNotification', BOOT)).status, 'Accepted');
  await cp.close();
  assert.equal(await headless.stop(), 0);
  assert.doesNotMatch(headless.output.stdout, /touch view/);
  headless.removeData();
});

test('linkray --set-hmi-pin stores only the hash of a PIN read on standard input', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'linkray-it-'));
  const configPath = path.join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(testConfig()));
  const setPin = (input, args = ['--config', configPath]) =>
    spawnSync(process.env.LINKRAY_BIN, [...args, '--set-hmi-pin'], { input, encoding: 'utf8' });
  try {
    const tooShort = setPin('12\n');
    assert.equal(tooShort.status, 2);
    assert.match(tooShort.stderr, /4 to 12 digits/);
    assert.equal(setPin('4711\n', []).status, 2, 'without --config there is no file to store it in');
    assert.equal(JSON.parse(readFileSync(configPath, 'utf8')).hmi, undefined, 'a refused PIN changes nothing');

    const stored = setPin('271828\n');
    assert.equal(stored.status, 0, stored.stderr);
    assert.doesNotMatch(stored.stdout + stored.stderr, /271828/, 'the PIN is never printed');
    const written = JSON.parse(readFileSync(configPath, 'utf8'));
    assert.match(written.hmi.pinHash, /^pbkdf2-sha256\$10000\$/);
    delete written.hmi.pinHash; // base64 may hold any digits
    assert.doesNotMatch(JSON.stringify(written), /271828/, 'only the hash is stored');
    const check = spawnSync(process.env.LINKRAY_BIN, ['--config', configPath, '--check-config'], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
