// kill -9 in the middle of transactions: every transaction a charger was told about survives and completes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BOOT, LinkRay, connectChargePoint, testConfig } from './lib/linkray.mjs';

test('transactions survive kill -9 and complete after the restart', async () => {
  const config = testConfig();
  let linkray = await LinkRay.start(config);
  const started = [];
  const chargers = [];
  for (let i = 1; i <= 3; i++) {
    const cp = await connectChargePoint(linkray, `CP-CRASH-${i}`);
    await cp.call('BootNotification', BOOT);
    const tag = i === 1 ? 'TAG-OK' : i === 2 ? 'TAG-OK-2' : 'TAG-CHILD';
    const res = await cp.call('StartTransaction', { connectorId: 1, idTag: tag, meterStart: i * 100, timestamp: new Date().toISOString() });
    started.push({ id: `CP-CRASH-${i}`, transactionId: res.transactionId, meterStart: i * 100 });
    chargers.push(cp);
  }
  // A burst of meter values in flight when the process dies.
  const inFlight = chargers.map((cp, i) => cp.call('MeterValues', { connectorId: 1, transactionId: started[i].transactionId,
    meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: String(started[i].meterStart + 50) }] }] }).catch(() => null));
  await linkray.kill9();
  await Promise.all(inFlight);
  await Promise.all(chargers.map((cp) => cp.close({ force: true }).catch(() => null)));

  linkray = await LinkRay.start(config, { dataDir: linkray.dataDir });
  try {
    const active = linkray.query('select id from transactions where stopped_at is null order by id').map((r) => r.id);
    assert.deepEqual(active, started.map((s) => s.transactionId), 'every acknowledged transaction is still open');
    for (const s of started) {
      const cp = await connectChargePoint(linkray, s.id);
      const stop = await cp.call('StopTransaction', { transactionId: s.transactionId, meterStop: s.meterStart + 1000,
        timestamp: new Date().toISOString(), reason: 'EVDisconnected' });
      assert.ok(stop);
      await cp.close();
    }
    const stopped = linkray.query('select id, meter_stop_wh from transactions order by id');
    assert.deepEqual(stopped, started.map((s) => ({ id: s.transactionId, meter_stop_wh: s.meterStart + 1000 })));
    const [check] = linkray.query('pragma integrity_check');
    assert.equal(check.integrity_check, 'ok');
    const next = await connectChargePoint(linkray, 'CP-CRASH-NEW');
    await next.call('BootNotification', BOOT);
    const fresh = await next.call('StartTransaction', { connectorId: 1, idTag: 'TAG-OK', meterStart: 0, timestamp: new Date().toISOString() });
    assert.ok(fresh.transactionId > Math.max(...started.map((s) => s.transactionId)), 'transaction ids are never reused');
    await next.close();
  } finally {
    await linkray.stop();
    linkray.removeData();
  }
});
