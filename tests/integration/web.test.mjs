// The web API served by the real linkray: where it says it is, accounts from the command line, HTTPS by default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { LinkRay, testConfig } from './lib/linkray.mjs';

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
