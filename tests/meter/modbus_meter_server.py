#!/usr/bin/python3
"""A Modbus meter for the tests: serves values through a LinkRay register map with pymodbus.

    modbus_meter_server.py --map resources/meters/eastron-sdm630.json --values '{"voltageL1": 230.1}'
                           (--tcp PORT | --serial DEVICE) [--unit 1]

Every value is written at the map's address in its type and word order (scale factors as numbers only, no unit
conversion: give values in the map's unit). Prints "ready <port>" (TCP) or "ready" (serial) once it answers.
Each line of JSON read on standard input afterwards changes values the same way (e.g. a site's base load rising).
Debian's pymodbus 3.0 needs zero_mode=True (else addresses shift by one) and calls unit ids "slaves".
"""
import argparse
import asyncio
import json
import struct
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server.async_io import ModbusSerialServer, ModbusTcpServer

FORMATS = {"int16": "h", "uint16": "H", "int32": "i", "uint32": "I", "int64": "q", "uint64": "Q", "float32": "f"}


def encode(field, value):
    kind = field["type"]
    raw = value / field.get("scale", 1)
    if kind != "float32":
        raw = int(round(raw))
    words = list(struct.unpack(">%dH" % (struct.calcsize(FORMATS[kind]) // 2), struct.pack(">" + FORMATS[kind], raw)))
    return words if field.get("wordOrder", "big") == "big" else list(reversed(words))


FUNCTION_CODES = {"input": 4, "holding": 3}


def write_values(slave, register_map, values):
    defaults = register_map.get("defaults", {})
    base = register_map.get("baseAddress", 0)
    for name, value in values.items():
        field = dict(defaults, **register_map["values"][name])
        function = FUNCTION_CODES[field.get("function", "input")]
        slave.setValues(function, base + field["address"], encode(field, value))


def build_context(register_map, values, unit):
    slave = ModbusSlaveContext(ir=ModbusSequentialDataBlock(0, [0] * 65536),
                               hr=ModbusSequentialDataBlock(0, [0] * 65536), zero_mode=True)
    write_values(slave, register_map, values)
    return ModbusServerContext(slaves={unit: slave}, single=False), slave


async def follow_stdin(slave, register_map):
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            return
        if line.strip():
            write_values(slave, register_map, json.loads(line))
            print("updated", flush=True)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--map", required=True)
    parser.add_argument("--values", required=True)
    parser.add_argument("--unit", type=int, default=1)
    parser.add_argument("--tcp", type=int)
    parser.add_argument("--serial")
    args = parser.parse_args()
    register_map = json.load(open(args.map))
    context, slave = build_context(register_map, json.loads(args.values), args.unit)
    asyncio.create_task(follow_stdin(slave, register_map))
    if args.serial:
        server = ModbusSerialServer(context, port=args.serial, baudrate=9600)
        await server.start()
        print("ready", flush=True)
        await server.serve_forever()
    else:
        server = ModbusTcpServer(context, address=("127.0.0.1", args.tcp or 0), allow_reuse_address=True)
        task = asyncio.create_task(server.serve_forever())
        await server.serving
        print(f"ready {server.server.sockets[0].getsockname()[1]}", flush=True)
        await task


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
