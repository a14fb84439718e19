"""Random quantized graphs against a NumPy reference of their definition.

Each case is the graph TensorRT's and ONNX's explicit quantization build
around a deconvolution, written as textual IR per IR.md ("Quantization"):

    x (f32) -> quantize -> dequantize -> deconv -> quantize -> y (i8 or ui8)
    w (i8)  -> dequantize ------------^     (bias f32, optional)

with per-tensor or per-channel scales and zero points, i8 or ui8 data, and
the deconvolution's every attribute (random_spec of deconv_cases.py). The
reference follows the definition in NumPy (np.rint rounds half to even) and
shares no code with the compiler. Scales are powers of two and the weights
small, so every intermediate value is exact in f32 as in float64: the
integer results must be equal, not close. Prints one line per failure and
closes with "N passed, 0 failed".

With --constant-weights the int8 weights are constants of the function
(alternately `dense` hex and `dense_resource` blobs) instead of an argument:
the compiler dequantizes them at compile time (-deconv-fold-dequantize), and
the results must still equal the definition.
"""

import argparse
import os
import random
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import deconv_cases  # noqa: E402

RANGES = {"i8": (-128, 127), "ui8": (0, 255)}


def channel_axis(spec, rank):
    return 1 if spec["data_format"] == "channels_first" else rank - 1


def quantization(rng, shape, axis_choices, integer):
    """(attribute text, scales, zero points, axis or None) for a tensor."""
    low, high = RANGES[integer]
    axis = None
    count = 1
    if axis_choices and rng.random() < 0.5:
        axis = rng.choice(axis_choices)
        count = shape[axis]
    scales = [2.0 ** rng.randint(-5, 0) for _ in range(count)]
    zeros = [rng.randint(max(low, -20), min(high, 20)) if integer == "i8"
             else rng.randint(100, 156) for _ in range(count)]
    text = "scale = array<f32: %s>, zero_point = array<i64: %s>" % (
        ", ".join(repr(s) for s in scales), ", ".join(str(z) for z in zeros))
    if axis is not None:
        text += ", axis = %d : i64" % axis
    return text, scales, zeros, axis


def per_axis(values, axis, rank):
    values = np.asarray(values, dtype=np.float64)
    if axis is None:
        return values[0]
    shape = [1] * rank
    shape[axis] = len(values)
    return values.reshape(shape)


def quantize(x, scales, zeros, axis, integer):
    low, high = RANGES[integer]
    q = np.rint(x / per_axis(scales, axis, x.ndim)) + per_axis(zeros, axis, x.ndim)
    return np.clip(q, low, high)


def dequantize(q, scales, zeros, axis):
    return (q - per_axis(zeros, axis, q.ndim)) * per_axis(scales, axis, q.ndim)


