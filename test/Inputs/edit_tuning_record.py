#!/usr/bin/env python3
"""Edits the one tuning record under DIR, as a damaged or stale record would
read: --write TEXT replaces the whole file, --replace OLD NEW replaces text
in it (exactly once, else it fails: a test must not edit nothing), --choice
TEXT replaces what follows "choice " on its choice line."""

import argparse
import glob
import os
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--write")
    parser.add_argument("--replace", nargs=2, metavar=("OLD", "NEW"))
    parser.add_argument("--choice")
    args = parser.parse_args()
    records = glob.glob(os.path.join(args.directory, "*.tune"))
    if len(records) != 1:
        sys.exit("expected one record in %s, found %d" % (args.directory, len(records)))
    with open(records[0]) as f:
        text = f.read()
    if args.write is not None:
        text = args.write
    if args.replace:
        old, new = args.replace
        if text.count(old) != 1:
            sys.exit("'%s' occurs %d times in the record" % (old, text.count(old)))
        text = text.replace(old, new)
    if args.choice is not None:
        lines = text.split("\n")
        chosen = [i for i, line in enumerate(lines) if line.startswith("choice ")]
        if len(chosen) != 1:
            sys.exit("the record has %d choice lines" % len(chosen))
        lines[chosen[0]] = "choice " + args.choice
        text = "\n".join(lines)
    with open(records[0], "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
