"""Deconvolution test cases, stated independently of the compiler.

Everything here follows the IR contract (IR.md) directly and shares no code
with the C++ implementation: the padding rules, random valid cases, their
textual IR, and a plain NumPy reference (float64) of the op's definition.
"""

import random
import struct

import numpy as np

MODES = ["explicit_round_down", "explicit_round_up", "same_upper", "same_lower",
         "caffe_round_down", "caffe_round_up", "valid"]
DATA_FORMATS = ["channels_first", "channels_last"]
KERNEL_FORMATS = ["cin_cout_k", "cin_k_cout", "cout_k_cin"]


def axis_rule(i, k, s, l, op, pad, pre, post, target, mode):
    """(B, A - op, O) of one axis by the contract's priority rules; O is None
    when the output would be empty, and None when I is (dynamic)."""
    dk = l * (k - 1) + 1
    if target is not None:
        e = (i - 1) * s + dk + op
        t = e - target
        if t <= 0:
            b = 0
        elif mode == "same_upper":
            b = t // 2
        else:
            b = t - t // 2
        return b, (t - b) - op, target
    if mode in ("same_upper", "same_lower"):
        p = max(dk + op - s, 0)
        b = p // 2 if mode == "same_upper" else p - p // 2
        a = p - b
    elif mode == "valid":
        b = a = 0
    else:
        b = pre if pre is not None else pad
        a = post if post is not None else pad
    if i is None:
        return b, a - op, None
    o = (i - 1) * s + dk + op - b - a
    return b, a - op, (o if o >= 1 else None)


def random_spec(rng, max_dims=4, max_size=6):
    """A random valid deconvolution (or None when the draw empties an axis)."""
    d = rng.choice([d for d in [1, 1, 2, 2, 2, 3, 3, 4] if d <= max_dims])
    groups = rng.choice([1, 1, 2, 3, 4])
    cig, cog = rng.randint(1, 3), rng.randint(1, 3)
    if rng.random() < 0.15:  # depthwise
        cig, cog = 1, 1
    elif rng.random() < 0.25:  # enough output channels for the CPU's rows
        cog = rng.randint(8, 12)
    spec = dict(d=d, groups=groups, cig=cig, cog=cog,
                batch=rng.randint(1, 2), dynamic_batch=rng.random() < 0.2,
                data_format=rng.choice(DATA_FORMATS),
                kernel_format=rng.choice(KERNEL_FORMATS),
                mode=rng.choice(MODES + ["explicit_round_down"] * 3),
                element_type=rng.choice(["f32", "f32", "f32", "f16", "bf16"]),
                bias=rng.random() < 0.6,
                spell_groups=rng.random() < 0.1,
                num_output_maps=rng.random() < 0.2,
                kernel_size=rng.random() < 0.2,
                spell_mode=rng.random() < 0.1,
                spell_formats=rng.random() < 0.1)
    use_target = rng.random() < 0.2
    spec["ins"] = [rng.randint(1, max_size) for _ in range(d)]
    spec["dynamic_axes"] = [not use_target and rng.random() < 0.2 for _ in range(d)]
    spec["ks"] = [rng.randint(1, 4) for _ in range(d)]
    spec["strides"] = [rng.randint(1, 4) for _ in range(d)]
    spec["dilations"] = [rng.randint(1, 3) for _ in range(d)]
    spec["ops"] = [rng.randint(0, max(s, l) - 1) if rng.random() < 0.4 else 0
                   for s, l in zip(spec["strides"], spec["dilations"])]
    spec["pads"] = [rng.randint(-1, 2) for _ in range(d)] if rng.random() < 0.5 else None
    spec["pres"] = [rng.randint(-1, 2) for _ in range(d)] if rng.random() < 0.3 else None
    spec["posts"] = [rng.randint(-1, 2) for _ in range(d)] if rng.random() < 0.3 else None
    spec["targets"] = None
    if use_target:
        spec["targets"] = []
        for n in range(d):
            full = ((spec["ins"][n] - 1) * spec["strides"][n]
                    + spec["dilations"][n] * (spec["ks"][n] - 1) + 1 + spec["ops"][n])
            spec["targets"].append(max(1, full + rng.randint(-3, 3)))
    crops = axis_crops(spec)
    if crops is None:
        return None
    return spec


