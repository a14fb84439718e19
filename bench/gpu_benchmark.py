#!/usr/bin/env python3
"""GPU benchmark against cuDNN over bench/suite.json (the design's GPU.md,
section 4), in two halves, because the GPU machine has no LLVM or MLIR.

  gpu_benchmark.py prepare --out DIR [--build build] [--only SUBSTRING ...]
                           [--scale F] [--arch sm_90] [--cuda-strategy NAME]
      Where the compiler is built: for every layer of the suite ("layers"
      and "kernelbench") and each precision (f32 exact, f32 with TF32, bf16)
      writes the layer as IR (weights and bias are function inputs, weights
      in PyTorch's (Cin, Cout/groups, k...) layout), compiles it into
      DIR/NAME.plan and writes DIR/benchmark.json: one entry per plan with
      the layer's parameters, useful MACs, bytes moved and the strategy the
      plan records. --scale F below 1 shrinks each layer (batch first, then
      the spatial sizes) to about F times its MACs, for dry runs.

  gpu_benchmark.py run DIR [--deconv-bench PATH] [--target cuda|cuda-emulator]
                   [--device cuda|cpu] [--runs N] [--warmup W]
                   [--budget-seconds S] [--log FILE] [--cudnn-benchmark]
      On the GPU machine (CMake, ninja, a C++ compiler, the driver,
      PyTorch with cuDNN; without --deconv-bench, runtime/ is first built
      alone into DIR/build-runtime): measures the card's peaks (bf16, TF32
      and f32 matmuls, copy bandwidth), then per plan, smallest first, times
      deconv-bench and PyTorch's conv_transpose{1,2,3}d on the same inputs
      and precision policy, both with CUDA events after warm-up over rotated
      copies of the operands (so the L2 holds neither side's working set),
      checks our sampled outputs against PyTorch's, and prints one table
      closing with "N passed, M failed". Starts no plan once --budget-seconds
      (240) of wall time are spent. The full log (every command, its output)
      goes to --log (default DIR/gpu_benchmark.log).
      --device cpu with --target cuda-emulator is the dry run without a GPU.

Both sides read the same inputs without any file: input k of a plan (x, w,
b) holds at flat index i the value
((i * 2654435761 + (seed + k) * 97) mod 2^32) / 2^32 * 2 - 1, rounded to the
element type, which deconv-bench writes and this script recomputes on the
device with PyTorch.
"""

import argparse
import json
import math
import os
import re
import shlex
import statistics
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suite_layers import (ELEMENT_BYTES, bytes_moved, mlir_for,  # noqa: E402
                          out_sizes, shapes, shrink, useful_macs)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# (label, element type of the IR, deconv-compile --precision).
PRECISIONS = (("f32", "f32", "exact"), ("tf32", "f32", "tf32"),
              ("bf16", "bf16", "exact"))
# Normwise over the samples: cuDNN's exact f32 algorithms sum in other
# orders (and some transform, like FFT or Winograd); TF32 rounds the
# operands to 10 mantissa bits; bf16 outputs round to 8.
TOLERANCE = {"f32": 1e-4, "tf32": 5e-3, "bf16": 3e-2}
HASH = 2654435761
DEFAULT_ROTATE_BYTES = 256 << 20


# --------------------------------------------------------------------------
# Plans (the layers themselves: suite_layers.py)
# --------------------------------------------------------------------------

def slug(text):
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:60]


def strategies_of(description):
    """The strategies of a plan's kernels other than layout transposes, from
    `deconv-compile --describe` (lines `kernel 2: NAME (strategy: S), ...` or
    `(strategy: S, TILE)`); the tile is left out."""
    found = []
    for strategy in re.findall(r"^kernel \d+: \S+ \(strategy: ([^,)]*)",
                               description, re.MULTILINE):
        if strategy != "transpose" and strategy not in found:
            found.append(strategy)
    return "+".join(found) or "transpose"


