#!/usr/bin/env python3
"""Checks that .npy files hold the same header (dtype, shape) and bytes.

Compares the files themselves, so any dtype deconv writes works (bfloat16
included, which NumPy cannot load without ml_dtypes). Prints "N files, E
elements each, the same bits", or the first element that differs and exits
non-zero.
"""

import struct
import sys


def split(path):
    """(header text, data bytes) of a version 1 .npy file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:6] != b"\x93NUMPY":
        sys.exit(f"{path}: not an .npy file")
    length = struct.unpack("<H", data[8:10])[0]
    return data[10:10 + length].decode("latin1").strip(), data[10 + length:]


def main():
    files = [split(path) for path in sys.argv[1:]]
    header, data = files[0]
    shape = header.split("(")[1].split(")")[0]
    elements = 1
    for size in (s for s in shape.split(",") if s.strip()):
        elements *= int(size)
    width = len(data) // max(elements, 1)
    for path, (other_header, other_data) in zip(sys.argv[2:], files[1:]):
        if other_header != header:
            sys.exit(f"{path}: header {other_header}, {sys.argv[1]}: {header}")
        for i in range(elements):
            a = data[i * width:(i + 1) * width]
            b = other_data[i * width:(i + 1) * width]
            if a != b:
                sys.exit(f"{path}: element {i} has bytes {b.hex()}, "
                         f"{sys.argv[1]} {a.hex()}")
    print(f"{len(files)} files, {elements} elements each, the same bits")


if __name__ == "__main__":
    main()
