"""The benchmark suite's layers (bench/suite.json) as both benchmarks use
them: output sizes, useful multiply-adds, operand shapes, shrinking a layer
to a budget, and the layer as `deconv` IR (weights and bias as function
inputs, PyTorch's layouts).
"""

import numpy as np

ELEMENT_BYTES = {"f32": 4, "bf16": 2}


def out_sizes(layer):
    return [(i - 1) * s - lo - hi + l * (k - 1) + 1 + op
            for i, k, s, l, lo, hi, op in zip(layer["in_sp"], layer["k"],
                                              layer["stride"], layer["dil"],
                                              layer["pad_lo"], layer["pad_hi"],
                                              layer["out_pad"])]


def useful_macs(layer):
    """Multiply-adds that reach the output (the definition deconv-run uses):
    per axis, the (input, tap) pairs that land inside the output."""
    macs = layer["N"] * layer["Cout"] * (layer["Cin"] // layer["groups"])
    for i, k, s, l, lo, o in zip(layer["in_sp"], layer["k"], layer["stride"],
                                 layer["dil"], layer["pad_lo"], out_sizes(layer)):
        position = (np.arange(i, dtype=np.int64)[:, None] * s
                    + np.arange(k, dtype=np.int64)[None, :] * l - lo)
        macs *= int(np.count_nonzero((position >= 0) & (position < o)))
    return macs


def shapes(layer):
    """Shapes of x, w, b and y."""
    g = layer["groups"]
    return ([layer["N"], layer["Cin"]] + layer["in_sp"],
            [layer["Cin"], layer["Cout"] // g] + layer["k"],
            [layer["Cout"]],
            [layer["N"], layer["Cout"]] + out_sizes(layer))


def bytes_moved(layer, element):
    """Inputs, weights, bias and outputs, each once."""
    return ELEMENT_BYTES[element] * sum(int(np.prod(s)) for s in shapes(layer))


def shrink(layer, budget):
    """Cuts the batch, then the spatial sizes, until the MACs fit."""
    layer = dict(layer)
    original = list(layer["in_sp"])
    notes = []
    full = useful_macs(layer)
    if full > budget and layer["N"] > 1:
        layer["N"] = max(1, int(layer["N"] * budget / full))
        notes.append("N %d" % layer["N"])
    while useful_macs(layer) > budget and max(layer["in_sp"]) > 4:
        layer["in_sp"] = [max(2, i // 2) for i in layer["in_sp"]]
    if layer["in_sp"] != original:
        notes.append("in %s" % "x".join(map(str, layer["in_sp"])))
    layer["out_sp"] = out_sizes(layer)
    return layer, ", ".join(notes)


def mlir_for(layer, element):
    x, w, b, y = shapes(layer)
    t = lambda s: "tensor<%sx%s>" % ("x".join(map(str, s)), element)
    arr = lambda v: "array<i64: %s>" % ", ".join(map(str, v))
    attrs = ["stride = " + arr(layer["stride"]), "dilation = " + arr(layer["dil"]),
             "pre_padding = " + arr(layer["pad_lo"]),
             "post_padding = " + arr(layer["pad_hi"]),
             "output_padding = " + arr(layer["out_pad"]),
             "groups = %d" % layer["groups"],
             "data_format = #deconv.data_format<channels_first>",
             "kernel_format = #deconv.kernel_format<cin_cout_k>"]
    return ("func.func @main(%%x: %s, %%w: %s, %%b: %s) -> %s {\n"
            "  %%y = deconv.deconv %%x, %%w, %%b {%s} : (%s, %s, %s) -> %s\n"
            "  return %%y : %s\n}\n" % (t(x), t(w), t(b), t(y), ", ".join(attrs),
                                        t(x), t(w), t(b), t(y), t(y)))