def prepare(args):
    compiler = os.path.join(args.build, "bin", "deconv-compile")
    if not os.access(compiler, os.X_OK):
        sys.exit("gpu_benchmark.py: no compiler at %s (--build)" % compiler)
    if args.scale <= 0:
        sys.exit("gpu_benchmark.py: --scale must be positive")
    suite = json.load(open(os.path.join(HERE, "suite.json")))
    os.makedirs(args.out, exist_ok=True)
    entries = []
    for suite_name in ("layers", "kernelbench"):
        for number, original in enumerate(suite[suite_name]):
            if args.only and not any(o in original["name"] for o in args.only):
                continue
            full = useful_macs(original)
            layer, notes = (shrink(original, args.scale * full)
                            if args.scale < 1 else (dict(original), ""))
            macs = useful_macs(layer)
            for label, element, policy in PRECISIONS:
                name = "%s%02d-%s.%s" % ("L" if suite_name == "layers" else "K",
                                         number, slug(layer["name"]), label)
                mlir = os.path.join(args.out, name + ".mlir")
                plan = os.path.join(args.out, name + ".plan")
                with open(mlir, "w") as f:
                    f.write(mlir_for(layer, element))
                command = [compiler, mlir, "-o", plan, "--arch=" + args.arch,
                           "--precision=" + policy, "--describe"]
                if args.cuda_strategy:
                    command.append("--cuda-strategy=" + args.cuda_strategy)
                step = subprocess.run(command, capture_output=True, text=True)
                if step.returncode != 0:
                    sys.exit("gpu_benchmark.py: %s failed: %s"
                             % (" ".join(map(shlex.quote, command)),
                                step.stderr.strip()))
                entry = dict(name=name, layer=layer["name"], suite=suite_name,
                             precision=label, element_type=element,
                             policy=policy, plan=name + ".plan",
                             params={key: layer[key] for key in (
                                 "dims", "N", "Cin", "Cout", "groups", "in_sp",
                                 "out_sp", "k", "stride", "pad_lo", "pad_hi",
                                 "out_pad", "dil")},
                             shrunk=notes, useful_macs=macs, original_macs=full,
                             bytes=bytes_moved(layer, element),
                             strategy=strategies_of(step.stdout))
                if "peer_h100_eager_ms" in original:
                    entry["peer_h100_eager_ms"] = original["peer_h100_eager_ms"]
                entries.append(entry)
                print("%-60s %-14s %.3g MACs%s" % (
                    name, entry["strategy"], macs,
                    " (" + notes + ")" if notes else ""))
    if not entries:
        sys.exit("gpu_benchmark.py: no layer matches --only %s" % args.only)
    # Smallest first within each suite, so a run cut by its time budget has
    # covered most layers; the suites interleave by MACs for the same reason.
    order = {"layers": 0, "kernelbench": 1}
    entries.sort(key=lambda e: (e["useful_macs"], order[e["suite"]], e["name"]))
    with open(os.path.join(args.out, "benchmark.json"), "w") as f:
        json.dump(dict(arch=args.arch, scale=args.scale, entries=entries), f,
                  indent=1)
    print("prepared %d plans in %s" % (len(entries), args.out))


# --------------------------------------------------------------------------
# The run on the GPU machine
# --------------------------------------------------------------------------

class Log:
    """Every command, its output and every error, flushed as it comes."""

    def __init__(self, path):
        self.file = open(path, "w")

    def __call__(self, *lines):
        for line in lines:
            self.file.write(line.rstrip("\n") + "\n")
        self.file.flush()


def progress(text):
    """One line per plan on a terminal; elsewhere (scripts/gpu_check.py
    merges our stderr into its output) only the log and the table."""
    if sys.stderr.isatty():
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


def pattern(torch, shape, seed, dtype, device):
    """deconv-bench's input pattern, computed on `device` (int64 arithmetic;
    the product stays below 2^63 for any tensor under 3.4e9 elements, and
    the float64 steps are exact). The narrowing goes through f32 as
    HostTensor::setFromDouble does, so bf16 rounds identically."""
    count = int(np.prod(shape))
    index = torch.arange(count, dtype=torch.int64, device=device)
    index.mul_(HASH).add_(seed * 97).bitwise_and_(0xFFFFFFFF)
    value = index.to(torch.float64)
    del index
    value.div_(4294967296.0).mul_(2.0).sub_(1.0)
    value = value.to(torch.float32)
    if dtype != torch.float32:
        value = value.to(dtype)
    return value.reshape(shape)


