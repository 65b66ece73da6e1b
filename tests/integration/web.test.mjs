// The web API served by the real linkray: where it says it is, accounts from the command line, HTTPS by default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { BOOT, LinkRay, connectChargePoint, eventually, hashPassword, testConfig } from './lib/linkray.mjs';

function createAdmin(linkray, name, password) {
  return spawnSync(process.env.LINKRAY_BIN, ['--data-dir', linkray.dataDir, '--create-admin', name],
    { input: password + '\n', encoding: 'utf8' });
}

test('the web API answers at the printed address, for an admin made with --create-admin', async () => {
  const linkray = await LinkRay.start(testConfig());
  try {
    assert.match(linkray.webUrl, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal((await fetch(new URL('api/v1/site', linkray.webUrl))).status, 401, 'nothing without a session');
    assert.equal(createAdmin(linkray, 'installer', 'short').status, 2, 'a short password is refused');
    const created = createAdmin(linkray, 'installer', 'a-long-enough-password');
    assert.equal(created.status, 0, created.stderr);
    assert.equal((await (await fetch(new URL('api/v1/setup', linkray.webUrl))).json()).required, false);

    const login = await fetch(new URL('api/v1/session', linkray.webUrl), {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'installer', password: 'a-long-enough-password' }),
    });
    assert.equal(login.status, 200);
    const cookie = login.headers.get('set-cookie').split(';')[0];
    const site = await fetch(new URL('api/v1/site', linkray.webUrl), { headers: { Cookie: cookie } });
    assert.equal(site.status, 200);
    assert.equal((await site.json()).mode, 'offline');
    assert.doesNotMatch(linkray.output.stdout + linkray.output.stderr, /a-long-enough-password/);
  } finally {
    await linkray.stop();
    linkray.removeData();
  }
});

