#!/usr/bin/env python3
"""Runs every seed example of test/Execution/seeds through deconv-run on a
target (with extra deconv-run arguments, e.g. a forced CUDA strategy or
--device-io) and checks each result against the values the seed file writes
out (check_npy.py: the seeds' own printed numbers). Each seed's inputs are
those of its first RUN line. A forced CUDA strategy may refuse a seed it
cannot take (its one-line "cannot take this op" error): that is counted as
refused, not failed. Prints one line per failure and closes with
'N passed, R refused, M failed'; exits non-zero if any failed.
"""

import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "..", "Execution", "seeds")


def seed_inputs(path):
    """The --input values of a seed file's first RUN line."""
    run_line = open(path).read().splitlines()[0]
    return re.findall(r'--input="([^"]*)"', run_line)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--deconv-run", default="deconv-run")
    parser.add_argument("--target", required=True)
    parser.add_argument("--extra-arg", action="append", default=[])
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    passed, refused, failures = 0, 0, []
    for name in sorted(os.listdir(SEEDS)):
        path = os.path.join(SEEDS, name)
        inputs = seed_inputs(path)
        output = os.path.join(args.workdir, name + ".npy")
        run = subprocess.run(
            [args.deconv_run, path, "--target=" + args.target,
             "--output=@" + output] + ["--input=" + i for i in inputs]
            + args.extra_arg, capture_output=True, text=True)
        if run.returncode != 0:
            lines = run.stderr.strip().splitlines()
            if len(lines) == 1 and "cannot take this op" in lines[0]:
                refused += 1
                continue
            failures.append("%s: deconv-run failed: %s"
                            % (name, run.stderr.strip()))
            continue
        check = subprocess.run(
            [sys.executable, os.path.join(HERE, "check_npy.py"), output, path],
            capture_output=True, text=True)
        if check.returncode != 0:
            failures.append("%s: %s" % (name, (check.stdout + check.stderr).strip()))
            continue
        passed += 1
    for failure in failures:
        print(failure)
    print("%d passed, %d refused, %d failed" % (passed, refused, len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
