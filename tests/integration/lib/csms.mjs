// A strict OCPP 1.6 CSMS (npm ocpp-rpc RPCServer in strict mode) on 127.0.0.1, for online-mode tests: it records
// every frame exactly as it crossed the wire, answers with its own transaction ids, and can be stopped and started
// again on the same port to play an internet outage.
import { RPCServer } from 'ocpp-rpc';
import { createServer } from 'node:net';

// A free port on 127.0.0.1, so that the CSMS URL can be configured before the CSMS first listens.
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export class Csms {
  constructor(port, { firstTransactionId = 5001, authorize } = {}) {
    this.port = port;
    this.url = `ws://127.0.0.1:${port}/csms`;
    this.nextTransactionId = firstTransactionId;
    this.authorize = authorize ?? ((handshake, accept) => accept());
    this.frames = []; // { identity, outbound, message } in wire order, across restarts
    this.calls = []; // { identity, action, params } of the chargers' calls, in order
    this.clients = new Map();
    this.answerDelayMs = 0;
    this.overrides = {}; // action -> (params, identity) => result, or a thrown error for a CALLERROR
  }

  async start() {
    this.server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
    this.server.auth((accept, reject, handshake) => this.authorize(handshake, accept, reject));
    this.server.on('client', (client) => this.#attach(client));
    this.http = await this.server.listen(this.port, '127.0.0.1');
  }

  async stop() {
    await this.server.close({ force: true });
    this.clients.clear();
  }

  framesOf(identity, outbound) {
    return this.frames.filter((f) => f.identity === identity && f.outbound === outbound).map((f) => f.message);
  }

  callsOf(identity, action) {
    return this.calls.filter((c) => c.identity === identity && (!action || c.action === action));
  }

  client(identity) {
    return this.clients.get(identity);
  }

  #attach(client) {
    const identity = client.identity;
    this.clients.set(identity, client);
    client.on('message', ({ message, outbound }) => this.frames.push({ identity, outbound, message: message.toString() }));
    client.on('close', () => { if (this.clients.get(identity) === client) this.clients.delete(identity); });
    const answer = (action, result) => {
      client.handle(action, async ({ params }) => {
        this.calls.push({ identity, action, params });
        if (this.answerDelayMs) await new Promise((r) => setTimeout(r, this.answerDelayMs));
        const override = this.overrides[action];
        return override ? override(params, identity) : result(params);
      });
    };
    answer('BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 777 }));
    answer('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    answer('StatusNotification', () => ({}));
    answer('Authorize', () => ({ idTagInfo: { status: 'Accepted' } }));
    answer('StartTransaction', () => ({ transactionId: this.nextTransactionId++, idTagInfo: { status: 'Accepted' } }));
    answer('MeterValues', () => ({}));
    answer('StopTransaction', () => ({}));
    answer('DataTransfer', (params) => ({ status: 'Accepted', data: `csms saw ${params.data ?? ''}` }));
  }
}
