// Who may connect: the unknown charge point policy and HTTP Basic auth (OCPP security profile 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BOOT, LinkRay, connectChargePoint, connectRaw, hashPassword, testConfig } from './lib/linkray.mjs';

async function withLinkRay(config, body) {
  const linkray = await LinkRay.start(config);
  try { await body(linkray); } finally { await linkray.stop(); linkray.removeData(); }
}

test('unknown charge points are booted Pending when the policy says pending', async () => {
  await withLinkRay(testConfig({ ocpp: { unknownChargePoints: 'pending' }, chargePoints: [{ id: 'CP-KNOWN' }] }), async (linkray) => {
    const unknown = await connectChargePoint(linkray, 'CP-STRANGER');
    assert.equal((await unknown.call('BootNotification', BOOT)).status, 'Pending');
    await assert.rejects(unknown.call('Authorize', { idTag: 'TAG-OK' }), { rpcErrorCode: 'SecurityError' });
    const known = await connectChargePoint(linkray, 'CP-KNOWN');
    assert.equal((await known.call('BootNotification', BOOT)).status, 'Accepted');
    await unknown.close();
    await known.close();
  });
});

test('unknown charge points are refused when the policy says reject', async () => {
  await withLinkRay(testConfig({ ocpp: { unknownChargePoints: 'reject' }, chargePoints: [{ id: 'CP-KNOWN' }] }), async (linkray) => {
    const raw = await connectRaw(linkray, 'CP-STRANGER');
    const { code } = await raw.closed;
    assert.equal(code, 1008);
    const known = await connectChargePoint(linkray, 'CP-KNOWN');
    assert.equal((await known.call('BootNotification', BOOT)).status, 'Accepted');
    await known.close();
  });
});

test('Basic auth: the right password is accepted, a wrong or missing one refused', async () => {
  const passwordHash = hashPassword('s3cret-for-CP-AUTH');
  const config = testConfig({ ocpp: { requireBasicAuth: true }, chargePoints: [{ id: 'CP-AUTH', passwordHash }] });
  await withLinkRay(config, async (linkray) => {
    const good = await connectChargePoint(linkray, 'CP-AUTH', { password: 's3cret-for-CP-AUTH' });
    assert.equal((await good.call('BootNotification', BOOT)).status, 'Accepted');
    await good.close();

    const basic = (user, pass) => ({ Authorization: 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64') });
    for (const headers of [basic('CP-AUTH', 'Not-The-Password-9x'), basic('OTHER', 's3cret-for-CP-AUTH'), {}]) {
      const raw = await connectRaw(linkray, 'CP-AUTH', ['ocpp1.6'], headers);
      const { code } = await raw.closed;
      assert.equal(code, 1008, `refused with ${JSON.stringify(Object.keys(headers))}`);
    }
    assert.doesNotMatch(linkray.output.stdout + linkray.output.stderr, /s3cret-for-CP-AUTH|Not-The-Password-9x/, 'passwords never reach the log');
  });
});

test('a client that does not speak ocpp1.6 is refused', async () => {
  await withLinkRay(testConfig(), async (linkray) => {
    const raw = await connectRaw(linkray, 'CP-OLD', ['ocpp1.5']).catch((error) => ({ refusedAtHandshake: error }));
    if (raw.refusedAtHandshake) return;
    const { code } = await raw.closed;
    assert.ok(code === 1002 || code === 1008, `closed with ${code}`);
  });
});