test('HTTPS by default, with a self-signed certificate generated once and kept owner-only', async () => {
  const config = testConfig({ web: { https: true } });
  let linkray = await LinkRay.start(config);
  const certificateFile = path.join(linkray.dataDir, 'tls', 'web-certificate.pem');
  const keyFile = path.join(linkray.dataDir, 'tls', 'web-key.pem');
  try {
    assert.match(linkray.webUrl, /^https:\/\//);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    const pem = readFileSync(certificateFile, 'utf8');
    const certificate = new X509Certificate(pem);
    assert.match(certificate.subjectAltName, /IP Address:127\.0\.0\.1/);
    const served = await new Promise((resolve, reject) => {
      const url = new URL('api/v1/setup', linkray.webUrl.replace(/\/\/[^:/]+:/, '//127.0.0.1:'));
      const req = request(url, { rejectUnauthorized: false }, (res) => {
        resolve({ status: res.statusCode, certificate: res.socket.getPeerX509Certificate() });
        res.resume();
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(served.status, 200);
    assert.equal(served.certificate.fingerprint256, certificate.fingerprint256);
    await linkray.stop();

    linkray = await LinkRay.start(config, { dataDir: linkray.dataDir });
    assert.equal(readFileSync(certificateFile, 'utf8'), pem, 'the same certificate after a restart');
  } finally {
    await linkray.stop();
    linkray.removeData();
  }
});

// Reads server-sent events from a fetch body as they arrive: { name, data } objects, and keep-alive comments.
function readEvents(body) {
  const events = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reading = (async () => {
    for await (const chunk of body) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const name = lines.find((line) => line.startsWith('event: '))?.slice(7);
        const data = lines.find((line) => line.startsWith('data: '))?.slice(6);
        if (name) events.push({ name, data: JSON.parse(data) });
      }
    }
  })().catch(() => {});
  return { events, reading };
}

test('live updates show a charger starting a transaction', async () => {
  const linkray = await LinkRay.start(testConfig());
  const abort = new AbortController();
  try {
    const created = createAdmin(linkray, 'installer', 'a-long-enough-password');
    assert.equal(created.status, 0, created.stderr);
    const login = await fetch(new URL('api/v1/session', linkray.webUrl), {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'installer', password: 'a-long-enough-password' }),
    });
    const cookie = login.headers.get('set-cookie').split(';')[0];
    assert.equal((await fetch(new URL('api/v1/live', linkray.webUrl))).status, 401);

    const cp = await connectChargePoint(linkray, 'CP-LIVE');
    await cp.call('BootNotification', BOOT);
    const live = await fetch(new URL('api/v1/live', linkray.webUrl), { headers: { Cookie: cookie }, signal: abort.signal });
    assert.equal(live.status, 200);
    assert.match(live.headers.get('content-type'), /^text\/event-stream/);
    const { events } = readEvents(live.body);
    await eventually(() => events.some((e) => e.name === 'site' && e.data.mode === 'offline'));
    await eventually(() => events.some((e) => e.name === 'charge-point' && e.data.id === 'CP-LIVE' && e.data.connected));

    const timestamp = new Date().toISOString();
    await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging', timestamp });
    const start = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-OK', meterStart: 1000, timestamp });
    assert.equal(start.idTagInfo.status, 'Accepted');
    const started = await eventually(() => events.find((e) => e.name === 'transaction' && e.data.id === start.transactionId));
    assert.equal(started.data.chargePointId, 'CP-LIVE');
    assert.equal(started.data.active, true);
    assert.equal(started.data.meterStartWh, 1000);
    await eventually(() => events.some((e) => e.name === 'charge-point' && e.data.id === 'CP-LIVE'
      && e.data.connectors.some((c) => c.connectorId === 1 && c.status === 'Charging')));

    await cp.call('StopTransaction', { transactionId: start.transactionId, meterStop: 4000, timestamp: new Date().toISOString() });
    const stopped = await eventually(() => events.find((e) => e.name === 'transaction' && e.data.id === start.transactionId
      && !e.data.active));
    assert.equal(stopped.data.energyWh, 3000);
    await cp.close();
  } finally {
    abort.abort();
    await linkray.stop();
    linkray.removeData();
  }
});

test('an admin changes the configuration file without seeing its secrets; what needs a restart says so', async () => {
  const passwordHash = hashPassword('charger-CP-CFG-password');
  const config = testConfig({ chargePoints: [{ id: 'CP-CFG', passwordHash }] });
  const linkray = await LinkRay.start(config);
  try {
    assert.equal(createAdmin(linkray, 'installer', 'a-long-enough-password').status, 0);
    const login = await fetch(new URL('api/v1/session', linkray.webUrl), {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'installer', password: 'a-long-enough-password' }),
    });
    const { csrfToken } = await login.json();
    const headers = { Cookie: login.headers.get('set-cookie').split(';')[0], 'Content-Type': 'application/json' };
    const shown = await (await fetch(new URL('api/v1/config', linkray.webUrl), { headers })).json();
    assert.equal(shown.config.chargePoints[0].passwordHash, '********');
    assert.ok(!JSON.stringify(shown).includes(passwordHash.split('$')[3]));

    shown.config.ocpp.heartbeatIntervalSeconds = 1234;
    const changed = await fetch(new URL('api/v1/config', linkray.webUrl), {
      method: 'PUT', headers: { ...headers, 'X-CSRF-Token': csrfToken }, body: JSON.stringify(shown.config),
    });
    assert.equal(changed.status, 200);
    assert.equal((await changed.json()).restartRequired, true);
    const onDisk = JSON.parse(readFileSync(path.join(linkray.dataDir, 'config.json'), 'utf8'));
    assert.equal(onDisk.ocpp.heartbeatIntervalSeconds, 1234);
    assert.equal(onDisk.chargePoints[0].passwordHash, passwordHash, 'the secret kept as it was');
    const again = await (await fetch(new URL('api/v1/config', linkray.webUrl), { headers })).json();
    assert.equal(again.config.ocpp.heartbeatIntervalSeconds, 1234, 'shows what the file holds');
  } finally {
    await linkray.stop();
    linkray.removeData();
  }
});
