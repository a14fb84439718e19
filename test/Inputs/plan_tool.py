#!/usr/bin/env python3
"""Reads and rewrites deconv plan files (format 3, runtime/include/deconv/
Runtime/Plan.h) for tests that need a plan the compiler would never write:

  plan_tool.py replace IN OUT --kernel K [--occurrence N] OLD NEW
                                                   rewrite kernel K's source
                                                   (the Nth OLD, default the
                                                   first, becomes NEW),
                                                   dropping its CUBINs
  plan_tool.py version IN OUT V                    stamp format version V
  plan_tool.py set-dim IN OUT input|output I D TEXT
                                                   input or output I's
                                                   dimension D becomes TEXT
                                                   (@FILE: the file's text)
  plan_tool.py show IN                             kernels, one per line

Written from the format's description, sharing no code with the runtime.
"""

import argparse
import hashlib
import struct
import sys

MAGIC = b"DECONV-PLAN\n"


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        chunk = self.data[self.pos:self.pos + n]
        if len(chunk) != n:
            sys.exit("plan_tool: truncated plan")
        self.pos += n
        return chunk

    def u8(self):
        return self.take(1)[0]

    def u32(self):
        return struct.unpack("<I", self.take(4))[0]

    def u64(self):
        return struct.unpack("<Q", self.take(8))[0]

    def string(self):
        return self.take(self.u64())

    def strings(self):
        return [self.string() for _ in range(self.u64())]

    def pairs(self):
        return [(self.string(), self.string()) for _ in range(self.u64())]


class Writer:
    def __init__(self):
        self.parts = []

    def u8(self, v):
        self.parts.append(bytes([v]))

    def u32(self, v):
        self.parts.append(struct.pack("<I", v))

    def u64(self, v):
        self.parts.append(struct.pack("<Q", v))

    def string(self, s):
        self.u64(len(s))
        self.parts.append(s)

    def strings(self, values):
        self.u64(len(values))
        for v in values:
            self.string(v)

    def pairs(self, values):
        self.u64(len(values))
        for a, b in values:
            self.string(a)
            self.string(b)

    def bytes(self):
        return b"".join(self.parts)


def parse(data):
    if not data.startswith(MAGIC):
        sys.exit("plan_tool: not a plan")
    header = Reader(data[len(MAGIC):])
    version = header.u32()
    payload = data[len(MAGIC) + 4 + 64 + 8:]
    r = Reader(payload)
    plan = {"version": version, "function": r.string()}
    plan["inputs"] = [(r.u8(), r.strings()) for _ in range(r.u64())]
    plan["buffers"] = [dict(kind=r.u8(), type=r.u8(), shape=r.strings(),
                            input=r.u32(), data=r.string())
                       for _ in range(r.u64())]
    kernels = []
    for _ in range(r.u64()):
        kernels.append(dict(name=r.string(), source=r.string(),
                            strategy=r.string(), configuration=r.string(),
                            block=[r.u32() for _ in range(3)],
                            grid=[r.string() for _ in range(3)],
                            shared=r.string(), macros=r.pairs(),
                            cubins=r.pairs()))
    plan["kernels"] = kernels
    plan["steps"] = [(r.u32(), [r.u32() for _ in range(r.u64())])
                     for _ in range(r.u64())]
    plan["outputs"] = [(r.u32(), r.strings()) for _ in range(r.u64())]
    return plan


def serialize(plan):
    w = Writer()
    w.string(plan["function"])
    w.u64(len(plan["inputs"]))
    for kind, shape in plan["inputs"]:
        w.u8(kind)
        w.strings(shape)
    w.u64(len(plan["buffers"]))
    for b in plan["buffers"]:
        w.u8(b["kind"])
        w.u8(b["type"])
        w.strings(b["shape"])
        w.u32(b["input"])
        w.string(b["data"])
    w.u64(len(plan["kernels"]))
    for k in plan["kernels"]:
        w.string(k["name"])
        w.string(k["source"])
        w.string(k["strategy"])
        w.string(k["configuration"])
        for size in k["block"]:
            w.u32(size)
        for size in k["grid"]:
            w.string(size)
        w.string(k["shared"])
        w.pairs(k["macros"])
        w.pairs(k["cubins"])
    w.u64(len(plan["steps"]))
    for kernel, buffers in plan["steps"]:
        w.u32(kernel)
        w.u64(len(buffers))
        for b in buffers:
            w.u32(b)
    w.u64(len(plan["outputs"]))
    for buffer, shape in plan["outputs"]:
        w.u32(buffer)
        w.strings(shape)
    payload = w.bytes()
    return (MAGIC + struct.pack("<I", plan["version"])
            + hashlib.sha256(payload).hexdigest().encode()
            + struct.pack("<Q", len(payload)) + payload)


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("replace")
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--kernel", type=int, default=0)
    p.add_argument("--occurrence", type=int, default=1)
    p.add_argument("old")
    p.add_argument("new")
    p = commands.add_parser("version")
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("version", type=int)
    p = commands.add_parser("set-dim")
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("tensors", choices=["input", "output"])
    p.add_argument("index", type=int)
    p.add_argument("dim", type=int)
    p.add_argument("text")
    p = commands.add_parser("show")
    p.add_argument("input")
    args = parser.parse_args()
    plan = parse(open(args.input, "rb").read())
    if args.command == "show":
        for k in plan["kernels"]:
            print("%s %s" % (k["name"].decode(), k["strategy"].decode()))
        return
    if args.command == "version":
        plan["version"] = args.version
    elif args.command == "set-dim":
        text = args.text
        if text.startswith("@"):
            text = open(text[1:]).read()
        plan[args.tensors + "s"][args.index][1][args.dim] = text.encode()
    else:
        kernel = plan["kernels"][args.kernel]
        old, new = args.old.encode(), args.new.encode()
        source, at = kernel["source"], -1
        for _ in range(args.occurrence):
            at = source.find(old, at + 1)
            if at < 0:
                sys.exit("plan_tool: kernel %d has fewer than %d of '%s'"
                         % (args.kernel, args.occurrence, args.old))
        kernel["source"] = source[:at] + new + source[at + len(old):]
        kernel["cubins"] = []
    open(args.output, "wb").write(serialize(plan))


if __name__ == "__main__":
    main()
