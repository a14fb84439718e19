#!/usr/bin/env python3
"""Compares a result .npy with the values written in a test file.

The test file holds the expected tensor as lines `// EXPECTED: v v v ...` (in
row-major order, as a reference document prints it), optionally preceded by
`// EXPECTED-SHAPE: 1x1x7x7`. A value matches when
|y - expected| <= rtol * |expected| + atol; `// EXPECTED-ATOL: a` sets atol
for the values that follow it (for values whose float32 rounding noise is
known). Prints the worst element and exits non-zero on a mismatch.
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import deconv_cases as cases  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("result")
    parser.add_argument("test_file")
    parser.add_argument("--prefix", default="EXPECTED")
    parser.add_argument("--rtol", type=float, default=1e-6)
    parser.add_argument("--atol", type=float, default=1e-6)
    args = parser.parse_args()
    values, atols, shape, atol = [], [], None, args.atol
    with open(args.test_file) as f:
        for line in f:
            line = line.strip()
            tag = "// %s:" % args.prefix
            shape_tag = "// %s-SHAPE:" % args.prefix
            atol_tag = "// %s-ATOL:" % args.prefix
            if line.startswith(shape_tag):
                shape = tuple(int(s) for s in line[len(shape_tag):].strip().split("x"))
            elif line.startswith(atol_tag):
                atol = float(line[len(atol_tag):])
            elif line.startswith(tag):
                row = [float(v) for v in line[len(tag):].replace(",", " ").split()]
                values += row
                atols += [atol] * len(row)
    y = cases.load_npy(args.result)
    if shape is not None and y.shape != shape:
        print("shape %s, expected %s" % ("x".join(map(str, y.shape)),
                                          "x".join(map(str, shape))))
        return 1
    if y.size != len(values):
        print("%d values, expected %d" % (y.size, len(values)))
        return 1
    expected = np.array(values)
    actual = y.reshape(-1)
    atols = np.array(atols)
    excess = np.abs(actual - expected) - (args.rtol * np.abs(expected) + atols)
    worst = int(np.argmax(excess))
    if excess[worst] > 0:
        print("element %d is %.9g, expected %.9g (rtol %g, atol %g)"
              % (worst, actual[worst], expected[worst], args.rtol, atols[worst]))
        return 1
    print("%d values match" % len(values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
