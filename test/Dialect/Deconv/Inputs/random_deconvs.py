#!/usr/bin/env python3
"""Writes random valid deconv.deconv ops with FileCheck lines for their
canonical form after -deconv-front-half.

Result shapes and canonical crops are computed here, straight from the IR
contract's rules, independently of the compiler's C++ shape helper: the
verifier must accept every result type written here, and the pipeline must
produce exactly the crops and grouped types checked here.
"""

import argparse
import random

DYN = None
MODES = ["explicit_round_down", "explicit_round_up", "same_upper", "same_lower",
         "caffe_round_down", "caffe_round_up", "valid"]


def axis_rule(i, k, s, l, op, pad, pre, post, target, mode):
    """Returns (B, canonical post = A - op, O) for one axis; O None if empty."""
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
    if i is DYN:
        return b, a - op, DYN
    o = (i - 1) * s + dk + op - b - a
    return b, a - op, (o if o >= 1 else None)


def shape_str(shape):
    return "x".join("?" if d is DYN else str(d) for d in shape)


def tensor(shape, elt):
    return "tensor<%sx%s>" % (shape_str(shape), elt)


def arr(values):
    return "array<i64: %s>" % ", ".join(str(v) for v in values)


def random_case(rng, name):
    d = rng.choice([1, 1, 2, 2, 2, 3, 3, 4])
    groups = rng.choice([1, 1, 2, 3, 4])
    cig, cog = rng.randint(1, 3), rng.randint(1, 3)
    if rng.random() < 0.15:  # depthwise
        cig, cog = 1, 1
    cin, cout = groups * cig, groups * cog
    data_format = rng.choice(["channels_first", "channels_last"])
    kernel_format = rng.choice(["cin_cout_k", "cin_k_cout", "cout_k_cin"])
    mode = rng.choice(MODES + ["explicit_round_down"] * 3)
    use_target = rng.random() < 0.2
    batch = DYN if rng.random() < 0.2 else rng.randint(1, 3)
    attrs, axes = {}, []
    for _ in range(d):
        axes.append(dict(
            i=DYN if (not use_target and rng.random() < 0.2) else rng.randint(1, 6),
            k=rng.randint(1, 5), s=rng.randint(1, 4), l=rng.randint(1, 3)))
    for name_, key, lo, hi in [("stride", "s", 1, 4), ("dilation", "l", 1, 3)]:
        if any(a[key] != 1 for a in axes) or rng.random() < 0.2:
            attrs[name_] = [a[key] for a in axes]
    ops = [rng.randint(0, max(a["s"], a["l"]) - 1) if rng.random() < 0.4 else 0
           for a in axes]
    if any(ops):
        attrs["output_padding"] = ops
    pads = [rng.randint(-1, 2) for _ in axes] if rng.random() < 0.5 else None
    pres = [rng.randint(-1, 2) for _ in axes] if rng.random() < 0.3 else None
    posts = [rng.randint(-1, 2) for _ in axes] if rng.random() < 0.3 else None
    targets = None
    if pads:
        attrs["padding"] = pads
    if pres:
        attrs["pre_padding"] = pres
    if posts:
        attrs["post_padding"] = posts
    if mode != "explicit_round_down" or rng.random() < 0.1:
        attrs["padding_mode"] = "#deconv.padding_mode<%s>" % mode
    crops, out = [], []
    for n, a in enumerate(axes):
        target = None
        if use_target:
            full = (a["i"] - 1) * a["s"] + a["l"] * (a["k"] - 1) + 1 + ops[n]
            target = max(1, full + rng.randint(-3, 3))
        b, post, o = axis_rule(a["i"], a["k"], a["s"], a["l"], ops[n],
                               pads[n] if pads else 0,
                               pres[n] if pres else None,
                               posts[n] if posts else None, target, mode)
        if o is None:
            return None
        crops.append((b, post))
        out.append(o)
        if target is not None:
            targets = (targets or []) + [target]
    if targets:
        attrs["output_shape"] = targets
    if groups > 1 or rng.random() < 0.1:
        attrs["groups"] = groups
    if rng.random() < 0.2:
        attrs["num_output_maps"] = cout
    ks = [a["k"] for a in axes]
    if rng.random() < 0.2:
        attrs["kernel_size"] = ks
    if data_format != "channels_first" or rng.random() < 0.1:
        attrs["data_format"] = "#deconv.data_format<%s>" % data_format
    if kernel_format != "cin_cout_k" or rng.random() < 0.1:
        attrs["kernel_format"] = "#deconv.kernel_format<%s>" % kernel_format
    elt = rng.choice(["f32", "f32", "f16", "bf16"])
    ins = [a["i"] for a in axes]
    if data_format == "channels_first":
        x_shape, y_shape = [batch, cin] + ins, [batch, cout] + out
    else:
        x_shape, y_shape = [batch] + ins + [cin], [batch] + out + [cout]
    w_shape = {"cin_cout_k": [cin, cog] + ks, "cin_k_cout": [cin] + ks + [cog],
               "cout_k_cin": [cout] + ks + [cig]}[kernel_format]
    bias = rng.random() < 0.5
    types = [tensor(x_shape, elt), tensor(w_shape, elt)]
    if bias:
        types.append(tensor([cout], elt))

    def attr_text(key, value):
        if isinstance(value, list):
            return "%s = %s" % (key, arr(value))
        return "%s = %s" % (key, value)

    attr_dict = ", ".join(attr_text(k, v) for k, v in attrs.items())
    args = ", ".join("%%a%d: %s" % (n, t) for n, t in enumerate(types))
    operands = ", ".join("%%a%d" % n for n in range(len(types)))
    y_type = tensor(y_shape, elt)
    lines = ["func.func @%s(%s) -> %s {" % (name, args, y_type),
             "  %%y = deconv.deconv %s {%s} : (%s) -> %s"
             % (operands, attr_dict, ", ".join(types), y_type),
             "  return %%y : %s" % y_type, "}"]

    # The canonical op: grouped types and crops relative to the full scatter.
    gx = tensor([batch, groups, cig] + ins, elt)
    gw = tensor([groups, cig, cog] + ks, elt)
    gy = tensor([batch, groups, cog] + out, elt)
    gtypes = [gx, gw] + ([tensor([groups, cog], elt)] if bias else [])
    canon = ("deconv.grouped_deconv {{.*}} {dilation = %s, post_padding = %s, "
             "pre_padding = %s, stride = %s} : (%s) -> %s" % (
                 arr([a["l"] for a in axes]), arr([c[1] for c in crops]),
                 arr([c[0] for c in crops]), arr([a["s"] for a in axes]),
                 ", ".join(gtypes), gy))
    checks = ["// CHECK-LABEL: func.func @%s(" % name,
              "// CHECK-NOT: deconv.deconv",
              "// CHECK: " + canon,
              "// CHECK-NOT: deconv.deconv",
              "// CHECK: return"]
    return checks + lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    written = 0
    while written < args.count:
        case = random_case(rng, "case%d" % written)
        if case is None:
            continue
        print("\n".join(case))
        print()
        written += 1


if __name__ == "__main__":
    main()