def random_tile_spec(rng, max_dims=4, max_size=6):
    """A random valid deconvolution of 1 or 2 axes with channel counts and a
    last axis long enough to cross the CPU micro-kernels' boundaries: channel
    tails of 1..3 vectors, thin channel counts below a vector, position tiles
    and chunks of positions on either side of full; or None."""
    spec = random_spec(rng, min(max_dims, 2), max_size)
    if spec is None:
        return None
    spec["cog"] = rng.choice([1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 24, 25, 33])
    spec["cig"] = rng.randint(1, 3)
    spec["ins"][-1] = rng.choice([7, 13, 50, 97, 260] if spec["d"] == 1
                                 else [7, 13, 31, 60])
    spec["targets"] = None
    if axis_crops(spec) is None:
        return None
    return spec


def random_thin_spec(rng, max_dims=3, max_size=6, depthwise=False):
    """A random valid deconvolution of the memory-bound shape classes: one
    input channel per group (depthwise, with channel multipliers) or at most
    32 output channels per group, strides and kernels up to 8 and 17, and an
    innermost axis long enough to cross the CUDA register tiles (tiles of up
    to 32 outputs, partial ones, partial channel chunks); or None."""
    spec = random_spec(rng, max_dims, max_size)
    if spec is None:
        return None
    d = spec["d"]
    spec["cig"] = 1 if depthwise else rng.choice([1, 2, 3, 5])
    spec["cog"] = rng.choice([1, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 21, 32])
    if depthwise:
        spec["groups"] = rng.choice([1, 2, 3, 5, 8])
    spec["strides"][-1] = rng.choice([1, 2, 3, 4, 5, 8])
    spec["ks"][-1] = rng.randint(1, 2 * spec["strides"][-1] + 1)
    spec["ops"][-1] = 0
    spec["ins"][-1] = rng.choice([1, 3, 7, 13, 33] if d > 1 else [1, 5, 13, 33, 70])
    if spec["targets"] is not None:
        n = d - 1
        full = ((spec["ins"][n] - 1) * spec["strides"][n]
                + spec["dilations"][n] * (spec["ks"][n] - 1) + 1)
        spec["targets"][n] = max(1, full + rng.randint(-3, 3))
    if axis_crops(spec) is None:
        return None
    return spec


def random_d2s_spec(rng, max_dims=4, max_size=6):
    """A random valid deconvolution whose kernel equals its stride with no
    dilation and no crop that extends the output (the shape class of
    U-Net's and nnU-Net's upsampling), or None."""
    spec = random_spec(rng, max_dims, max_size)
    if spec is None:
        return None
    d = spec["d"]
    spec["strides"] = [rng.randint(1, 4) for _ in range(d)]
    spec["ks"] = list(spec["strides"])
    spec["dilations"] = [1] * d
    spec["ops"] = [rng.randint(0, s - 1) if rng.random() < 0.3 else 0
                   for s in spec["strides"]]
    if spec["targets"] is not None:
        spec["targets"] = [max(1, (i - 1) * s + k + op - rng.randint(0, 1))
                           for i, s, k, op in zip(spec["ins"], spec["strides"],
                                                  spec["ks"], spec["ops"])]
    crops = axis_crops(spec)
    if crops is None or any(b < 0 or post < 0 for b, post, _ in crops):
        return None
    return spec


def axis_crops(spec):
    """[(B, post, O)] per axis for the concrete sizes, or None if one is empty."""
    crops = []
    for n in range(spec["d"]):
        pick = lambda key: spec[key][n] if spec[key] else None
        b, post, o = axis_rule(spec["ins"][n], spec["ks"][n], spec["strides"][n],
                               spec["dilations"][n], spec["ops"][n],
                               pick("pads") or 0, pick("pres"), pick("posts"),
                               pick("targets"), spec["mode"])
        if o is None:
            return None
        crops.append((b, post, o))
    return crops


