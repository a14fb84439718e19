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

The compiler fuses a graph whose input is quantized per tensor and whose
weight and output are quantized per tensor or per output channel into an
integer deconvolution (-deconv-fuse-quantized; the CPU target fuses every
such graph, the CUDA target those with a symmetric weight, whose integer
GEMM runs on 8-bit tensor cores; --prefuse hands any target the fused IR);
--layers=fusable draws only such graphs, --layers=unfusable only graphs with
the input per channel, and the closing line counts the fusable ones
(deconv-opt decides). With
--any-scales (fusable layers only) the scales are arbitrary floats, so f32
rounds between the ops: the results must then equal the integer
definition in DeconvOps.td (an exact sum, then the requantization in f32,
computed here with NumPy's float32), still to the last bit. --wide draws
layers with hundreds of input channels per group. --symmetric draws a
symmetric weight (zero point 0 for i8, 128 for ui8; the weight i8 or ui8),
the layers the CUDA target fuses, and a symmetric input too unless it is
--symmetric=weights.
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


def quantization(rng, shape, axis_choices, integer, any_scales=False,
                 per_channel=None, symmetric=False):
    """(attribute text, scales, zero points, axis or None) for a tensor;
    per_channel None draws whether to use an axis; symmetric zero points
    are 0 for i8 and 128 for ui8."""
    low, high = RANGES[integer]
    axis = None
    count = 1
    if per_channel is None:
        per_channel = rng.random() < 0.5
    if axis_choices and per_channel:
        axis = rng.choice(axis_choices)
        count = shape[axis]
    if any_scales:
        scales = [float(np.float32(rng.uniform(0.002, 0.6)))
                  for _ in range(count)]
    else:
        scales = [2.0 ** rng.randint(-5, 0) for _ in range(count)]
    zeros = [rng.randint(max(low, -20), min(high, 20)) if integer == "i8"
             else rng.randint(100, 156) for _ in range(count)]
    if symmetric:
        zeros = [0 if integer == "i8" else 128] * count
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


def output_channel_axis(spec, rank):
    """The weight's axis that indexes output channels (Cout/G or Cout)."""
    return {"cin_cout_k": 1, "cin_k_cout": rank - 1,
            "cout_k_cin": 0}[spec["kernel_format"]]


def weight_scale_of_channel(spec, values, axis, rank):
    """Per output channel c, the weight's entry (scale or zero point) that
    applies to it: c itself along Cout, c mod Cout/G along Cout/G."""
    cout = spec["groups"] * spec["cog"]
    if axis is None:
        return np.full(cout, values[0])
    if spec["kernel_format"] == "cout_k_cin":
        return np.asarray(values)
    return np.asarray([values[c % spec["cog"]] for c in range(cout)])


def integer_reference(spec, xq, zx, sx, w, zw, sw, aw, b, sy, zy, ay,
                      out_integer):
    """The integer deconvolution's definition: an exact sum of
    (x - zx)(w - zw[c]), then y = f32(acc) * f32(sx * sw[c]) + b[c] and the
    requantization, each step in float32 as DeconvOps.td spells it."""
    rank = w.ndim
    centered_w = w.astype(np.float64) - per_axis(zw, aw, rank)
    acc = deconv_cases.reference(spec, xq.astype(np.float64) - zx[0],
                                 centered_w, None)
    c_axis = channel_axis(spec, acc.ndim)
    shape = [1] * acc.ndim
    shape[c_axis] = -1
    scale_of_c = weight_scale_of_channel(spec, sw, aw, rank)
    multiplier = (np.float32(sx[0]) * scale_of_c.astype(np.float32)).reshape(
        shape)
    y = acc.astype(np.float32) * multiplier
    if b is not None:
        y = y + b.astype(np.float32).reshape(shape)
    # Per tensor, or along the channel axis (a fusable layer's output).
    out_scale = np.asarray(sy, dtype=np.float32).reshape(
        shape if ay is not None else [1] * acc.ndim)
    out_zero = np.asarray(zy, dtype=np.float32).reshape(out_scale.shape)
    q = np.rint(y / out_scale) + out_zero
    low, high = RANGES[out_integer]
    return np.clip(q, low, high)


def run_case(index, rng, workdir, deconv_run, deconv_opt, target, extra,
             constant_weights=False, layers="any", any_scales=False,
             wide=False, prefuse=False, symmetric=False):
    spec = None
    while spec is None or (layers == "unfusable" and
                           spec["groups"] * spec["cig"] < 2):
        spec = deconv_cases.random_spec(rng, max_dims=3, max_size=5)
        if spec is not None and wide:
            spec["cig"] = rng.randint(150, 400)
            spec["ins"] = [min(i, 3) for i in spec["ins"]]
            if deconv_cases.axis_crops(spec) is None:
                spec = None
    spec["element_type"] = "f32"
    x_shape, w_shape, b_shape, y_shape = deconv_cases.shapes(spec, concrete=True)
    ir_x, ir_w, ir_b, ir_y = deconv_cases.shapes(spec, concrete=False)
    in_integer = rng.choice(["i8", "ui8"])
    out_integer = rng.choice(["i8", "ui8"])
    x_channel = [channel_axis(spec, len(x_shape))]
    w_axes = list(range(len(w_shape)))
    if layers == "fusable":
        w_axes = [output_channel_axis(spec, len(w_shape))]
    w_integer = rng.choice(["i8", "ui8"]) if symmetric else "i8"
    x_text, sx, zx, ax = quantization(
        rng, x_shape, x_channel, in_integer, any_scales,
        per_channel={"any": None, "fusable": False,
                     "unfusable": True}[layers],
        symmetric=symmetric == "both")
    w_text, sw, zw, aw = quantization(rng, w_shape, w_axes, w_integer,
                                      any_scales, symmetric=symmetric)
    y_text, sy, zy, ay = quantization(
        rng, y_shape, [channel_axis(spec, len(y_shape))], out_integer,
        any_scales)

    # The deconvolution's own text, with float operands named as ours.
    deconv = deconv_cases.render_function(spec, "unused").split("\n")[1]
    attrs = deconv[deconv.index("{"):deconv.index("}") + 1]
    t = deconv_cases.tensor_type
    data = np.random.default_rng(index)
    x = data.uniform(-4, 4, x_shape).astype(np.float32)
    w = data.integers(-16, 17, w_shape).astype(np.int8)
    if w_integer == "ui8":  # The same centered values, stored as ui8.
        w = (w.astype(np.int16) + 128).astype(np.uint8)
    b = (data.integers(-64, 65, b_shape) / 16.0).astype(np.float32)
    arguments = [("%a0", t(ir_x, "f32"))]
    if not constant_weights:
        arguments.append(("%a1", t(w_shape, w_integer)))
    if spec["bias"]:
        arguments.append(("%a2", t(b_shape, "f32")))
    args = ", ".join("%s: %s" % argument for argument in arguments)
    float_types = [t(ir_x, "f32"), t(w_shape, "f32")] + (
        [t(b_shape, "f32")] if spec["bias"] else [])
    resources = []
    lines = ["func.func @main(%s) -> %s {" % (args, t(ir_y, out_integer))]
    if constant_weights and index % 2 == 0:
        lines.append('  %%a1 = arith.constant dense<"0x%s"> : %s'
                     % (w.tobytes().hex().upper(), t(w_shape, w_integer)))
    elif constant_weights:
        lines.append("  %%a1 = arith.constant dense_resource<weights> : %s"
                     % t(w_shape, w_integer))
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
        % (w_text, t(w_shape, w_integer), t(w_shape, "f32")),
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
    source = case + ".mlir"
    if prefuse:
        # The CUDA target fuses layers with a symmetric weight only (the
        # others would trade its float GEMMs for the direct kernel);
        # written in the IR, any fused op runs there.
        fused = subprocess.run(
            [deconv_opt, source, "--deconv-fuse-quantized",
             "-o", case + ".fused.mlir"], capture_output=True, text=True)
        if fused.returncode != 0:
            return "case %d: deconv-opt failed: %s" % (
                index, fused.stderr.strip()), False
        source = case + ".fused.mlir"
    command = [deconv_run, source, "--target=" + target,
               "--input=@" + case + ".x.npy"]
    if not constant_weights:
        command.append("--input=@" + case + ".w.npy")
    if spec["bias"]:
        np.save(case + ".b.npy", b)
        command.append("--input=@" + case + ".b.npy")
    command += ["--output=@" + case + ".y.npy"] + extra
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        return "case %d: deconv-run failed: %s" % (index, run.stderr.strip()), \
            False
    fused = subprocess.run(
        [deconv_opt, case + ".mlir", "--deconv-fuse-quantized"],
        capture_output=True, text=True)
    if fused.returncode != 0:
        return "case %d: deconv-opt failed: %s" % (
            index, fused.stderr.strip()), False
    is_fused = "#deconv.quantization<" in fused.stdout
    if layers == "fusable" and not is_fused:
        return "case %d: a fusable layer was not fused (%s)" % (
            index, case + ".mlir"), False
    if layers == "unfusable" and is_fused:
        return "case %d: an unfusable layer was fused (%s)" % (
            index, case + ".mlir"), True

    xq = quantize(x.astype(np.float64), sx, zx, ax, in_integer)
    if any_scales:
        # The quantize before the graph's dequantize runs on the same
        # float32 as the reference's.
        xq = np.clip(np.rint(x / np.float32(sx[0])) + zx[0],
                     *RANGES[in_integer])
        expected = integer_reference(
            spec, xq, zx, sx, w, zw, sw, aw, b if spec["bias"] else None,
            sy, zy, ay, out_integer)
    else:
        xd = dequantize(xq, sx, zx, ax)
        wd = dequantize(w.astype(np.float64), sw, zw, aw)
        y = deconv_cases.reference(spec, xd, wd, b if spec["bias"] else None)
        expected = quantize(y, sy, zy, ay, out_integer)
    got = np.load(case + ".y.npy")
    want_dtype = np.int8 if out_integer == "i8" else np.uint8
    if got.dtype != want_dtype or got.shape != expected.shape:
        return "case %d: got %s %s, expected %s %s" % (
            index, got.dtype, got.shape, np.dtype(want_dtype),
            expected.shape), is_fused
    wrong = np.count_nonzero(got.astype(np.float64) != expected)
    if wrong:
        return "case %d: %d of %d elements differ (%s)" % (
            index, wrong, expected.size, case + ".mlir"), is_fused
    return None, is_fused


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--workdir", required=True)
    p.add_argument("--deconv-run", default="deconv-run")
    p.add_argument("--target", default="cpu")
    p.add_argument("--extra-arg", action="append", default=[],
                   help="one more deconv-run argument (repeatable)")
    p.add_argument("--deconv-opt", default="deconv-opt")
    p.add_argument("--constant-weights", action="store_true",
                   help="weights as constants of the function, not inputs")
    p.add_argument("--layers", choices=["any", "fusable", "unfusable"],
                   default="any",
                   help="draw only layers the compiler fuses (or not)")
    p.add_argument("--any-scales", action="store_true",
                   help="arbitrary scales (needs --layers=fusable)")
    p.add_argument("--prefuse", action="store_true",
                   help="run the graph as -deconv-fuse-quantized rewrites it "
                        "(the CUDA target fuses only layers with a symmetric "
                        "weight by itself)")
    p.add_argument("--symmetric", nargs="?", const="both",
                   choices=["both", "weights"],
                   help="a symmetric weight (zero points 0 for i8, 128 for "
                        "ui8), which the CUDA target fuses, and input unless "
                        "=weights")
    p.add_argument("--wide", action="store_true",
                   help="150 to 400 input channels per group, so the CPU "
                        "sums an integer layer in several exact f32 slices")
    args = p.parse_args()
    if args.any_scales and args.layers != "fusable":
        p.error("--any-scales needs --layers=fusable")
    os.makedirs(args.workdir, exist_ok=True)
    rng = random.Random(args.seed)
    failures = fused = 0
    for index in range(args.count):
        message, is_fused = run_case(
            index, rng, args.workdir, args.deconv_run, args.deconv_opt,
            args.target, args.extra_arg, args.constant_weights, args.layers,
            args.any_scales, args.wide, args.prefuse, args.symmetric)
        fused += is_fused
        if message:
            failures += 1
            print(message)
    print("%d passed, %d failed (%d fusable)" % (args.count - failures,
                                                 failures, fused))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
