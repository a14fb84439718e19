#!/usr/bin/env python3
"""Randomized differential test: deconv-run (--target=cpu, or a CUDA target
such as the host emulator) against the NumPy float64 reference of
deconv_cases.py on random valid deconvolutions (D = 1..3, or up to --max-dims,
groups and depthwise, stride, dilation, every padding form, both data
formats, every kernel format, bias or not, dynamic sizes, f32/f16/bf16).

The error of a case is max|y - ref| / max|ref| (normwise, so cancellation
near zero does not count as error); f32 must be within 1e-5, f16 4e-3 and
bf16 2e-2 (their own rounding). Prints one line per failure and closes with
'N passed, M failed'; exits non-zero if any failed.
"""

import argparse
import concurrent.futures
import os
import random
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import deconv_cases as cases  # noqa: E402

TOLERANCE = {"f32": 1e-5, "f16": 4e-3, "bf16": 2e-2}


def run_case(index, spec, seed, workdir, runner, target, extra, tolerance):
    rng = np.random.default_rng(seed)
    x_shape, w_shape, b_shape, _ = cases.shapes(spec, concrete=True)
    elt = spec["element_type"]
    x = cases.round_to(rng.uniform(-1, 1, x_shape), elt)
    w = cases.round_to(rng.uniform(-1, 1, w_shape), elt)
    b = cases.round_to(rng.uniform(-1, 1, b_shape), elt) if spec["bias"] else None
    prefix = os.path.join(workdir, "case%d" % index)
    with open(prefix + ".mlir", "w") as f:
        f.write(cases.render_function(spec, "main") + "\n")
    command = [runner, prefix + ".mlir", "--target=" + target,
               "--output=@" + prefix + ".y.npy"] + extra
    for name, value in [("x", x), ("w", w), ("b", b)]:
        if value is None:
            continue
        cases.save_npy(prefix + "." + name + ".npy", value, elt)
        command.append("--input=@" + prefix + "." + name + ".npy")
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        return "case %d (%s): deconv-run failed: %s" % (
            index, prefix + ".mlir", run.stderr.strip().splitlines()[-1:])
    y = cases.load_npy(prefix + ".y.npy")
    ref = cases.reference(spec, x, w, b)
    if y.shape != ref.shape:
        return "case %d (%s): shape %s, reference %s" % (
            index, prefix + ".mlir", y.shape, ref.shape)
    scale = max(float(np.max(np.abs(ref))), 1e-30)
    error = float(np.max(np.abs(y - ref))) / scale
    if not error <= tolerance[elt]:
        return "case %d (%s): relative error %.3g above %.1g" % (
            index, prefix + ".mlir", error, tolerance[elt])
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--deconv-run", default="deconv-run")
    parser.add_argument("--target", default="cpu")
    parser.add_argument("--max-dims", type=int, default=3)
    parser.add_argument("--shape-class", choices=["any", "d2s", "tiles", "depthwise", "thin"],
                        default="any",
                        help="d2s: only kernels equal to their stride with no "
                        "dilation or extending crop (for --cuda-strategy=gemm_d2s); "
                        "tiles: channel counts and lengths that cross the CPU "
                        "micro-kernels' tile and chunk boundaries; depthwise "
                        "(one input channel per group) and thin (at most 32 "
                        "output channels per group): the memory-bound classes "
                        "of --cuda-strategy=depthwise and thin_channel")
    parser.add_argument("--f32-tolerance", type=float, default=TOLERANCE["f32"],
                        help="for f32 cases (e.g. 1e-3 under --precision=tf32)")
    parser.add_argument("--extra-arg", action="append", default=[],
                        help="one more deconv-run argument (repeatable), "
                        "e.g. --extra-arg=--cuda-strategy=direct")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--write-module", metavar="PATH",
                        help="only write the cases as one module (functions "
                        "@case0...) for other targets' tests, and run nothing")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    specs = []
    while len(specs) < args.count:
        draw = {"any": cases.random_spec, "d2s": cases.random_d2s_spec,
                "tiles": cases.random_tile_spec,
                "depthwise": lambda r, max_dims: cases.random_thin_spec(
                    r, max_dims, depthwise=True),
                "thin": cases.random_thin_spec}[args.shape_class]
        spec = draw(rng, max_dims=args.max_dims)
        if spec is not None:
            specs.append(spec)
    if args.write_module:
        with open(args.write_module, "w") as f:
            for i, spec in enumerate(specs):
                f.write(cases.render_function(spec, "case%d" % i) + "\n\n")
        return
    os.makedirs(args.workdir, exist_ok=True)
    failures = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run_case, i, spec, args.seed * 100003 + i,
                               args.workdir, args.deconv_run, args.target,
                               args.extra_arg,
                               dict(TOLERANCE, f32=args.f32_tolerance))
                   for i, spec in enumerate(specs)]
        for future in futures:
            failure = future.result()
            if failure:
                failures.append(failure)
                print(failure)
    print("%d passed, %d failed" % (len(specs) - len(failures), len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
