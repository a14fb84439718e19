#!/usr/bin/env python3
"""CPU benchmark over the real-model layers of bench/suite.json: ours
against ONNX Runtime, OpenVINO and PyTorch, each where it is installed.

`bench/cpu_benchmark.py --help` says what it needs, what each option does
and what the table holds.
"""

import argparse
import atexit
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

DESCRIPTION = """\
Times the real-model layers of bench/suite.json on the CPU, f32, with
weights and bias as runtime inputs: ours through
`deconv-run --target=cpu --benchmark=N`, then the same layer on the same
inputs through each CPU engine users compare us with that is importable.
A layer too large for a run of a fraction of a second is cut, first its
batch, then its spatial sizes (column "shrunk" says to what)."""

EPILOG = """\
what each engine needs (none is needed to build or test the project):
  ours          NumPy and a built deconv-run (scripts/build.sh)
  ONNX Runtime  pip packages onnx and onnxruntime: a one-node ConvTranspose
                model, as many threads as cores
  OpenVINO      pip packages onnx and openvino: the same model, f32
                inference precision, as many threads as cores
  PyTorch       pip package torch: torch.nn.functional.conv_transpose{1,2,3}d
An engine that is not importable is left out, and named on stderr.

what is printed, one row per layer:
  layer, shrunk     the suite's name; what was cut to fit --macs ("-": nothing)
  ours ms, GFLOP/s  our median time; 2 x useful multiply-adds per second
  compile ms        our lowering and JIT of the one layer
  ENGINE ms         each engine's median time over the same --runs
  ratio             ours / the faster of ONNX Runtime and OpenVINO
                    (nan without either; PyTorch is shown, not compared)
  max diff          largest difference of any engine's output from ours,
                    relative to that output's largest magnitude (nan
                    without an engine)
then the geometric mean and the largest of the ratios. A layer deconv-run
fails on is one line with its error; an engine that fails on a layer, a
line under it and "nan" in its column.

example, in a virtual environment with the anchors:
  python3 -m venv venv && venv/bin/pip install numpy onnx onnxruntime openvino
  venv/bin/python bench/cpu_benchmark.py --runs 10 --only U-Net"""

torch = F = onnx = onnxruntime = openvino = None


def import_engines():
    """The engines that are importable; names and pip packages of the rest."""
    global torch, F, onnx, onnxruntime, openvino
    missing = []
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
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        torch = None
    engines = []
    if onnx is not None and onnxruntime is not None:
        engines.append(("onnxrt", onnxruntime_time, True))
    else:
        missing.append("ONNX Runtime (onnx, onnxruntime)")
    if onnx is not None and openvino is not None:
        engines.append(("openvino", openvino_time, True))
    else:
        missing.append("OpenVINO (onnx, openvino)")
    if torch is not None:
        engines.append(("torch", torch_time, False))
    else:
        missing.append("PyTorch (torch)")
    return engines, missing


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


def positive(kind):
    def parse(text):
        value = kind(text)
        if not value > 0:
            raise argparse.ArgumentTypeError("must be positive, got %s" % text)
        return value
    return parse


def main():
    build = os.environ.get("DECONV_BUILD_DIR") or os.path.join(
        os.path.dirname(HERE), "build")
    parser = argparse.ArgumentParser(
        description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--deconv-run", default=os.path.join(build, "bin", "deconv-run"),
        metavar="PATH",
        help="the deconv-run to time (default: bin/deconv-run of "
        "$DECONV_BUILD_DIR, else of the checkout's build/)")
    parser.add_argument(
        "--runs", type=positive(int), default=5, metavar="N",
        help="timed runs per layer and engine, after one untimed run; "
        "medians are reported (default: %(default)s)")
    parser.add_argument(
        "--macs", type=positive(float), default=3e8, metavar="COUNT",
        help="useful multiply-adds a layer may have before it is cut "
        "(default: %(default).0e; spatial sizes stop halving at 4)")
    parser.add_argument(
        "--cpu-kernel", default="auto", choices=["auto", "phases", "columns"],
        help="our micro-kernel form for every layer, deconv-run's "
        "--cpu-kernel (default: auto, chosen per layer)")
    parser.add_argument(
        "--only", default="", metavar="TEXT",
        help="only the layers whose name contains TEXT, case-sensitive "
        "(default: every layer)")
    args = parser.parse_args()

    global np, mlir_for, shapes, shrink
    try:
        import numpy as np
    except ImportError:
        parser.exit(1, "cpu_benchmark.py: needs NumPy (apt-get install "
                    "python3-numpy, or pip install numpy)\n")
    sys.path.insert(0, HERE)
    from suite_layers import mlir_for, shapes, shrink
    if not os.access(args.deconv_run, os.X_OK):
        parser.exit(1, "cpu_benchmark.py: no deconv-run at '%s': build with "
                    "scripts/build.sh or pass --deconv-run\n" % args.deconv_run)
    suite = json.load(open(os.path.join(HERE, "suite.json")))
    layers = [layer for layer in suite["layers"] if args.only in layer["name"]]
    if not layers:
        parser.exit(1, "cpu_benchmark.py: no layer of bench/suite.json has "
                    "'%s' in its name\n" % args.only)
    engines, missing = import_engines()
    if missing:
        print("not installed, left out: " + ", ".join(missing), file=sys.stderr)
    if torch is not None:
        torch.set_num_threads(os.cpu_count() or 1)
    rng = np.random.default_rng(0)
    print("%-50s %-14s %9s %8s %10s" % ("layer", "shrunk", "ours ms", "GFLOP/s", "compile ms")
          + "".join(" %9s" % (name + " ms") for name, _, _ in engines)
          + " %7s %9s" % ("ratio", "max diff"))
    ratios = []
    work = tempfile.mkdtemp()
    atexit.register(shutil.rmtree, work, True)
    for layer in layers:
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
        median = re.search(r"median ([0-9.]+) ms, ([0-9.a-z]+) GFLOP/s", run.stdout)
        compiled = re.search(r"compile: ([0-9.]+) ms", run.stdout)
        if not median or not compiled:
            print("%-50s unexpected deconv-run output: %s" % (
                layer["name"][:50], run.stdout.strip().splitlines()[:2]))
            continue
        ours, gflops = float(median.group(1)), float(median.group(2))
        compile_ms = float(compiled.group(1))
        y = np.load(paths["y"])
        columns, anchors, diffs = [], [], []
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
            diffs.append(float(np.max(np.abs(y - reference))
                               / np.max(np.abs(reference))))
        ratio = ours / min(anchors) if anchors else float("nan")
        if anchors:
            ratios.append(ratio)
        print("%-50s %-14s %9.3f %8.2f %10.1f" % (layer["name"][:50], notes or "-", ours, gflops,
                                                 compile_ms)
              + "".join(" %9.3f" % ms for ms in columns)
              + " %7.2f %9.1e" % (ratio, max(diffs, default=float("nan"))))
        sys.stdout.flush()
    if ratios:
        print("ours / best anchor: geomean %.2f, largest %.2f, over %d layers" % (
            float(np.exp(np.mean(np.log(ratios)))), max(ratios), len(ratios)))


if __name__ == "__main__":
    main()
