#!/usr/bin/env python3
"""CPU benchmark over the real-model layers of bench/suite.json.

Each layer runs through `deconv-run --target=cpu --benchmark=N` with weights
and bias as runtime inputs. Where a layer is too large for a CPU run of a
fraction of a second, the batch is cut first and then the spatial sizes (the
table says which). Where PyTorch is importable, the same layer runs through
torch.nn.functional.conv_transpose{1,2,3}d in the same process tree, on the
same inputs, with as many threads as cores: the table gives its median time,
the ratio ours/PyTorch, and the normwise relative difference of the outputs.

Usage: bench/cpu_benchmark.py [--deconv-run build/bin/deconv-run] [--runs 5]
                              [--macs 3e8] [--only SUBSTRING]
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suite_layers import mlir_for, shrink  # noqa: E402

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None

HERE = os.path.dirname(os.path.abspath(__file__))


def torch_time(layer, x, w, b, runs):
    conv = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}[layer["dims"]]
    tx, tw, tb = (torch.from_numpy(a) for a in (x, w, b))
    kwargs = dict(stride=layer["stride"], padding=layer["pad_lo"],
                  output_padding=layer["out_pad"], groups=layer["groups"],
                  dilation=layer["dil"])
    with torch.no_grad():
        y = conv(tx, tw, tb, **kwargs)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            conv(tx, tw, tb, **kwargs)
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times), y.numpy()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deconv-run", default=os.path.join(HERE, "..", "build", "bin", "deconv-run"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--macs", type=float, default=3e8,
                        help="largest useful multiply-adds per layer")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    suite = json.load(open(os.path.join(HERE, "suite.json")))
    if torch is not None:
        torch.set_num_threads(os.cpu_count() or 1)
    rng = np.random.default_rng(0)
    print("%-58s %-16s %10s %9s %10s %7s %9s" % (
        "layer", "shrunk", "ours ms", "GFLOP/s", "torch ms", "ratio", "max diff"))
    work = tempfile.mkdtemp()
    for layer in suite["layers"]:
        if args.only not in layer["name"]:
            continue
        layer, notes = shrink(layer, args.macs)
        g = layer["groups"]
        x = rng.uniform(-1, 1, [layer["N"], layer["Cin"]] + layer["in_sp"]).astype(np.float32)
        w = rng.uniform(-1, 1, [layer["Cin"], layer["Cout"] // g] + layer["k"]).astype(np.float32)
        b = rng.uniform(-1, 1, [layer["Cout"]]).astype(np.float32)
        paths = {n: os.path.join(work, n + ".npy") for n in "xwby"}
        for n, a in (("x", x), ("w", w), ("b", b)):
            np.save(paths[n], a)
        mlir = os.path.join(work, "layer.mlir")
        open(mlir, "w").write(mlir_for(layer, "f32"))
        run = subprocess.run([args.deconv_run, mlir, "--target=cpu",
                              "--benchmark=%d" % args.runs,
                              "--input=@" + paths["x"], "--input=@" + paths["w"],
                              "--input=@" + paths["b"], "--output=@" + paths["y"]],
                             capture_output=True, text=True)
        if run.returncode != 0:
            print("%-58s failed: %s" % (layer["name"][:58], run.stderr.strip()))
            continue
        match = re.search(r"median ([0-9.]+) ms, ([0-9.]+) GFLOP/s", run.stdout)
        ours, gflops = float(match.group(1)), float(match.group(2))
        torch_ms, ratio, diff = float("nan"), float("nan"), float("nan")
        if torch is not None:
            torch_ms, reference = torch_time(layer, x, w, b, args.runs)
            ratio = ours / torch_ms
            y = np.load(paths["y"])
            diff = float(np.max(np.abs(y - reference)) / np.max(np.abs(reference)))
        print("%-58s %-16s %10.3f %9.2f %10.3f %7.2f %9.1e" % (
            layer["name"][:58], notes or "-", ours, gflops, torch_ms, ratio, diff))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
