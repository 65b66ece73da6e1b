#!/usr/bin/env python3
"""Generates LinkRay's OCPP 1.6 typed messages, validation tables and action catalogue from the official JSON schemas.

Usage: generate_messages.py --schemas ocpp1_6.json --actions actions.json --output <dir>
Writes <dir>/ocpp/messages.h, <dir>/ocpp/messages.cpp and <dir>/ocpp/catalogue_data.cpp.
Exits with status 1 and a message when the inputs disagree.
"""

import argparse
import os
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree; the script runs once per build

import emit_messages  # noqa: E402 (after the line above on purpose)
import emit_rules  # noqa: E402
from schema_model import SchemaError, build_model, fail  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemas", required=True, help="JSON array of the OCPP 1.6 draft-07 schemas")
    parser.add_argument("--actions", required=True, help="actions table: name, direction, profile")
    parser.add_argument("--output", required=True, help="directory that receives ocpp/…")
    args = parser.parse_args()
    try:
        model = build_model(args.schemas, args.actions)
        outputs = {
            "messages.h": emit_messages.header(model),
            "messages.cpp": emit_messages.source(model),
            "catalogue_data.cpp": emit_rules.source(model),
        }
    except (SchemaError, OSError, ValueError, KeyError) as error:
        fail(str(error))
    for note in model.notes:
        print(f"generate_messages: note: {note}")
    directory = os.path.join(args.output, "ocpp")
    os.makedirs(directory, exist_ok=True)
    for name, text in outputs.items():
        with open(os.path.join(directory, name), "w", encoding="utf-8") as file:
            file.write(text)


if __name__ == "__main__":
    main()
