// Bad input from a charger gets a clear CALLERROR or is dropped with a log line; the connection and LinkRay stay up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BOOT, LinkRay, connectChargePoint, connectRaw, testConfig } from './lib/linkray.mjs';

let linkray;
let raw;
before(async () => {
  linkray = await LinkRay.start(testConfig({ ocpp: { maxFrameBytes: 4096 }, chargePoints: [{ id: 'CP-STRICT', strict: true }] }));
  raw = await connectRaw(linkray, 'CP-RAW');
});
after(async () => { raw.close(); assert.equal(await linkray.stop(), 0); linkray.removeData(); });

async function exchange(text) {
  raw.send(text);
  return JSON.parse(await raw.nextMessage());
}

async function assertStillServing() {
  const reply = await exchange('[2,"alive","Heartbeat",{}]');
  assert.equal(reply[0], 3);
  assert.equal(reply[1], 'alive');
}

const answered = [
  ['wrong message type id', '[7,"m1","Heartbeat",{}]', 'm1', ['ProtocolError', 'FormationViolation']],
  ['CALL with a missing element', '[2,"m2","Heartbeat"]', 'm2', ['FormationViolation']],
  ['unknown action', '[2,"m3","MakeCoffee",{}]', 'm3', ['NotImplemented']],
  ['missing required field', '[2,"m4","Authorize",{}]', 'm4', ['OccurenceConstraintViolation']],
  ['wrong type', '[2,"m5","StartTransaction",{"connectorId":"one","idTag":"TAG-OK","meterStart":0,"timestamp":"2026-01-01T00:00:00Z"}]', 'm5', ['TypeConstraintViolation']],
  ['object where a string belongs', '[2,"m6","Authorize",{"idTag":{"nested":true}}]', 'm6', ['TypeConstraintViolation']],
  ['oversized frame', `[2,"m7","DataTransfer",{"vendorId":"x","data":"${'y'.repeat(8000)}"}]`, 'm7', ['FormationViolation']],
];

for (const [name, frame, id, codes] of answered) {
  test(`${name} is answered with a CALLERROR`, async () => {
    const reply = await exchange(frame);
    assert.equal(reply[0], 4, `expected CALLERROR, got ${JSON.stringify(reply)}`);
    assert.equal(reply[1], id);
    assert.ok(codes.includes(reply[2]), `error code ${reply[2]} not in ${codes}`);
    assert.equal(typeof reply[3], 'string');
    await assertStillServing();
  });
}

const dropped = [
  ['not JSON', '{{{ not json'],
  ['not an array', '{"hello":"world"}'],
  ['a CALLRESULT for a call never made', '[3,"never-made",{}]'],
  ['a CALLERROR for a call never made', '[4,"never-made","GenericError","",{}]'],
];

for (const [name, frame] of dropped) {
  test(`${name} is dropped and the connection stays up`, async () => {
    raw.send(frame);
    await assertStillServing();
  });
}

test('lenient by default: a deviation that can be acted on is accepted and counted', async () => {
  const reply = await exchange(JSON.stringify([2, 'lenient', 'BootNotification',
    { ...BOOT, chargePointSerialNumber: 'S'.repeat(40), vendorExtra: 1 }]));
  assert.equal(reply[0], 3);
  assert.equal(reply[2].status, 'Accepted');
  const counted = linkray.query("select sum(count) as n from protocol_deviations where charge_point_id = 'CP-RAW'");
  assert.ok(counted[0].n >= 2, `deviations counted: ${JSON.stringify(counted)}`);
});

test('a charger in strict mode gets the spec\'s CALLERROR for every deviation', async () => {
  const strict = await connectRaw(linkray, 'CP-STRICT');
  const ask = async (frame) => { strict.send(frame); return JSON.parse(await strict.nextMessage()); };
  const extra = await ask(JSON.stringify([2, 's1', 'BootNotification', { ...BOOT, vendorExtra: 1 }]));
  assert.deepEqual(extra.slice(0, 3), [4, 's1', 'FormationViolation']);
  const long = await ask(JSON.stringify([2, 's2', 'BootNotification', { ...BOOT, chargePointSerialNumber: 'S'.repeat(40) }]));
  assert.deepEqual(long.slice(0, 3), [4, 's2', 'PropertyConstraintViolation']);
  const clean = await ask(JSON.stringify([2, 's3', 'BootNotification', BOOT]));
  assert.deepEqual(clean.slice(0, 2), [3, 's3']);
  strict.close();
});

test('other chargers are unaffected by a misbehaving one', async () => {
  const good = await connectChargePoint(linkray, 'CP-GOOD');
  assert.equal((await good.call('BootNotification', BOOT)).status, 'Accepted');
  await good.close();
});
