// Faults on the CSMS side with the real linkray in online mode (docs/robustness.md): a CSMS certificate that does not
// verify, and a CSMS that answers slowly or too late. Each must be visible in the log and the API, the charger must
// still be answered, and the other chargers must not notice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BOOT, LinkRay, connectChargePoint, eventually, onlineConfig } from './lib/linkray.mjs';
import { Csms } from './lib/csms.mjs';
import { TestPki } from './lib/certificates.mjs';

const CSMS_HEARTBEAT_INTERVAL = 777; // what the test CSMS answers a BootNotification with; LinkRay answers 60

async function linkOf(api, chargePointId) {
  return (await api('api/v1/site')).csmsLinks.find((link) => link.chargePointId === chargePointId);
}

// A `done` for heartbeatsUntil that lets `count` Heartbeats through.
function after(count) {
  return () => count-- === 0;
}

// Heartbeats from `cp` until `done()`; returns how many, and checks that `csms` answered each (none answered locally).
async function heartbeatsUntil(cp, csms, done) {
  const before = csms.callsOf(cp.identity, 'Heartbeat').length;
  let trips = 0;
  while (!done()) {
    await cp.call('Heartbeat', {});
    trips++;
  }
  assert.equal(csms.callsOf(cp.identity, 'Heartbeat').length - before, trips, `${cp.identity}: the CSMS answered each`);
  return trips;
}

test('a CSMS certificate that does not verify is shown and logged, the charger is served locally, others are not touched', async (t) => {
  const pki = new TestPki();
  const operatorCa = pki.certificateAuthority('Operator CA');
  const strangerCa = pki.certificateAuthority('Stranger CA');
  const faults = [
    { name: 'untrusted CA', certificate: pki.serverCertificate('untrusted', strangerCa), reason: /not accepted: .*(issuer|trusted|verified)/i },
    { name: 'wrong host name', certificate: pki.serverCertificate('wrong-host', operatorCa, { altName: 'DNS:csms.example' }),
      reason: /not accepted: .*host name did not match/ },
    { name: 'expired', certificate: pki.serverCertificate('expired', operatorCa,
      { startDate: '20200101000000Z', endDate: '20200102000000Z' }), reason: /not accepted: .*expired/ },
  ];
  const secure = await Csms.open({ tls: faults[0].certificate });
  await secure.start();
  const plain = await Csms.open();
  await plain.start();
  const linkray = await LinkRay.start(onlineConfig(secure, { tls: { caFile: operatorCa.cert } },
    { chargePoints: [{ id: 'CP-PLAIN', csms: { url: plain.url } }] }));
  try {
    const api = await linkray.signInAsAdmin();
    const other = await connectChargePoint(linkray, 'CP-PLAIN');
    assert.equal((await other.call('BootNotification', BOOT)).interval, CSMS_HEARTBEAT_INTERVAL, 'answered by its CSMS');
    const cp = await connectChargePoint(linkray, 'CP-TLS');
    const boot = await cp.call('BootNotification', BOOT);
    assert.equal(boot.status, 'Accepted');
    assert.notEqual(boot.interval, CSMS_HEARTBEAT_INTERVAL, 'answered by LinkRay, the CSMS cannot be reached');

    for (const fault of faults) {
      secure.useCertificate(fault.certificate);
      const link = await eventually(async () => {
        const shown = await linkOf(api, 'CP-TLS');
        return shown?.state === 'outage' && fault.reason.test(shown.lastProblem ?? '') && shown;
      }, { timeoutMs: 10000 });
      assert.match(link.lastProblem, /TLS certificate of the CSMS not accepted/);
      t.diagnostic(`${fault.name}: ${link.lastProblem}`);
      assert.ok(linkray.output.stderr.includes(link.lastProblem), `${fault.name}: the log names it`);
      const events = (await api('api/v1/events?kind=UpstreamDown&chargePoint=CP-TLS')).events;
      assert.ok(events.some((event) => event.details.reason === link.lastProblem), `${fault.name}: an event names it`);

      assert.ok((await cp.call('Heartbeat', {})).currentTime, `${fault.name}: the charger is answered locally`);
      assert.equal(secure.client('CP-TLS'), undefined, 'the CSMS never saw the charger');
      await heartbeatsUntil(other, plain, after(3));
      assert.equal((await linkOf(api, 'CP-PLAIN')).state, 'connected', 'the other charger stays relayed');
    }

    // Positive control: the same CSMS with a certificate of the configured CA is reached by the same connection.
    secure.useCertificate(pki.serverCertificate('valid', operatorCa));
    await eventually(async () => (await linkOf(api, 'CP-TLS'))?.state === 'connected', { timeoutMs: 10000 });
    await heartbeatsUntil(cp, secure, after(1));
    await cp.close();
    await other.close();
  } finally {
    await linkray.stop();
    linkray.removeData();
    await secure.close();
    await plain.close();
    pki.remove();
  }
});

