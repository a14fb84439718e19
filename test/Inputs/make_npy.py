#!/usr/bin/env python3
"""Writes a .npy file, well-formed or broken in one named way, for the error
tests: make_npy.py KIND PATH."""

import struct
import sys

import numpy as np


def header(text, version=1):
    text += " " * ((64 - (10 + len(text) + 1) % 64) % 64) + "\n"
    size = struct.pack("<H", len(text)) if version == 1 else struct.pack("<I", len(text))
    return b"\x93NUMPY" + bytes([version, 0]) + size + text.encode("latin1")


def main():
    kind, path = sys.argv[1], sys.argv[2]
    good = np.arange(1, 10, dtype=np.float32).reshape(1, 1, 3, 3)
    data = {
        "good": None,
        "good-v2": header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 3, 3), }", 2) + good.tobytes(),
        "good-v3": header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 3, 3), }", 3) + good.tobytes(),
        "bad-magic": b"\x93NUMPX\x01\x00" + b"\x00" * 80,
        "bad-version": header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 3, 3), }").replace(b"\x01\x00", b"\x07\x00", 1) + good.tobytes(),
        "truncated": header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 3, 3), }") + good.tobytes()[:20],
        "extra": header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 3, 3), }") + good.tobytes() + b"\x00" * 4,
        "fortran": header("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1, 3, 3), }") + good.tobytes(),
        "big-endian": header("{'descr': '>f4', 'fortran_order': False, 'shape': (1, 1, 3, 3), }") + good.byteswap().tobytes(),
        "float64": header("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 3, 3), }") + good.astype(np.float64).tobytes(),
        "no-shape": header("{'descr': '<f4', 'fortran_order': False, }") + good.tobytes(),
        "bad-shape": header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, x, 3), }") + good.tobytes(),
        "header-overrun": b"\x93NUMPY\x01\x00\xff\xff{'descr'",
        "empty": b"",
        "f16": None,
    }[kind]
    if kind == "good":
        np.save(path, good)
        return
    if kind == "f16":
        np.save(path, good.astype(np.float16))
        return
    with open(path, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
