#!/usr/bin/env python3
"""Prints the messages of an r4ncl bag (`r4ncl bag record`), decoded by the protobuf type each
topic carries: one line per message, time since the first message, topic, and the message as
JSON (spike events are summarised). Reads the HDF5 file with h5py, decodes with the modules of
examples/python/generate.sh.

    python3 examples/python/bag_dump.py run.h5 [--topic r4ncl/pred] [--count 10]
"""
import argparse
import importlib
import os
import sys

import r4ncl_peer  # noqa: F401  (puts the generated modules on sys.path, or says how to make them)
import h5py
from google.protobuf import descriptor_pool, json_format, message_factory
from google.protobuf.message import DecodeError


def load_generated_modules():
    """Imports every generated r4ncl/v1/*_pb2 module, so their types are in the default pool."""
    for directory in sys.path:
        package = os.path.join(directory, "r4ncl", "v1")
        if os.path.isdir(package):
            for name in sorted(os.listdir(package)):
                if name.endswith("_pb2.py"):
                    importlib.import_module("r4ncl.v1." + name[:-3])
            return


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bag")
    parser.add_argument("--topic", default="", help="only topics with this prefix")
    parser.add_argument("--count", type=int, default=0, help="stop after this many messages (0 = all)")
    args = parser.parse_args()
    load_generated_modules()
    pool = descriptor_pool.Default()
    with h5py.File(args.bag, "r") as f:
        if text(f.attrs.get("format", "")) != "r4ncl-bag":
            sys.exit(f"{args.bag}: not an r4ncl bag (no format attribute 'r4ncl-bag')")
        topics = [text(t) for t in f["topics"][:]]
        types = [text(t) for t in f["types"][:]]
        times = f["messages/time_ns"][:]
        shown = 0
        for i, t in enumerate(f["messages/topic"][:]):
            topic = topics[t]
            if not topic.startswith(args.topic):
                continue
            payload = f["messages/payload"][i].tobytes()
            seconds = (times[i] - times[0]) / 1e9
            if not types[t]:
                body = f"<{len(payload)} bytes, unknown type>"
            else:
                cls = message_factory.GetMessageClass(pool.FindMessageTypeByName(types[t]))
                try:
                    message = cls.FromString(payload)
                except DecodeError:  # bags keep what arrived, valid or not
                    print(f"{seconds:9.3f} {topic} <{len(payload)} bytes, not a valid {types[t]}>")
                    shown += 1
                    if args.count and shown >= args.count:
                        break
                    continue
                note = ""
                if types[t] == "r4ncl.v1.SpikeSample":
                    note = f" ({len(message.times)} events)"
                    del message.times[:]
                    del message.units[:]
                body = json_format.MessageToJson(message, indent=None) + note
            print(f"{seconds:9.3f} {topic} {body}")
            shown += 1
            if args.count and shown >= args.count:
                break


if __name__ == "__main__":
    main()
