#!/usr/bin/env python3
"""CPU benchmark over the real-model layers of bench/suite.json.

Each layer runs through `deconv-run --target=cpu --benchmark=N` with weights
and bias as runtime inputs. Where a layer is too large for a CPU run of a
fraction of a second, the batch is cut first and then the spatial sizes (the
table says which).

The same layer, on the same inputs and in the same run, goes through the CPU
engines users compare us with, each where it is importable: ONNX Runtime and
OpenVINO (a one-node ConvTranspose model, weights and bias as inputs like
ours, as many threads as cores) and PyTorch
(torch.nn.functional.conv_transpose{1,2,3}d). None of them is needed to build
or test the project; for the anchors, in a virtual environment:

    python3 -m venv venv && venv/bin/pip install numpy onnx onnxruntime openvino
    venv/bin/python bench/cpu_benchmark.py

Per layer the table gives our median time and GFLOP/s (useful multiply-adds),
our compile time (lowering and JIT of the one layer),
each engine's median time, the ratio of ours to the best of ONNX Runtime and
OpenVINO, and the largest normwise relative difference of any engine's output
from ours; it closes with the geometric mean and the largest of the ratios.
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
from suite_layers import mlir_for, shapes, shrink  # noqa: E402

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = None
try:
    import onnx
    import onnx.helper
except ImportError:
    onnx = None
try:
    import onnxruntime
except ImportError:
    onnxruntime = None
try:
    import openvino
except ImportError:
    openvino = None

HERE = os.path.dirname(os.path.abspath(__file__))


def torch_time(layer, x, w, b, runs):
    conv = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}[layer["dims"]]
    tx, tw, tb = (torch.from_numpy(a) for a in (x, w, b))
    kwargs = dict(stride=layer["stride"], padding=layer["pad_lo"],
                  output_padding=layer["out_pad"], groups=layer["groups"],
                  dilation=layer["dil"])
    with torch.no_grad():
        return median_ms(lambda: conv(tx, tw, tb, **kwargs).numpy(), runs)


def onnx_model(layer):
    """The layer as a one-node ConvTranspose model, x, w and b as inputs."""
    T = onnx.TensorProto.FLOAT
    x, w, b, y = shapes(layer)
    node = onnx.helper.make_node(
        "ConvTranspose", ["x", "w", "b"], ["y"], kernel_shape=layer["k"],
        strides=layer["stride"], dilations=layer["dil"],
        pads=layer["pad_lo"] + layer["pad_hi"],
        output_padding=layer["out_pad"], group=layer["groups"])
    graph = onnx.helper.make_graph(
        [node], "deconv",
        [onnx.helper.make_tensor_value_info(n, T, s) for n, s in
         (("x", x), ("w", w), ("b", b))],
        [onnx.helper.make_tensor_value_info("y", T, y)])
    model = onnx.helper.make_model(
        graph, opset_imports=[onnx.helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model.SerializeToString()


def median_ms(call, runs):
    y = call()  # warm-up, and the output
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times), y


def onnxruntime_time(layer, x, w, b, runs):
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = os.cpu_count() or 1
    session = onnxruntime.InferenceSession(
        onnx_model(layer), options, providers=["CPUExecutionProvider"])
    feeds = {"x": x, "w": w, "b": b}
    return median_ms(lambda: session.run(None, feeds)[0], runs)


def openvino_time(layer, x, w, b, runs):
    core = openvino.Core()
    model = core.read_model(onnx_model(layer), b"")
    compiled = core.compile_model(model, "CPU", {
        "INFERENCE_NUM_THREADS": os.cpu_count() or 1,
        "INFERENCE_PRECISION_HINT": "f32"})
    request = compiled.create_infer_request()
    return median_ms(lambda: request.infer({0: x, 1: w, 2: b})[0].copy(), runs)


def main():
    parser = argparse.ArgumentParser(
        description="Times bench/suite.json's real-model layers on the CPU: "
        "ours against ONNX Runtime, OpenVINO and PyTorch where importable.")
    parser.add_argument("--deconv-run", default=os.path.join(HERE, "..", "build", "bin", "deconv-run"),
                        help="the deconv-run to time (default: build/bin/deconv-run)")
    parser.add_argument("--runs", type=int, default=5,
                        help="timed runs per layer and engine; medians are reported")
    parser.add_argument("--macs", type=float, default=3e8,
                        help="largest useful multiply-adds per layer")
    parser.add_argument("--cpu-kernel", default="auto", choices=["auto", "phases", "columns"],
                        help="our micro-kernel form for every layer (auto: chosen per layer)")
    parser.add_argument("--only", default="",
                        help="only layers whose name contains this text")
    args = parser.parse_args()
    suite = json.load(open(os.path.join(HERE, "suite.json")))
    if torch is not None:
        torch.set_num_threads(os.cpu_count() or 1)
    rng = np.random.default_rng(0)
    engines = []
    if onnx is not None and onnxruntime is not None:
        engines.append(("onnxrt", onnxruntime_time, True))
    if onnx is not None and openvino is not None:
        engines.append(("openvino", openvino_time, True))
    if torch is not None:
        engines.append(("torch", torch_time, False))
    print("%-50s %-14s %9s %8s %10s" % ("layer", "shrunk", "ours ms", "GFLOP/s", "compile ms")
          + "".join(" %9s" % (name + " ms") for name, _, _ in engines)
          + " %7s %9s" % ("ratio", "max diff"))
    ratios = []
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
                              "--cpu-kernel=" + args.cpu_kernel,
                              "--benchmark=%d" % args.runs,
                              "--input=@" + paths["x"], "--input=@" + paths["w"],
                              "--input=@" + paths["b"], "--output=@" + paths["y"]],
                             capture_output=True, text=True)
        if run.returncode != 0:
            print("%-50s failed: %s" % (layer["name"][:50], run.stderr.strip()))
            continue
        match = re.search(r"median ([0-9.]+) ms, ([0-9.]+) GFLOP/s", run.stdout)
        ours, gflops = float(match.group(1)), float(match.group(2))
        compile_ms = float(re.search(r"compile: ([0-9.]+) ms", run.stdout).group(1))
        y = np.load(paths["y"])
        columns, anchors, diff = [], [], 0.0
        for name, timer, anchor in engines:
            try:
                ms, reference = timer(layer, x, w, b, args.runs)
            except Exception as error:  # an engine that cannot run the layer
                print("  %s: %s" % (name, str(error).splitlines()[0][:100]))
                columns.append(float("nan"))
                continue
            columns.append(ms)
            if anchor:
                anchors.append(ms)
            diff = max(diff, float(np.max(np.abs(y - reference))
                                   / np.max(np.abs(reference))))
        ratio = ours / min(anchors) if anchors else float("nan")
        if anchors:
            ratios.append(ratio)
        print("%-50s %-14s %9.3f %8.2f %10.1f" % (layer["name"][:50], notes or "-", ours, gflops,
                                                 compile_ms)
              + "".join(" %9.3f" % ms for ms in columns)
              + " %7.2f %9.1e" % (ratio, diff))
        sys.stdout.flush()
    if ratios:
        print("ours / best anchor: geomean %.2f, largest %.2f, over %d layers" % (
            float(np.exp(np.mean(np.log(ratios)))), max(ratios), len(ratios)))


if __name__ == "__main__":
    main()