def shapes(spec, concrete):
    """(input, weight, bias, result) shapes; `concrete` False puts None (?)
    where the IR is dynamic."""
    g, cig, cog = spec["groups"], spec["cig"], spec["cog"]
    cin, cout = g * cig, g * cog
    batch = spec["batch"] if concrete or not spec["dynamic_batch"] else None
    ins = [None if (not concrete and dyn) else i
           for i, dyn in zip(spec["ins"], spec["dynamic_axes"])]
    outs = [o for (_, _, o) in axis_crops(spec)]
    outs = [None if (not concrete and dyn) else o
            for o, dyn in zip(outs, spec["dynamic_axes"])]
    ks = spec["ks"]
    if spec["data_format"] == "channels_first":
        x, y = [batch, cin] + ins, [batch, cout] + outs
    else:
        x, y = [batch] + ins + [cin], [batch] + outs + [cout]
    w = {"cin_cout_k": [cin, cog] + ks, "cin_k_cout": [cin] + ks + [cog],
         "cout_k_cin": [cout] + ks + [cig]}[spec["kernel_format"]]
    return x, w, [cout], y


def tensor_type(shape, element_type):
    return "tensor<%sx%s>" % ("x".join("?" if s is None else str(s) for s in shape),
                              element_type)


def array(values):
    return "array<i64: %s>" % ", ".join(str(v) for v in values)


def render_function(spec, name):
    """The function @name taking (input, weight[, bias]) and returning y."""
    attrs = []
    if any(s != 1 for s in spec["strides"]):
        attrs.append("stride = " + array(spec["strides"]))
    if any(l != 1 for l in spec["dilations"]):
        attrs.append("dilation = " + array(spec["dilations"]))
    for key, attr in [("pads", "padding"), ("pres", "pre_padding"),
                      ("posts", "post_padding"), ("targets", "output_shape")]:
        if spec[key]:
            attrs.append("%s = %s" % (attr, array(spec[key])))
    if any(spec["ops"]):
        attrs.append("output_padding = " + array(spec["ops"]))
    if spec["mode"] != "explicit_round_down" or spec["spell_mode"]:
        attrs.append("padding_mode = #deconv.padding_mode<%s>" % spec["mode"])
    if spec["groups"] != 1 or spec["spell_groups"]:
        attrs.append("groups = %d" % spec["groups"])
    if spec["num_output_maps"]:
        attrs.append("num_output_maps = %d" % (spec["groups"] * spec["cog"]))
    if spec["kernel_size"]:
        attrs.append("kernel_size = " + array(spec["ks"]))
    if spec["data_format"] != "channels_first" or spec["spell_formats"]:
        attrs.append("data_format = #deconv.data_format<%s>" % spec["data_format"])
    if spec["kernel_format"] != "cin_cout_k" or spec["spell_formats"]:
        attrs.append("kernel_format = #deconv.kernel_format<%s>" % spec["kernel_format"])
    x, w, b, y = shapes(spec, concrete=False)
    elt = spec["element_type"]
    types = [tensor_type(x, elt), tensor_type(w, elt)]
    if spec["bias"]:
        types.append(tensor_type(b, elt))
    args = ", ".join("%%a%d: %s" % (n, t) for n, t in enumerate(types))
    operands = ", ".join("%%a%d" % n for n in range(len(types)))
    y_type = tensor_type(y, elt)
    return "\n".join([
        "func.func @%s(%s) -> %s {" % (name, args, y_type),
        "  %%y = deconv.deconv %s {%s} : (%s) -> %s"
        % (operands, ", ".join(attrs), ", ".join(types), y_type),
        "  return %%y : %s" % y_type, "}"])


