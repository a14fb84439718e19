#!/usr/bin/env python3
"""GPU checks through plans (see docs/Cuda.md).

  gpu_check.py prepare --out DIR [--build build] [--count 140]
      Where the compiler is built: writes plans (deconv-compile, CUBINs for
      sm_90 where sizes are static; one per CUDA kernel strategy, each forced),
      inputs and the CPU target's outputs for every seed example and for the
      randomized differential cases (1-4-D), and the benchmark suite's plans
      (bench/gpu_benchmark.py prepare, into DIR/bench).
  gpu_check.py run DIR
      On a GPU machine (CMake, a C++ compiler, NVRTC, the driver, NumPy):
      builds the runtime alone, runs every plan with the runtime-only
      deconv-run, once through host memory and once over device memory
      (--device-io, the C++ API's runOnDevice path), compares with the CPU's
      outputs (f32 within 1e-5 normwise,
      f16 4e-3, bf16 2e-2), and prints the figures; then times the
      smallest benchmark layer with CUDA graphs off and on (launch overhead;
      both must give the same samples), then the benchmark table. Closes
      with 'N passed, M failed'.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "test", "Inputs"))
TOLERANCE = {"f32": 1e-5, "f16": 4e-3, "bf16": 2e-2, "i8": 0.0}  # i8: exact


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def prepare(args):
    import random
    import deconv_cases as cases
    import numpy as np
    import run_seeds

    bin_dir = os.path.join(args.build, "bin")
    os.makedirs(args.out, exist_ok=True)
    manifest = []

    # Every strategy deconv-compile knows, each forced over every case.
    listing = run([os.path.join(bin_dir, "deconv-compile"), "--help"]).stdout
    strategies = re.findall(r"^\s+([a-z0-9_]+) - ", listing.split(
        "CUDA kernel strategies (--cuda-strategy):")[1], re.M)
    strategies = [name for name in strategies if name != "auto"]

    refused = [0]

    def add(name, mlir, inputs, element_type):
        """Plans of every strategy that takes the case; returns how many."""
        expected = os.path.join(args.out, name + ".expected.npy")
        step = run([os.path.join(bin_dir, "deconv-run"), mlir, "--target=cpu",
                    "--output=@" + expected] + ["--input=" + i for i in inputs])
        if step.returncode != 0:
            sys.exit("deconv-run failed on %s: %s" % (mlir, step.stderr))
        planned = 0
        for strategy in strategies:
            plan = os.path.join(args.out, "%s.%s.plan" % (name, strategy))
            step = run([os.path.join(bin_dir, "deconv-compile"), mlir, "-o",
                        plan, "--arch=sm_90", "--cuda-strategy=" + strategy])
            if step.returncode != 0 and "cannot take this op" in step.stderr:
                refused[0] += 1  # A specialized strategy's shape class.
                continue
            if step.returncode != 0:
                sys.exit("deconv-compile failed on %s: %s" % (mlir, step.stderr))
            manifest.append(dict(name=name, plan=os.path.basename(plan),
                                 strategy=strategy, expected=name + ".expected.npy",
                                 inputs=inputs, element_type=element_type))
            planned += 1
        return planned

    for file in sorted(os.listdir(run_seeds.SEEDS)):
        seed = os.path.join(run_seeds.SEEDS, file)
        inputs = run_seeds.seed_inputs(seed)
        shutil.copy(seed, os.path.join(args.out, file))
        add("seed-" + file[:-5], os.path.join(args.out, file), inputs, "f32")

    # The random cases, then a quarter as many of the kernel == stride class
    # (for gemm_d2s) and of the memory-bound classes (depthwise and
    # thin_channel). (200 + 2 x 50 with every strategy's plans came to 64 MB,
    # what a GPU machine takes at most; 140 + 2 x 35 stay near 45 MB.)
    rng = random.Random(1)
    count = 0
    extra = args.count // 4
    total = args.count + 2 * extra

    def draw(rng, max_dims):
        # The general cases, then a quarter as many kernel == stride ones
        # (gemm_d2s), then a quarter of the memory-bound classes (depthwise
        # and thin_channel), alternating.
        if count < args.count:
            return cases.random_spec(rng, max_dims=max_dims)
        if count < args.count + extra:
            return cases.random_d2s_spec(rng, max_dims=max_dims)
        return cases.random_thin_spec(rng, min(max_dims, 3),
                                      depthwise=count % 2 == 0)

    while count < total:
        spec = draw(rng, 4)
        if spec is None:
            continue
        name = "case%d" % count
        mlir = os.path.join(args.out, name + ".mlir")
        with open(mlir, "w") as f:
            f.write(cases.render_function(spec, "main") + "\n")
        values = np.random.default_rng(count)
        x_shape, w_shape, b_shape, _ = cases.shapes(spec, concrete=True)
        elt = spec["element_type"]
        inputs = []
        for tag, shape in (("x", x_shape), ("w", w_shape)) + (
                (("b", b_shape),) if spec["bias"] else ()):
            path = os.path.join(args.out, "%s.%s.npy" % (name, tag))
            cases.save_npy(path, cases.round_to(values.uniform(-1, 1, shape), elt), elt)
            inputs.append("@" + os.path.basename(path))
        planned = add(name, mlir,
                      [("@" + os.path.join(args.out, i[1:])) for i in inputs], elt)
        for entry in manifest[len(manifest) - planned:]:
            entry["inputs"] = inputs
        count += 1
    # Quantized graphs with a symmetric weight, which the CUDA target fuses
    # into integer deconvolutions (implicit_gemm on 8-bit tensor cores, or
    # direct): quantized_differential.py draws them and checks the CPU
    # against NumPy here; every plan must then equal the CPU exactly.
    quantized = os.path.join(args.out, "quantized")
    quantized_count = max(4, args.count // 12)
    quantized_cases = []
    # Symmetric input and weight (the operands as stored), then a symmetric
    # weight with any input zero point (the input split in two halves).
    for symmetric, seed in (("both", 31), ("weights", 32)):
        workdir = os.path.join(quantized, symmetric)
        step = run([sys.executable, os.path.join(ROOT, "test", "Inputs",
                                                 "quantized_differential.py"),
                    "--seed", str(seed), "--count", str(quantized_count),
                    "--layers", "fusable", "--symmetric=" + symmetric,
                    "--any-scales", "--target", "cpu", "--workdir", workdir,
                    "--deconv-run", os.path.join(bin_dir, "deconv-run"),
                    "--deconv-opt", os.path.join(bin_dir, "deconv-opt")])
        if step.returncode != 0:
            sys.exit("quantized cases failed on the CPU: " + step.stdout + step.stderr)
        quantized_cases += [(symmetric, index) for index in range(quantized_count)]
    for symmetric, index in quantized_cases:
        mlir = os.path.join(quantized, symmetric, "case%d.mlir" % index)
        with open(mlir) as f:
            signature = f.readline()
        # Arguments %a0 (x), %a1 (w, unless a constant), %a2 (the bias).
        inputs = ["@quantized/%s/case%d.%s.npy" % (symmetric, index, tag)
                  for tag, argument in (("x", "%a0:"), ("w", "%a1:"), ("b", "%a2:"))
                  if argument in signature]
        planned = add("quantized-%s%d" % (symmetric, index), mlir,
                      [("@" + os.path.join(args.out, i[1:])) for i in inputs], "i8")
        for entry in manifest[len(manifest) - planned:]:
            entry["inputs"] = inputs
    # Seed inputs are inline; case inputs are relative to DIR.
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f)
    print("prepared %d plans (strategies: %s; %d refusals of a strategy's "
          "shape class) in %s"
          % (len(manifest), ", ".join(strategies), refused[0], args.out))
    bench = run([sys.executable, os.path.join(ROOT, "bench", "gpu_benchmark.py"),
                 "prepare", "--out", os.path.join(args.out, "bench"),
                 "--build", args.build, "--scale", str(args.bench_scale)])
    if bench.returncode != 0:
        sys.exit("gpu_benchmark.py prepare failed: " + bench.stdout + bench.stderr)
    print(bench.stdout.strip())


def launch_overhead(directory, bench_tool, target, env, log):
    """Times the smallest f32 benchmark layer with graphs off and on over one
    set of tensors (graphs replay only for repeated pointers). Prints one
    line; returns 1 if the two disagree on the samples or a run fails."""
    entries = json.load(open(os.path.join(directory, "bench", "benchmark.json")))
    entries = [e for e in entries["entries"] if e["precision"] == "f32"]
    if not entries:
        print("launch overhead: no f32 benchmark layer")
        return 0
    entry = min(entries, key=lambda e: e["useful_macs"])
    results = {}
    for mode in ("off", "on"):
        command = [bench_tool, os.path.join(directory, "bench", entry["plan"]),
                   "--target=" + target, "--runs=200", "--warmup=5",
                   "--rotate-bytes=0", "--samples=16", "--graphs=" + mode]
        result = run(command, env=env, timeout=60)
        log.write("$ %s\n%s%s" % (" ".join(command), result.stdout, result.stderr))
        if result.returncode != 0:
            print("launch overhead: %s failed: %s" % (" ".join(command),
                                                     result.stderr.strip()))
            return 1
        results[mode] = json.loads(result.stdout)
    off, on = results["off"], results["on"]
    print("launch overhead, %s: graphs off %.4f ms (host %.4f ms), graphs on "
          "%.4f ms (host %.4f ms; %d of %d calls replayed a graph)"
          % (entry["name"], off["median_ms"], off["host_ms"], on["median_ms"],
             on["host_ms"], on["graph_runs"], on["runs"]))
    if off["samples"] != on["samples"]:
        print("launch overhead: graphs on and off disagree on the samples")
        return 1
    return 0


def check(args):
    import concurrent.futures
    import numpy as np
    import deconv_cases as cases

    started = time.perf_counter()
    directory = os.path.abspath(args.dir)
    logs = os.path.join(args.logs or os.path.join(directory, "logs"))
    os.makedirs(logs, exist_ok=True)
    build = os.path.join(directory, "build-runtime")
    for step in (["cmake", "-S", os.path.join(ROOT, "runtime"), "-B", build,
                  "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release"],
                 ["cmake", "--build", build]):
        result = run(step)
        if result.returncode != 0:
            sys.exit("runtime build failed: " + result.stdout + result.stderr)
    runner = os.path.join(build, "deconv-run")
    env = dict(os.environ, DECONV_KERNEL_CACHE_DIR=os.path.join(directory, "cache"))
    shutil.rmtree(env["DECONV_KERNEL_CACHE_DIR"], ignore_errors=True)
    manifest = json.load(open(os.path.join(directory, "manifest.json")))
    log = open(os.path.join(logs, "correctness.log"), "w")

    def check_case(case):
        """(label, failure or None, [errors], [cold ms, warm ms])"""
        label = "%s [%s]" % (case["name"], case["strategy"])
        plan = os.path.join(directory, case["plan"])
        output = os.path.join(directory, case["plan"][:-5])
        inputs = ["--input=" + ("@" + os.path.join(directory, i[1:])
                                if i.startswith("@") else i)
                  for i in case["inputs"]]
        timings, errors, text = [], [], []
        # Cold (compiles) through host memory, then warm (cache hits) over
        # device memory, the C++ API's runOnDevice path; both must match.
        for extra, suffix in (([], ".gpu.npy"), (["--device-io"], ".gpu-device.npy")):
            command = ([runner, plan, "--target=" + args.target,
                        "--output=@" + output + suffix] + inputs + extra)
            start = time.perf_counter()
            result = run(command, env=env)
            timings.append((time.perf_counter() - start) * 1e3)
            text.append("$ %s\n%s%s" % (" ".join(command), result.stdout, result.stderr))
            if result.returncode != 0:
                return label, result.stderr.strip(), errors, timings, text
        ref = cases.load_npy(os.path.join(directory, case["expected"]))
        for suffix in (".gpu.npy", ".gpu-device.npy"):
            y = cases.load_npy(output + suffix)
            if y.shape != ref.shape:
                return (label, "%s: shape %s, CPU %s" % (suffix, y.shape, ref.shape),
                        errors, timings, text)
            error = float(np.max(np.abs(y - ref)) / max(float(np.max(np.abs(ref))), 1e-30))
            errors.append(error)
            if error > TOLERANCE[case["element_type"]]:
                return (label, "%s: relative error %.3g" % (suffix, error), errors,
                        timings, text)
        return label, None, errors, timings, text

    passed, failures, errors, cold, warm = 0, [], [], [], []
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 4) as pool:
        for label, failure, case_errors, timings, text in pool.map(check_case, manifest):
            log.write("\n".join(text) + "\n")
            errors += case_errors
            if failure:
                failures.append("%s: %s" % (label, failure))
                continue
            passed += 1
            cold.append(timings[0])
            warm.append(timings[1])
    for failure in failures:
        print(failure)
    if errors:
        print("max normwise relative error against the CPU: %.3g" % max(errors))
    if cold:
        print("run of a plan, whole process: cold p50 %.1f ms (compiles "
              "kernels with dynamic sizes), warm p50 %.1f ms (cache hits)"
              % (statistics.median(cold), statistics.median(warm)))
    print("correctness: %d passed, %d failed (%.0f s)"
          % (passed, len(failures), time.perf_counter() - started))
    sys.stdout.flush()
    try:
        overhead_failed = launch_overhead(
            directory, os.path.join(build, "deconv-bench"), args.target, env,
            open(os.path.join(logs, "launch-overhead.log"), "w"))
    except subprocess.TimeoutExpired as timeout:
        print("launch overhead: timed out (%s)" % timeout)
        overhead_failed = 1
    sys.stdout.flush()

    # Speed against cuDNN, in what is left of the time budget.
    budget = args.budget_seconds - (time.perf_counter() - started) - 20
    bench = subprocess.run(
        [sys.executable, os.path.join(ROOT, "bench", "gpu_benchmark.py"), "run",
         os.path.join(directory, "bench"),
         "--deconv-bench", os.path.join(build, "deconv-bench"),
         "--target", args.target,
         "--device", "cuda" if args.target == "cuda" else "cpu",
         "--budget-seconds", str(max(30, int(budget))),
         "--log", os.path.join(logs, "benchmark.log")],
        env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    print(bench.stdout.rstrip())
    match = re.search(r"(\d+) passed, (\d+) failed\s*$", bench.stdout)
    bench_passed, bench_failed = (int(match.group(1)), int(match.group(2))) if match else (0, 1)
    total_failed = len(failures) + bench_failed + overhead_failed
    print("%d passed, %d failed" % (passed + bench_passed + 1 - overhead_failed,
                                    total_failed))
    sys.exit(1 if total_failed else 0)


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("prepare")
    p.add_argument("--out", required=True)
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--count", type=int, default=140)
    p.add_argument("--bench-scale", type=float, default=1.0,
                   help="shrink the benchmark layers (for a dry run)")
    r = commands.add_parser("run")
    r.add_argument("dir")
    r.add_argument("--logs", help="folder for the full logs (default DIR/logs)")
    r.add_argument("--target", default="cuda", choices=["cuda", "cuda-emulator"],
                   help="cuda-emulator: a dry run of this script without a GPU")
    r.add_argument("--budget-seconds", type=float, default=450,
                   help="the whole run's time budget; the benchmark gets "
                   "what correctness leaves")
    args = parser.parse_args()
    prepare(args) if args.command == "prepare" else check(args)


if __name__ == "__main__":
    main()