def run_case(index, rng, workdir, deconv_run, target, extra,
             constant_weights=False):
    spec = None
    while spec is None:
        spec = deconv_cases.random_spec(rng, max_dims=3, max_size=5)
    spec["element_type"] = "f32"
    x_shape, w_shape, b_shape, y_shape = deconv_cases.shapes(spec, concrete=True)
    ir_x, ir_w, ir_b, ir_y = deconv_cases.shapes(spec, concrete=False)
    in_integer = rng.choice(["i8", "ui8"])
    out_integer = rng.choice(["i8", "ui8"])
    x_text, sx, zx, ax = quantization(
        rng, x_shape, [channel_axis(spec, len(x_shape))], in_integer)
    w_text, sw, zw, aw = quantization(
        rng, w_shape, list(range(len(w_shape))), "i8")
    y_text, sy, zy, ay = quantization(
        rng, y_shape, [channel_axis(spec, len(y_shape))], out_integer)

    # The deconvolution's own text, with float operands named as ours.
    deconv = deconv_cases.render_function(spec, "unused").split("\n")[1]
    attrs = deconv[deconv.index("{"):deconv.index("}") + 1]
    t = deconv_cases.tensor_type
    data = np.random.default_rng(index)
    x = data.uniform(-4, 4, x_shape).astype(np.float32)
    w = data.integers(-16, 17, w_shape).astype(np.int8)
    b = (data.integers(-64, 65, b_shape) / 16.0).astype(np.float32)
    arguments = [("%a0", t(ir_x, "f32"))]
    if not constant_weights:
        arguments.append(("%a1", t(w_shape, "i8")))
    if spec["bias"]:
        arguments.append(("%a2", t(b_shape, "f32")))
    args = ", ".join("%s: %s" % argument for argument in arguments)
    float_types = [t(ir_x, "f32"), t(w_shape, "f32")] + (
        [t(b_shape, "f32")] if spec["bias"] else [])
    resources = []
    lines = ["func.func @main(%s) -> %s {" % (args, t(ir_y, out_integer))]
    if constant_weights and index % 2 == 0:
        lines.append('  %%a1 = arith.constant dense<"0x%s"> : %s'
                     % (w.tobytes().hex().upper(), t(w_shape, "i8")))
    elif constant_weights:
        lines.append("  %%a1 = arith.constant dense_resource<weights> : %s"
                     % t(w_shape, "i8"))
        # A blob is its alignment (4 bytes, little-endian), then the bytes.
        resources = ["{-#", "  dialect_resources: {", "    builtin: {",
                     '      weights: "0x01000000%s"'
                     % w.tobytes().hex().upper(),
                     "    }", "  }", "#-}"]
    lines += [
        "  %%xq = deconv.quantize %%a0 {%s} : %s -> %s"
        % (x_text, t(ir_x, "f32"), t(ir_x, in_integer)),
        "  %%x = deconv.dequantize %%xq {%s} : %s -> %s"
        % (x_text, t(ir_x, in_integer), t(ir_x, "f32")),
        "  %%w = deconv.dequantize %%a1 {%s} : %s -> %s"
        % (w_text, t(w_shape, "i8"), t(w_shape, "f32")),
        "  %%y = deconv.deconv %%x, %%w%s %s : (%s) -> %s"
        % (", %a2" if spec["bias"] else "", attrs, ", ".join(float_types),
           t(ir_y, "f32")),
        "  %%yq = deconv.quantize %%y {%s} : %s -> %s"
        % (y_text, t(ir_y, "f32"), t(ir_y, out_integer)),
        "  return %%yq : %s" % t(ir_y, out_integer),
        "}"] + resources
    case = os.path.join(workdir, "case%d" % index)
    with open(case + ".mlir", "w") as f:
        f.write("\n".join(lines) + "\n")

    np.save(case + ".x.npy", x)
    np.save(case + ".w.npy", w)
    command = [deconv_run, case + ".mlir", "--target=" + target,
               "--input=@" + case + ".x.npy"]
    if not constant_weights:
        command.append("--input=@" + case + ".w.npy")
    if spec["bias"]:
        np.save(case + ".b.npy", b)
        command.append("--input=@" + case + ".b.npy")
    command += ["--output=@" + case + ".y.npy"] + extra
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        return "case %d: deconv-run failed: %s" % (index, run.stderr.strip())

    xd = dequantize(quantize(x.astype(np.float64), sx, zx, ax, in_integer),
                    sx, zx, ax)
    wd = dequantize(w.astype(np.float64), sw, zw, aw)
    y = deconv_cases.reference(spec, xd, wd, b if spec["bias"] else None)
    expected = quantize(y, sy, zy, ay, out_integer)
    got = np.load(case + ".y.npy")
    want_dtype = np.int8 if out_integer == "i8" else np.uint8
    if got.dtype != want_dtype or got.shape != expected.shape:
        return "case %d: got %s %s, expected %s %s" % (
            index, got.dtype, got.shape, np.dtype(want_dtype), expected.shape)
    wrong = np.count_nonzero(got.astype(np.float64) != expected)
    if wrong:
        return "case %d: %d of %d elements differ (%s)" % (
            index, wrong, expected.size, case + ".mlir")
    return None


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--workdir", required=True)
    p.add_argument("--deconv-run", default="deconv-run")
    p.add_argument("--target", default="cpu")
    p.add_argument("--extra-arg", action="append", default=[],
                   help="one more deconv-run argument (repeatable)")
    p.add_argument("--constant-weights", action="store_true",
                   help="weights as constants of the function, not inputs")
    args = p.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    rng = random.Random(args.seed)
    failures = 0
    for index in range(args.count):
        message = run_case(index, rng, args.workdir, args.deconv_run,
                           args.target, args.extra_arg, args.constant_weights)
        if message:
            failures += 1
            print(message)
    print("%d passed, %d failed" % (args.count - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