class Timer:
    """Times calls with CUDA events (or perf_counter on the CPU), each call
    between its own pair of events; the host waits only after the last."""

    def __init__(self, torch, device):
        self.torch, self.cuda = torch, device == "cuda"

    def sync(self):
        if self.cuda:
            self.torch.cuda.synchronize()

    def time(self, call, warmup, runs):
        """(median ms, min ms, median host ms per call)."""
        for i in range(warmup):
            call(i)
        self.sync()
        host, device = [], []
        if self.cuda:
            events = [(self.torch.cuda.Event(enable_timing=True),
                       self.torch.cuda.Event(enable_timing=True))
                      for _ in range(runs)]
            for i, (start, end) in enumerate(events):
                start.record()
                began = time.perf_counter()
                call(warmup + i)
                host.append((time.perf_counter() - began) * 1e3)
                end.record()
            self.sync()
            device = [start.elapsed_time(end) for start, end in events]
        else:
            for i in range(runs):
                began = time.perf_counter()
                call(warmup + i)
                device.append((time.perf_counter() - began) * 1e3)
            host = device
        return statistics.median(device), min(device), statistics.median(host)


def matmul_tflops(torch, device, timer, n, dtype):
    a = torch.rand(n, n, device=device).to(dtype)
    b = torch.rand(n, n, device=device).to(dtype)
    ms, _, _ = timer.time(lambda i: torch.matmul(a, b), 3, 10)
    return 2.0 * n ** 3 / (ms * 1e-3) / 1e12


def copy_terabytes_per_second(torch, device, timer, elements):
    source = torch.empty(elements, dtype=torch.float32, device=device).fill_(1)
    target = torch.empty_like(source)
    ms, _, _ = timer.time(lambda i: target.copy_(source), 3, 10)
    return 2.0 * 4 * elements / (ms * 1e-3) / 1e12  # read and write


def measure_peaks(torch, device, timer, log):
    """Dense matmul throughput per precision and device-to-device copy
    bandwidth, measured on this card rather than taken from a datasheet."""
    cuda = device == "cuda"
    peaks = {}
    saved = torch.backends.cuda.matmul.allow_tf32
    for label, dtype, tf32 in (("bf16", torch.bfloat16, False),
                               ("tf32", torch.float32, True),
                               ("f32", torch.float32, False)):
        torch.backends.cuda.matmul.allow_tf32 = tf32
        try:
            peaks[label] = matmul_tflops(torch, device, timer,
                                         8192 if cuda else 512, dtype)
        except RuntimeError as error:
            peaks[label] = float("nan")
            log("peak %s: %s" % (label, error))
    torch.backends.cuda.matmul.allow_tf32 = saved
    # 1 GiB each way on the GPU: far beyond the L2.
    peaks["hbm"] = copy_terabytes_per_second(torch, device, timer,
                                             (1 << 28) if cuda else (1 << 24))
    if cuda:
        torch.cuda.empty_cache()
    log("peaks: " + json.dumps(peaks))
    return peaks


def torch_padding(params):
    """conv_transpose's (padding, output_padding) for our pre/post padding
    and output padding, or None where PyTorch has no equivalent (a post
    padding above the pre padding)."""
    padding, output_padding = [], []
    for lo, hi, op, s, l in zip(params["pad_lo"], params["pad_hi"],
                                params["out_pad"], params["stride"],
                                params["dil"]):
        extra = lo - hi + op
        if extra < 0 or extra >= max(s, l):
            return None
        padding.append(lo)
        output_padding.append(extra)
    return padding, output_padding


