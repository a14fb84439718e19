#!/usr/bin/env python3
"""The integer deconvolution's requantization, step by step, against NumPy.

Checks deconv's output (an .npy of the layer in integer-rounding.mlir:
x = -127..127 times a weight of 1 with scales 0.1 and 0.3, output scale
0.06, bias 0 and 0.09 on the two channels) against the definition in
DeconvOps.td, computed here in float32: y = f32(acc) * f32(0.1 * 0.3) + b,
then round_half_to_even(y / 0.06). With that output scale every odd x lies
on a tie in exact arithmetic, so the result depends on each f32 rounding:
the script also counts where exact arithmetic and a fused multiply-add
(one rounding of acc * m + b) would give other integers, to show the case
tells the formulas apart. Prints the counts; exits non-zero on a mismatch.

integer_rounding.py input X.npy   writes the layer's input
integer_rounding.py check Y.npy   checks its output
"""

import sys

import numpy as np

f32 = np.float32


def main():
    command, path = sys.argv[1], sys.argv[2]
    acc = np.arange(-127, 128)
    if command == "input":
        np.save(path, acc.astype(np.int8).reshape(1, 1, -1))
        return
    got = np.load(path)
    multiplier = f32(f32(0.1) * f32(0.3))
    scale = f32(0.06)
    bias = [f32(0.0), f32(0.09)]
    expected, exact, fused = [], [], []
    for b in bias:
        y = (acc.astype(f32) * multiplier).astype(f32) + b
        expected.append(np.rint((y / scale).astype(f32)))
        exact.append(np.rint((acc * 0.1 * 0.3 + float(b)) / 0.06))
        y_fma = np.array([f32(float(a) * float(multiplier) + float(b))
                          for a in acc])
        fused.append(np.rint((y_fma / scale).astype(f32)))
    expected, exact, fused = (np.stack(v)[None] for v in (expected, exact,
                                                            fused))
    if got.shape != expected.shape or got.dtype != np.int8:
        sys.exit("got %s %s, expected int8 %s" % (got.dtype, got.shape,
                                                  expected.shape))
    wrong = np.flatnonzero(got != expected)
    if wrong.size:
        index = np.unravel_index(wrong[0], got.shape)
        sys.exit("%d of %d differ; first at %s: got %d, expected %d" % (
            wrong.size, got.size, index, got[index], expected[index]))
    print("%d values equal the definition" % got.size)
    print("exact arithmetic would differ at %d" %
          np.count_nonzero(exact != expected))
    print("a fused multiply-add would differ at %d" %
          np.count_nonzero(fused != expected))


if __name__ == "__main__":
    main()
