#!/usr/bin/env python3
"""Runs one of ONNX's own node test cases through deconv.

A case folder (from ONNX's test data) holds model.onnx and test_data_set_N/
folders of serialized TensorProtos: input_K.pb in graph-input order and
output_K.pb in graph-output order. For each data set this imports the model
with deconv-import-onnx, converts the tensors with its --tensor mode, runs
deconv-run on the chosen target and compares every output with ONNX's: float
outputs within 1e-5 relative (|got - want| <= 1e-5 |want| + 1e-6 max|want|),
integer outputs exactly, shapes and element types exactly.

--freeze NAME=K turns graph input NAME into a constant holding input_K.pb
(deconv needs quantization scales at compile time; ONNX's Q/DQ cases pass
them as inputs). --disagree REASON marks a case whose expected output we
deliberately do not produce: the case must still fail (a mismatch or a
refused import), and the reason is printed; if it passes, the mark is stale
and the test fails.
"""

import argparse
import glob
import os
import subprocess
import sys
import tempfile

import numpy as np


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(
            " ".join(command) + " failed:\n" + result.stdout + result.stderr)
    return result.stdout


def compare(got, want, label):
    """Returns a list of problems with `got` against ONNX's `want`."""
    if got.shape != want.shape:
        return [f"{label}: shape {got.shape}, ONNX says {want.shape}"]
    if got.dtype != want.dtype:
        return [f"{label}: element type {got.dtype}, ONNX says {want.dtype}"]
    if np.issubdtype(want.dtype, np.integer):
        wrong = np.count_nonzero(got != want)
        return [f"{label}: {wrong} of {want.size} integers differ"] if wrong else []
    got64 = got.astype(np.float64)
    want64 = want.astype(np.float64)
    scale = float(np.max(np.abs(want64))) if want.size else 0.0
    bound = 1e-5 * np.abs(want64) + 1e-6 * scale
    error = np.abs(got64 - want64)
    if np.all(error <= bound):
        return []
    worst = int(np.argmax(error - bound))
    return [f"{label}: {np.count_nonzero(error > bound)} of {want.size} values "
            f"differ; worst at flat index {worst}: {got64.flat[worst]!r}, "
            f"ONNX says {want64.flat[worst]!r}"]


def run_case(case, target, freeze, work):
    """Returns (data sets run, problems)."""
    data_sets = sorted(glob.glob(os.path.join(case, "test_data_set_*")))
    if not data_sets:
        return 0, [f"{case}: no test_data_set_* folders"]
    frozen_indices = set(freeze.values())
    problems = []
    for data_set in data_sets:
        name = os.path.basename(data_set)
        model = os.path.join(work, name + ".mlir")
        import_command = ["deconv-import-onnx", os.path.join(case, "model.onnx"),
                          "-o", model]
        for input_name, index in freeze.items():
            import_command.append(f"--freeze-input={input_name}="
                                  + os.path.join(data_set, f"input_{index}.pb"))
        try:
            run(import_command)
        except RuntimeError as error:
            problems.append(f"{name}: import refused: {error}")
            continue
        command = ["deconv-run", model, f"--target={target}"]
        index = 0
        while os.path.exists(os.path.join(data_set, f"input_{index}.pb")):
            if index not in frozen_indices:
                npy = os.path.join(work, f"{name}_input_{index}.npy")
                run(["deconv-import-onnx", "--tensor="
                     + os.path.join(data_set, f"input_{index}.pb"), "-o", npy])
                command.append("--input=@" + npy)
            index += 1
        outputs = sorted(glob.glob(os.path.join(data_set, "output_*.pb")))
        for k in range(len(outputs)):
            command.append("--output=@" + os.path.join(work, f"{name}_got_{k}.npy"))
        try:
            run(command)
        except RuntimeError as error:
            problems.append(f"{name}: run failed: {error}")
            continue
        for k in range(len(outputs)):
            want_npy = os.path.join(work, f"{name}_want_{k}.npy")
            run(["deconv-import-onnx", "--tensor="
                 + os.path.join(data_set, f"output_{k}.pb"), "-o", want_npy])
            got = np.load(os.path.join(work, f"{name}_got_{k}.npy"))
            problems += compare(got, np.load(want_npy), f"{name} output {k}")
    return len(data_sets), problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("case", help="the case folder (holds model.onnx)")
    parser.add_argument("--target", default="cpu",
                        help="deconv-run's target (cpu or cuda-emulator)")
    parser.add_argument("--freeze", action="append", default=[],
                        metavar="NAME=K",
                        help="graph input NAME becomes a constant of input_K.pb")
    parser.add_argument("--disagree", metavar="REASON",
                        help="the case must fail, for this reason")
    args = parser.parse_args()

    if not os.path.isfile(os.path.join(args.case, "model.onnx")):
        print(f"FAIL {args.case}: no model.onnx (is ONNX's test data "
              "installed?)")
        return 1
    freeze = {}
    for entry in args.freeze:
        input_name, _, index = entry.partition("=")
        freeze[input_name] = int(index)
    label = os.path.basename(os.path.normpath(args.case))
    with tempfile.TemporaryDirectory() as work:
        count, problems = run_case(args.case, args.target, freeze, work)
    if args.disagree:
        if problems:
            print(f"EXPECTED DISAGREEMENT {label} on {args.target}: "
                  f"{args.disagree}")
            for problem in problems:
                print("  " + problem.splitlines()[0])
            return 0
        print(f"FAIL {label} on {args.target}: marked as a disagreement "
              f"({args.disagree}) but it now matches ONNX; remove the mark")
        return 1
    if problems:
        print(f"FAIL {label} on {args.target}:")
        for problem in problems:
            print("  " + problem)
        return 1
    print(f"PASS {label} on {args.target}: {count} data set(s) match ONNX")
    return 0


if __name__ == "__main__":
    sys.exit(main())