def reference(spec, x, w, b):
    """The op by its definition, in float64: the full scatter
    full[i*S + k*L] += x[i] * w[k] per group, extended by output padding,
    cropped by (B, A) (a negative crop extends with zeros), plus bias."""
    d, g, cig, cog = spec["d"], spec["groups"], spec["cig"], spec["cog"]
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if spec["data_format"] == "channels_last":
        x = np.moveaxis(x, -1, 1)
    # Weight as (Cin, Cout/G, K...).
    if spec["kernel_format"] == "cin_k_cout":
        w = np.moveaxis(w, -1, 1)
    elif spec["kernel_format"] == "cout_k_cin":
        ks = w.shape[1:-1]
        w = w.reshape((g, cog) + tuple(ks) + (cig,))
        w = np.moveaxis(w, -1, 1)  # (G, Cig, Cog, K...)
        w = w.reshape((g * cig, cog) + tuple(ks))
    n, ins, ks = x.shape[0], x.shape[2:], w.shape[2:]
    strides, dils = spec["strides"], spec["dilations"]
    full_sizes = [(i - 1) * s + l * (k - 1) + 1
                  for i, s, l, k in zip(ins, strides, dils, ks)]
    full = np.zeros((n, g * cog) + tuple(full_sizes))
    for tap in np.ndindex(*ks):
        region = tuple(slice(k * l, k * l + s * (i - 1) + 1, s)
                       for k, l, s, i in zip(tap, dils, strides, ins))
        for group in range(g):
            xg = x[:, group * cig:(group + 1) * cig]
            wg = w[group * cig:(group + 1) * cig, :, ][(slice(None), slice(None)) + tap]
            full[(slice(None), slice(group * cog, (group + 1) * cog)) + region] += \
                np.einsum("nc...,co->no...", xg, wg)
    y = full
    for axis, (b_crop, post, o) in enumerate(axis_crops(spec)):
        # y[o] = full[o + B] where 0 <= o + B < F, else 0.
        f = full_sizes[axis]
        index = np.arange(o) + b_crop
        valid = (index >= 0) & (index < f)
        taken = np.take(y, np.clip(index, 0, f - 1), axis=2 + axis)
        mask_shape = [1] * taken.ndim
        mask_shape[2 + axis] = o
        y = taken * valid.reshape(mask_shape)
    if b is not None:
        y = y + np.asarray(b, dtype=np.float64).reshape((1, -1) + (1,) * d)
    if spec["data_format"] == "channels_last":
        y = np.moveaxis(y, 1, -1)
    return y


def round_to(values, element_type):
    """Values rounded to the element type, as float64."""
    values = np.asarray(values, dtype=np.float64)
    if element_type == "f32":
        return values.astype(np.float32).astype(np.float64)
    if element_type == "f16":
        return values.astype(np.float16).astype(np.float64)
    bits = bf16_bits(values)
    return (bits.astype(np.uint32) << 16).view(np.float32).astype(np.float64)


def bf16_bits(values):
    as32 = np.asarray(values, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = (as32 + 0x7FFF + ((as32 >> 16) & 1)) >> 16
    return rounded.astype(np.uint16)


def save_npy(path, values, element_type):
    """np.save for f32/f16, and NumPy's format by hand for bf16 (descr
    'bfloat16', as ml_dtypes writes it)."""
    values = np.asarray(values)
    if element_type == "f32":
        np.save(path, values.astype(np.float32))
        return
    if element_type == "f16":
        np.save(path, values.astype(np.float16))
        return
    shape = values.shape
    header = "{'descr': 'bfloat16', 'fortran_order': False, 'shape': %s, }" % (
        "(%s)" % "".join("%d, " % s for s in shape) if len(shape) != 1
        else "(%d,)" % shape[0])
    header = header.replace(", )", ")")
    total = 10 + len(header) + 1
    header += " " * ((64 - total % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode("latin1"))
        f.write(bf16_bits(values).tobytes())


def load_npy(path):
    """np.load, plus bf16 files (returned as float64)."""
    with open(path, "rb") as f:
        data = f.read()
    if b"'bfloat16'" not in data[:128]:
        return np.load(path).astype(np.float64)
    length = struct.unpack("<H", data[8:10])[0]
    header = data[10:10 + length].decode("latin1")
    shape = tuple(int(s) for s in header.split("(")[1].split(")")[0].split(",") if s.strip())
    bits = np.frombuffer(data[10 + length:], dtype=np.uint16).reshape(shape)
    return (bits.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