def run_ours(entry, args, directory, timeout, log):
    """deconv-bench's JSON, or an error string (its first line that is not a
    note)."""
    command = [args.deconv_bench, os.path.join(directory, entry["plan"]),
               "--target=" + args.target, "--runs=%d" % args.runs,
               "--warmup=%d" % args.warmup,
               "--rotate-bytes=%d" % args.rotate_bytes,
               "--samples=%d" % args.samples, "--seed=%d" % args.seed]
    log("$ " + " ".join(map(shlex.quote, command)))
    try:
        step = subprocess.run(command, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired as expired:
        stderr = expired.stderr or ""
        if isinstance(stderr, bytes):
            stderr = stderr.decode(errors="replace")
        log("timed out after %.3g s" % timeout, "stderr: " + stderr.strip())
        return "deconv-bench timed out after %.3g s" % timeout
    log("rc %d" % step.returncode, "stdout: " + step.stdout.strip(),
        "stderr: " + step.stderr.strip())
    if step.returncode != 0:
        lines = [l for l in step.stderr.splitlines() if "note:" not in l]
        return (lines or step.stderr.splitlines() or
                ["exit code %d" % step.returncode])[0]
    try:
        return json.loads(step.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return "deconv-bench printed no JSON"


def run_torch(torch, entry, args, timer, log):
    """((median ms, host ms per call) or None where PyTorch cannot run the
    layer here, PyTorch's output or None, a note)."""
    F = torch.nn.functional
    params = entry["params"]
    conv = {1: F.conv_transpose1d, 2: F.conv_transpose2d,
            3: F.conv_transpose3d}[params["dims"]]
    dtype = torch.bfloat16 if entry["element_type"] == "bf16" else torch.float32
    device = args.device
    pads = torch_padding(params)
    if pads is None:
        return None, None, "PyTorch cannot express this padding"
    torch.backends.cudnn.allow_tf32 = entry["precision"] == "tf32"
    torch.backends.cudnn.benchmark = args.cudnn_benchmark
    x_shape, w_shape, b_shape, y_shape = shapes(params)
    kwargs = dict(stride=params["stride"], padding=pads[0],
                  output_padding=pads[1], groups=params["groups"],
                  dilation=params["dil"])
    # The same pattern as deconv-bench: x, w, b are inputs 0, 1, 2.
    operands = [pattern(torch, shape, args.seed + k, dtype, device)
                for k, shape in enumerate((x_shape, w_shape, b_shape))]
    # Rotated copies so the inputs of R calls exceed the L2, as ours do
    # (PyTorch allocates its outputs itself; the caching allocator hands
    # back the same block each call).
    input_bytes = sum(o.numel() * o.element_size() for o in operands)
    copies = max(1, -(-args.rotate_bytes // input_bytes))
    rotated = []
    for operand in operands:
        slab = torch.empty((copies,) + tuple(operand.shape), dtype=dtype,
                           device=device)
        slab.copy_(operand.unsqueeze(0).expand_as(slab))
        rotated.append(slab)
    with torch.no_grad():
        if device == "cpu" and dtype == torch.bfloat16:
            # PyTorch 1.13's CPU bf16 conv_transpose fails, or with groups
            # returns a wrong shape: check against f32 math on the same bf16
            # inputs, rounded once at the end as our kernels round.
            reference = conv(*(o.float() for o in operands), **kwargs).to(dtype)
            return None, reference, "CPU: reference is f32 math on the bf16 inputs"
        reference = conv(*operands, **kwargs)
        if list(reference.shape) != y_shape:
            raise RuntimeError("PyTorch's output is %s, the plan's %s"
                               % (list(reference.shape), y_shape))

        def call(i):
            r = i % copies
            return conv(rotated[0][r], rotated[1][r], rotated[2][r], **kwargs)

        median_ms, min_ms, host_ms = timer.time(call, args.warmup, args.runs)
    log("torch: median %.6g ms, min %.6g ms, host %.6g ms per call, %d copies"
        % (median_ms, min_ms, host_ms, copies))
    return (median_ms, host_ms), reference, ""


def geomean(values):
    values = [v for v in values if v and v > 0 and math.isfinite(v)]
    return math.exp(sum(map(math.log, values)) / len(values)) if values else None


def build_deconv_bench(directory, log):
    """Builds runtime/ alone (no LLVM) into DIR/build-runtime, as
    scripts/gpu_check.py does, and returns its deconv-bench."""
    build = os.path.join(directory, "build-runtime")
    configure = ["cmake", "-S", os.path.join(ROOT, "runtime"), "-B", build,
                 "-DCMAKE_BUILD_TYPE=Release"]
    if not os.path.exists(os.path.join(build, "CMakeCache.txt")):
        configure += ["-G", "Ninja"]
    for step in (configure, ["cmake", "--build", build, "--target",
                             "deconv-bench", "--parallel"]):
        log("$ " + " ".join(map(shlex.quote, step)))
        result = subprocess.run(step, capture_output=True, text=True)
        log(result.stdout, result.stderr)
        if result.returncode != 0:
            sys.exit("gpu_benchmark.py run: building deconv-bench failed: %s"
                     % (result.stderr.strip() or result.stdout.strip())[-2000:])
    return os.path.join(build, "deconv-bench")


def run(args):
    began = time.monotonic()
    try:
        import torch
    except ImportError:
        sys.exit("gpu_benchmark.py run: needs PyTorch")
    directory = os.path.abspath(args.dir)
    manifest = json.load(open(os.path.join(directory, "benchmark.json")))
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("gpu_benchmark.py run: PyTorch sees no CUDA device "
                 "(--device cpu for a dry run)")
    if args.rotate_bytes is None:
        # The emulator keeps shadow state per byte: no 256 MiB there.
        args.rotate_bytes = DEFAULT_ROTATE_BYTES if args.target == "cuda" else 0
    log = Log(args.log or os.path.join(directory, "gpu_benchmark.log"))
    if not args.deconv_bench:
        args.deconv_bench = build_deconv_bench(directory, log)
    if not os.access(args.deconv_bench, os.X_OK):
        sys.exit("gpu_benchmark.py run: no deconv-bench at %s" % args.deconv_bench)
    timer = Timer(torch, args.device)
    card = (torch.cuda.get_device_name() if args.device == "cuda"
            else "CPU (%d threads)" % torch.get_num_threads())
    log("card: " + card, "torch %s, CUDA %s, cuDNN %s" % (
        torch.__version__, torch.version.cuda,
        torch.backends.cudnn.version() if args.device == "cuda" else "-"),
        "arguments: " + json.dumps(vars(args)))
    peaks = measure_peaks(torch, args.device, timer, log)

    rows, skipped = [], []
    entries = manifest["entries"]
    for number, entry in enumerate(entries):
        if time.monotonic() - began > args.budget_seconds:
            skipped = entries[number:]
            break
        log("", "== %s (%s, %.3g MACs)" % (entry["name"], entry["precision"],
                                           entry["useful_macs"]))
        row = dict(entry=entry, ours=None, theirs=None, error=None, check=None,
                   status="failed", note="")
        rows.append(row)
        # A slow plan may overrun the budget by little: past it, it is
        # stopped (and reported), unless that leaves it under 15 s.
        remaining = args.budget_seconds - (time.monotonic() - began)
        ours = run_ours(entry, args, directory,
                        min(args.timeout_seconds, max(15.0, remaining + 15.0)),
                        log)
        if isinstance(ours, str):
            row["error"] = ours
            progress("[%d/%d] %s %s: failed: %s" % (number + 1, len(entries),
                     entry["name"], entry["precision"], ours))
            continue
        row["ours"] = ours
        try:
            theirs, reference, row["note"] = run_torch(torch, entry, args,
                                                       timer, log)
        except Exception as error:  # out of memory, unsupported, ...
            message = (str(error).strip().splitlines() or [type(error).__name__])[0]
            log("torch failed: %s: %s" % (type(error).__name__, error))
            # Nothing to check against: not our failure, not a pass.
            row["error"] = "PyTorch: " + message
            row["status"] = "unchecked"
            if args.device == "cuda":
                torch.cuda.empty_cache()
            progress("[%d/%d] %s %s: PyTorch failed: %s" % (
                number + 1, len(entries), entry["name"], entry["precision"],
                message))
            continue
        row["theirs"] = theirs
        if reference is not None:
            indices = [i for i, _ in ours["samples"]]
            flat = reference.reshape(-1)
            expected = flat[torch.tensor(indices, dtype=torch.int64,
                                         device=flat.device)].double().cpu().numpy()
            got = np.array([v for _, v in ours["samples"]], dtype=np.float64)
            scale = float(np.max(np.abs(expected))) if len(expected) else 0.0
            difference = float(np.max(np.abs(got - expected))) if len(got) else 0.0
            error = difference / scale if scale > 0 else difference
            if not np.isfinite(got).all():
                error = float("inf")
            row["check"] = error
            row["status"] = ("passed" if error <= TOLERANCE[entry["precision"]]
                             else "failed")
            log("check: normwise %.3g over %d samples (tolerance %g)"
                % (error, len(indices), TOLERANCE[entry["precision"]]))
            if row["status"] == "failed":
                log("ours:  " + json.dumps(ours["samples"]),
                    "torch: " + json.dumps([[i, float(v)] for i, v in
                                            zip(indices, expected)]))
        else:
            row["status"] = "unchecked"
        del reference
        if args.device == "cuda":
            torch.cuda.empty_cache()
        progress("[%d/%d] %s %s: ours %.4g ms%s, %s" % (
            number + 1, len(entries), entry["name"], entry["precision"],
            ours["median_ms"],
            ", PyTorch %.4g ms" % theirs[0] if theirs else "", row["status"]))

    report(rows, skipped, peaks, card, args, log)
    return 0 if all(r["status"] == "passed" for r in rows) else 1


def report(rows, skipped, peaks, card, args, log):
    out = []
    emit = out.append
    cuda = args.device == "cuda"
    emit("GPU benchmark: %s; ours via deconv-bench --target=%s; PyTorch %s "
         "conv_transpose on %s (cudnn.benchmark=%s)" % (
             card, args.target, "cuDNN" if cuda else "CPU", args.device,
             args.cudnn_benchmark))
    emit("precision policy, same on both sides: f32 = exact f32 (TF32 off), "
         "tf32 = f32 data with TF32 allowed, bf16 = bf16 data with f32 "
         "accumulation")
    emit("median of %d runs after %d warm-up, each between %s, operands "
         "rotated over %d MiB per side; measured peaks: bf16 %.3g, tf32 %.3g, "
         "f32 %.3g TFLOP/s, copy %.3g TB/s%s" % (
             args.runs, args.warmup,
             "CUDA events" if cuda else "events (ours) or perf_counter (PyTorch)",
             args.rotate_bytes >> 20, peaks["bf16"], peaks["tf32"], peaks["f32"],
             peaks["hbm"],
             "" if cuda else " (CPU: timings and peaks are not meaningful)"))
    emit("ratio = PyTorch ms / ours ms (> 1: we are faster); peak = our share of "
         "the precision's matmul peak (C) or of copy bandwidth (M), the larger")
    header = "%-40s %-4s %9s %9s %6s %8s %6s %-10s %8s %s" % (
        "layer", "prec", "ours ms", "torch ms", "ratio", "TFLOP/s", "peak",
        "strategy", "pub ms", "check")
    emit(header)
    emit("-" * len(header))
    ratios = {label: [] for label, _, _ in PRECISIONS}
    bound = lambda host, device: cuda and host and device and host > 0.8 * device
    marked = False
    precision_order = {label: n for n, (label, _, _) in enumerate(PRECISIONS)}
    published = []
    for suite_name in ("layers", "kernelbench"):
        for row in sorted((r for r in rows if r["entry"]["suite"] == suite_name),
                          key=lambda r: (r["entry"]["name"].rsplit(".", 1)[0],
                                         precision_order[r["entry"]["precision"]])):
            entry = row["entry"]
            layer = entry["layer"] + (" [%s]" % entry["shrunk"] if entry["shrunk"]
                                      else "")
            prefix = "%-40s %-4s" % (layer[:40], entry["precision"])
            if row["ours"] is None:
                emit("%s failed: %s" % (prefix, row["error"]))
                continue
            ours_ms = row["ours"]["median_ms"]
            seconds = ours_ms * 1e-3
            tflops = 2.0 * entry["useful_macs"] / seconds / 1e12 if seconds else 0
            compute = tflops / peaks[entry["precision"]]
            memory = entry["bytes"] / seconds / 1e12 / peaks["hbm"] if seconds else 0
            share = ("%3.0f%% C" % (100 * compute) if compute >= memory
                     else "%3.0f%% M" % (100 * memory))
            theirs = row["theirs"][0] if row["theirs"] else None
            ratio = theirs / ours_ms if theirs and ours_ms else None
            if ratio and row["status"] == "passed":
                ratios[entry["precision"]].append(ratio)
            # Published for the full-size problem only.
            pub = None if entry["shrunk"] else entry.get("peer_h100_eager_ms")
            if pub and entry["precision"] == "tf32" and row["status"] == "passed":
                published.append(pub / ours_ms)
            if row["check"] is not None:
                check = "%.1e%s" % (row["check"], "" if row["status"] == "passed"
                                    else " FAILED")
            else:
                check = "unchecked"
            if row["error"]:
                check += " (%s)" % row["error"]
            elif row["note"]:
                check += " (%s)" % row["note"]
            # '*': enqueuing a call took most of its time, so the events
            # timed the host (launch overhead), not the kernels.
            ours_mark = "*" if bound(row["ours"].get("host_ms"), ours_ms) else ""
            theirs_mark = ("*" if row["theirs"] and bound(row["theirs"][1], theirs)
                           else "")
            marked = marked or ours_mark or theirs_mark
            emit("%s %9s %9s %6s %8.3g %6s %-10s %8s %s" % (
                prefix, "%.4g%s" % (ours_ms, ours_mark),
                "%.4g%s" % (theirs, theirs_mark) if theirs else "n/a",
                "%.2f" % ratio if ratio else "-", tflops, share,
                entry["strategy"][:10], "%.3g" % pub if pub else "", check))
    emit("")
    if marked:
        emit("*: host-bound, enqueuing one call took over 80% of its measured "
             "time (the events timed launch overhead)")
    parts = []
    for label, values in ratios.items():
        mean = geomean(values)
        parts.append("%s %s (%d)" % (label, "%.3f" % mean if mean else "-",
                                     len(values)))
    everything = geomean([v for values in ratios.values() for v in values])
    emit("geomean PyTorch/ours (passed rows): %s; all %s" % (
        ", ".join(parts), "%.3f" % everything if everything else "-"))
    mean = geomean(published)
    if mean:
        emit("geomean published H100 eager ms / our tf32 ms (KernelBench, "
             "%d problems): %.3f" % (len(published), mean))
    if skipped:
        emit("budget of %g s spent: %d plans skipped (%s%s)" % (
            args.budget_seconds, len(skipped),
            ", ".join(e["name"] for e in skipped[:4]),
            ", ..." if len(skipped) > 4 else ""))
    passed = sum(r["status"] == "passed" for r in rows)
    unchecked = sum(r["status"] == "unchecked" for r in rows)
    if unchecked:
        emit("%d ran without a reference (PyTorch failed or cannot express "
             "the layer)" % unchecked)
    emit("%d passed, %d failed" % (passed, len(rows) - passed - unchecked))
    text = "\n".join(out)
    print(text)
    log("", text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("prepare")
    p.add_argument("--out", required=True)
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--only", action="append", default=[],
                   help="layers whose name contains this (repeatable)")
    p.add_argument("--scale", type=float, default=1.0,
                   help="below 1: shrink each layer to about this share of its MACs")
    p.add_argument("--arch", default="sm_90")
    p.add_argument("--cuda-strategy", default="",
                   help="force one strategy (deconv-compile --cuda-strategy)")
    r = commands.add_parser("run")
    r.add_argument("dir")
    r.add_argument("--deconv-bench", default="",
                   help="the runtime's deconv-bench (default: build runtime/ "
                        "alone into DIR/build-runtime)")
    r.add_argument("--target", choices=("cuda", "cuda-emulator"), default="cuda")
    r.add_argument("--device", choices=("cuda", "cpu"), default="cuda")
    r.add_argument("--runs", type=int, default=20)
    r.add_argument("--warmup", type=int, default=3)
    r.add_argument("--samples", type=int, default=64)
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--rotate-bytes", type=int, default=None,
                   help="operand copies rotated per side (default 256 MiB; "
                        "0 on the emulator)")
    r.add_argument("--budget-seconds", type=float, default=240)
    r.add_argument("--timeout-seconds", type=float, default=60,
                   help="longest one deconv-bench may take")
    r.add_argument("--cudnn-benchmark", action="store_true",
                   help="let cuDNN time its algorithms (PyTorch eager's "
                        "default, and the published times, have it off)")
    r.add_argument("--log", default="")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args)
        return 0
    if args.runs < 1 or args.warmup < 0 or args.samples < 1 or args.seed < 0:
        parser.error("--runs >= 1, --warmup >= 0, --samples >= 1, --seed >= 0")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
