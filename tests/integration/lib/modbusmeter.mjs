// A Modbus TCP site meter for integration tests: tests/meter/modbus_meter_server.py (pymodbus) on 127.0.0.1 with an
// ephemeral port, serving `values` through a LinkRay register map.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const root = path.resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../..');

export class ModbusMeter {
  static async start(values, { model = 'eastron-sdm630' } = {}) {
    const child = spawn('/usr/bin/python3', [path.join(root, 'tests/meter/modbus_meter_server.py'),
      '--map', path.join(root, `resources/meters/${model}.json`), '--values', JSON.stringify(values), '--tcp', '0'],
    { stdio: ['pipe', 'pipe', 'inherit'] });
    let output = '';
    const port = await new Promise((resolve, reject) => {
      child.stdout.on('data', (data) => {
        output += data;
        const match = output.match(/ready (\d+)\n/);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`meter server exited with ${code}`)));
    });
    return new ModbusMeter(child, port);
  }

  constructor(child, port) {
    this.child = child;
    this.port = port;
  }

  // Changes the values served from the next poll on. `json` is a JSON text, so that it can say NaN (Python reads it).
  setValuesJson(json) {
    this.child.stdin.write(json.replace(/\n/g, ' ') + '\n');
  }

  async stop() {
    if (this.child.exitCode !== null) return;
    this.child.kill();
    await once(this.child, 'exit');
  }
}