test('a slow CSMS delays no other charger; one that answers too late is answered for by LinkRay and gets the call again', async (t) => {
  const csms = await Csms.open();
  await csms.start();
  const answerTimeoutMs = 1000;
  const linkray = await LinkRay.start(onlineConfig(csms, { answerTimeoutSeconds: answerTimeoutMs / 1000 }));
  try {
    const api = await linkray.signInAsAdmin();
    const slow = await connectChargePoint(linkray, 'CP-SLOW');
    const fast = await connectChargePoint(linkray, 'CP-FAST');
    for (const cp of [slow, fast]) assert.equal((await cp.call('BootNotification', BOOT)).interval, CSMS_HEARTBEAT_INTERVAL);

    // Slow but within the timeout: the CSMS answers, and meanwhile the other charger's calls go and come back.
    csms.answerDelayMsOf.set('CP-SLOW', answerTimeoutMs / 2);
    let answered = false;
    const status = slow.call('StatusNotification', {
      connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: new Date().toISOString() })
      .then(() => { answered = true; });
    const tripsWhileSlow = await heartbeatsUntil(fast, csms, () => answered);
    await status;
    assert.ok(tripsWhileSlow >= 2, `the other charger made ${tripsWhileSlow} round trips while the CSMS took its time`);
    assert.equal(csms.callsOf('CP-SLOW', 'StatusNotification').length, 1);
    assert.doesNotMatch(linkray.output.stderr, /no answer from the CSMS/, 'the CSMS answered in time');

    // Too late: LinkRay answers the charger itself before the CSMS does, then replays the call with the same id.
    csms.answerDelayMsOf.set('CP-SLOW', answerTimeoutMs * 3);
    answered = false;
    const meterValues = { connectorId: 1, meterValue: [{ timestamp: new Date().toISOString(),
      sampledValue: [{ value: '1234', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] };
    const started = performance.now();
    const late = slow.call('MeterValues', meterValues).then(() => { answered = true; });
    const tripsWhileLate = await heartbeatsUntil(fast, csms, () => answered);
    await late;
    const answeredAfterMs = performance.now() - started;
    // The upstream reconnects at once, so the replay may already have arrived (and wait for its answer) as well.
    const messageId = JSON.parse(csms.framesOf('CP-SLOW', false).find((text) => JSON.parse(text)[2] === 'MeterValues'))[1];
    assert.ok(!csms.framesOf('CP-SLOW', true).some((text) => JSON.parse(text)[1] === messageId),
      'the charger had its answer before the CSMS answered');
    assert.ok(tripsWhileLate >= 2, `the other charger made ${tripsWhileLate} round trips meanwhile`);
    const stalled = new RegExp(`no answer from the CSMS to MeterValues ${messageId} within ${answerTimeoutMs} ms`);
    await eventually(() => stalled.test(linkray.output.stderr));
    const link = await linkOf(api, 'CP-SLOW');
    assert.match(link.lastProblem, new RegExp(`no answer from the CSMS to MeterValues ${messageId} within ${answerTimeoutMs} ms`),
      'the API names the call the CSMS left unanswered');
    t.diagnostic(`the charger was answered after ${answeredAfterMs.toFixed(0)} ms; the other charger made `
      + `${tripsWhileSlow} Heartbeat round trips during a ${answerTimeoutMs / 2} ms answer and ${tripsWhileLate} during `
      + `the timeout; link: ${JSON.stringify(link)}`);

    csms.answerDelayMsOf.delete('CP-SLOW');
    await eventually(() => linkray.query('select count(*) as n from outbox')[0].n === 0, { timeoutMs: 10000 });
    const delivered = csms.callsOf('CP-SLOW', 'MeterValues');
    assert.ok(delivered.length >= 2, 'the kept MeterValues was sent again');
    const resent = csms.framesOf('CP-SLOW', false).map((text) => JSON.parse(text)).filter((frame) => frame[2] === 'MeterValues');
    assert.ok(resent.every((frame) => frame[1] === messageId), 'with the same message id');
    assert.deepEqual(resent.at(-1)[3], meterValues);
    await eventually(async () => (await linkOf(api, 'CP-SLOW'))?.state === 'connected');
    assert.equal((await linkOf(api, 'CP-FAST')).state, 'connected');
    await slow.close();
    await fast.close();
  } finally {
    await linkray.stop();
    linkray.removeData();
    await csms.close();
  }
});
