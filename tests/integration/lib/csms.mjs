// A strict OCPP 1.6 CSMS (npm ocpp-rpc RPCServer in strict mode) on 127.0.0.1, for online-mode tests: it records
// every frame exactly as it crossed the wire, answers with its own transaction ids, and can go down and come up again
// to play an internet outage.
//
// The port is held from open() to close(): while the CSMS is down, its gate accepts each TCP connection and closes it
// at once, so that LinkRay sees the link fail. Releasing the port between an outage and its end would let any other
// process on the machine take it (an ephemeral port is also a client socket's local port), and the CSMS could not
// come back.
//
// With `tls` ({ cert, key } in PEM) it is a wss:// CSMS; `useCertificate` changes the certificate it shows to the
// next connections, to play a CSMS whose certificate is replaced.
import { RPCServer } from 'ocpp-rpc';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer } from 'node:net';

export class Csms {
  static async open(options) {
    const csms = new Csms(options);
    await new Promise((resolve, reject) => {
      csms.gate.once('error', reject);
      csms.gate.listen(0, '127.0.0.1', resolve);
    });
    csms.port = csms.gate.address().port;
    csms.url = `${options?.tls ? 'wss' : 'ws'}://127.0.0.1:${csms.port}/csms`;
    return csms;
  }

  constructor({ firstTransactionId = 5001, authorize, tls } = {}) {
    this.nextTransactionId = firstTransactionId;
    this.authorize = authorize ?? ((handshake, accept) => accept());
    this.frames = []; // { identity, outbound, message } in wire order, across restarts
    this.calls = []; // { identity, action, params } of the chargers' calls, in order
    this.clients = new Map();
    this.answerDelayMs = 0;
    this.answerDelayMsOf = new Map(); // identity -> ms, instead of answerDelayMs for that charger
    this.overrides = {}; // action -> (params, identity) => result, or a thrown error for a CALLERROR
    this.sockets = new Set();
    const notFound = (request, response) => response.writeHead(404).end();
    this.http = tls ? createHttpsServer(tls, notFound) : createHttpServer(notFound);
    this.http.on('upgrade', (request, socket, head) => this.server.handleUpgrade(request, socket, head));
    this.gate = createTcpServer((socket) => {
      if (!this.server) return socket.destroy();
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      this.http.emit('connection', socket);
    });
  }

  // Comes up: the next connection reaches a fresh server.
  async start() {
    const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
    server.auth((accept, reject, handshake) => this.authorize(handshake, accept, reject));
    server.on('client', (client) => this.#attach(client));
    this.server = server;
  }

  // Goes down: every connection is cut and new ones are closed as they arrive.
  async stop() {
    const server = this.server;
    this.server = null;
    if (server) await server.close({ force: true });
    for (const socket of this.sockets) socket.destroy();
    this.clients.clear();
  }

  async close() {
    await this.stop();
    await new Promise((resolve) => this.gate.close(resolve));
  }

  useCertificate({ cert, key }) {
    this.http.setSecureContext({ cert, key });
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
        const delayMs = this.answerDelayMsOf.get(identity) ?? this.answerDelayMs;
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
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
