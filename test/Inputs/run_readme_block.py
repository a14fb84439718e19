#!/usr/bin/env python3
"""Runs the shell commands of one README block, exactly as written there.

The block is the ```sh fence after the line `<!-- MARKER -->`. Each command
runs in a fresh folder where `build/bin` is the folder of the deconv tools
found on PATH and `examples` is the repository's, so the commands read as a
user types them in the repository root. `python3` is this interpreter (it
has NumPy). Commands that start with one of the --skip prefixes (those that
need software the test machine lacks) are listed, not run. Prints each
command's output; fails on the first command that fails.
"""

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile


def read_block(readme, marker):
    lines = open(readme).read().splitlines()
    start = lines.index(f"<!-- {marker} -->")
    if not lines[start + 1].startswith("```"):
        sys.exit(f"{readme}: no code fence after <!-- {marker} -->")
    end = lines.index("```", start + 2)
    return [line for line in lines[start + 2:end] if line.strip()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("readme")
    parser.add_argument("marker")
    parser.add_argument("--skip", action="append", default=[])
    args = parser.parse_args()

    tool = shutil.which("deconv-run")
    if not tool:
        sys.exit("deconv-run is not on PATH")
    root = os.path.dirname(os.path.abspath(args.readme))
    with tempfile.TemporaryDirectory() as work:
        os.makedirs(os.path.join(work, "build"))
        os.symlink(os.path.dirname(tool), os.path.join(work, "build", "bin"))
        os.symlink(os.path.join(root, "examples"), os.path.join(work, "examples"))
        for command in read_block(args.readme, args.marker):
            if any(command.startswith(prefix) for prefix in args.skip):
                print(f"skipped: {command}")
                continue
            words = shlex.split(command, comments=True)
            if words[0] == "python3":
                words[0] = sys.executable
            print(f"$ {command}")
            result = subprocess.run(words, cwd=work, capture_output=True,
                                    text=True)
            sys.stdout.write(result.stdout + result.stderr)
            if result.returncode != 0:
                sys.exit(f"command failed ({result.returncode}): {command}")


if __name__ == "__main__":
    main()
