// Starts the real linkray binary for integration tests and gives strict OCPP 1.6 peers (npm ocpp-rpc) to talk to it.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { RPCClient } from 'ocpp-rpc';
import WebSocket from 'ws';

const linkrayBin = process.env.LINKRAY_BIN;
if (!linkrayBin) throw new Error('LINKRAY_BIN must point at the linkray binary (set by CTest)');

export const BOOT = { chargePointVendor: 'TestVendor', chargePointModel: 'TestModel' };

// A configuration for one test: ephemeral port, fast timers, and the given overrides merged per section.
export function testConfig(overrides = {}) {
  const base = {
    configVersion: 1,
    mode: 'offline',
    ocpp: { listenAddress: '127.0.0.1', port: 0, heartbeatIntervalSeconds: 60, callTimeoutSeconds: 5 },
    web: { listenAddress: '127.0.0.1', port: 0, https: false },
    chargePoints: [],
    authorization: {
      unknownTags: 'reject',
      whitelist: [
        { idTag: 'TAG-OK' },
        { idTag: 'TAG-OK-2' },
        { idTag: 'TAG-CHILD', parentIdTag: 'TAG-PARENT' },
        { idTag: 'TAG-BLOCKED', status: 'Blocked' },
        { idTag: 'TAG-EXPIRED', expiryDate: '2020-01-01T00:00:00.000Z' },
      ],
    },
  };
  const merged = { ...base, ...overrides };
  for (const section of ['ocpp', 'authorization', 'web']) merged[section] = { ...base[section], ...(overrides[section] ?? {}) };
  return merged;
}

// An online-mode configuration against `csms` (lib/csms.mjs) with quick timeouts and reconnects.
export function onlineConfig(csms, csmsOverrides = {}, overrides = {}) {
  return testConfig({
    ...overrides,
    mode: 'online',
    csms: {
      url: csms.url, credentials: 'none', firstFrameWaitSeconds: 3, answerTimeoutSeconds: 3,
      reconnect: { initialSeconds: 1, maxSeconds: 1 }, ...csmsOverrides,
    },
  });
}

export function hashPassword(password) {
  const result = spawnSync(linkrayBin, ['--hash-password'], { input: password + '\n', encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`linkray --hash-password failed: ${result.stderr}`);
  return result.stdout.trim();
}

export class LinkRay {
  constructor(child, port, dataDir, output) {
    this.child = child;
    this.port = port;
    this.dataDir = dataDir;
    this.output = output;
    this.url = `ws://127.0.0.1:${port}/ocpp`;
  }

  // Starts linkray with `config` (written to the data directory) and waits until it listens; `args` are added to its
  // command line and `env` to its environment.
  static async start(config, { dataDir, args = [], env = {} } = {}) {
    const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'linkray-it-'));
    const configPath = path.join(dir, 'config.json');
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    const child = spawn(linkrayBin, ['--config', configPath, '--data-dir', dir, ...args],
                        { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const output = { stdout: '', stderr: '' };
    child.stderr.on('data', (d) => { output.stderr += d; });
    const port = await new Promise((resolve, reject) => {
      const onData = (d) => {
        output.stdout += d;
        const m = output.stdout.match(/OCPP listening on ws:\/\/[^:]+:(\d+)\//);
        if (m) { child.stdout.off('data', onData); child.stdout.on('data', (more) => { output.stdout += more; }); resolve(Number(m[1])); }
      };
      child.stdout.on('data', onData);
      child.once('exit', (code) => reject(new Error(`linkray exited with ${code} before listening:\n${output.stderr}`)));
    });
    const linkray = new LinkRay(child, port, dir, output);
    if (config.web?.enabled !== false) {
      await eventually(() => /web app at (\S+)/.test(output.stdout));
      linkray.webUrl = output.stdout.match(/web app at (\S+)/)[1];
    }
    return linkray;
  }

  async stop() {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const [code] = await once(this.child, 'exit');
    return code;
  }

  async kill9() {
    this.child.kill('SIGKILL');
    await once(this.child, 'exit');
  }

  removeData() {
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  // Reads the database as an operator would with the sqlite3 tool.
  query(sql) {
    const result = spawnSync('sqlite3', ['-json', path.join(this.dataDir, 'linkray.db'), sql], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`sqlite3 failed: ${result.stderr}`);
    return result.stdout.trim() ? JSON.parse(result.stdout) : [];
  }

  // Creates an administrator with --create-admin, signs in and returns a function that GETs an API path as JSON.
  async signInAsAdmin() {
    const password = 'integration-test-password';
    const created = spawnSync(linkrayBin, ['--data-dir', this.dataDir, '--create-admin', 'admin'],
                              { input: password + '\n', encoding: 'utf8' });
    if (created.status !== 0) throw new Error(`linkray --create-admin failed: ${created.stderr}`);
    const login = await fetch(new URL('api/v1/session', this.webUrl), {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'admin', password }),
    });
    if (login.status !== 200) throw new Error(`sign-in failed with HTTP ${login.status}`);
    const headers = { Cookie: login.headers.get('set-cookie').split(';')[0] };
    return async (apiPath) => (await fetch(new URL(apiPath, this.webUrl), { headers })).json();
  }

  // Sends a command to a charger through LinkRay's local control socket (linkray --call). Asynchronous, so that
  // the charge points played by this same process can answer while the command waits.
  call(chargePointId, action, payload) {
    return new Promise((resolve) => {
      execFile(linkrayBin, ['--data-dir', this.dataDir, '--call', chargePointId, action, JSON.stringify(payload)],
               { encoding: 'utf8', timeout: 20000 }, (error, stdout, stderr) => {
        const status = error ? (error.code ?? 1) : 0;
        resolve({ status, stdout, stderr, json: status === 0 ? JSON.parse(stdout) : undefined });
      });
    });
  }
}

// A strict OCPP 1.6 charge point: ocpp-rpc validates every frame LinkRay sends it against the official schemas.
export async function connectChargePoint(linkray, identity, { password, handlers = {} } = {}) {
  const client = new RPCClient({
    endpoint: linkray.url, identity, password, protocols: ['ocpp1.6'], strictMode: true, reconnect: false,
    callTimeoutMs: 10000,
  });
  const received = [];
  for (const [action, handler] of Object.entries(handlers)) {
    client.handle(action, async ({ params }) => { received.push({ action, params }); return handler(params); });
  }
  client.received = received;
  await client.connect();
  return client;
}

// A raw WebSocket for frames that no well-behaved OCPP library would send.
export async function connectRaw(linkray, identity, protocols = ['ocpp1.6'], headers = {}) {
  const socket = new WebSocket(`${linkray.url}/${encodeURIComponent(identity)}`, protocols, { headers });
  const messages = [];
  const waiters = [];
  socket.on('message', (data) => {
    const text = data.toString();
    const waiter = waiters.shift();
    if (waiter) waiter(text); else messages.push(text);
  });
  await once(socket, 'open');
  socket.nextMessage = (timeoutMs = 5000) => new Promise((resolve, reject) => {
    if (messages.length) return resolve(messages.shift());
    const timer = setTimeout(() => reject(new Error('no message within timeout')), timeoutMs);
    waiters.push((text) => { clearTimeout(timer); resolve(text); });
  });
  socket.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return socket;
}

// Waits until `predicate` holds, polling the given probe (e.g. a database query) on the event loop.
export async function eventually(predicate, { timeoutMs = 5000, intervalMs = 25 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
