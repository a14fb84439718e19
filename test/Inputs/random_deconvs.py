#!/usr/bin/env python3
"""Writes random valid deconv.deconv functions with FileCheck lines for their
canonical form after -deconv-front-half.

Result shapes and canonical crops come from deconv_cases.py, a statement of
the IR contract's rules that shares no code with the compiler: the verifier
must accept every result type written here, and the pipeline must produce
exactly the grouped types and crops checked here.
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import deconv_cases as cases  # noqa: E402


def canonical_check(spec):
    g, cig, cog, elt = spec["groups"], spec["cig"], spec["cog"], spec["element_type"]
    batch = None if spec["dynamic_batch"] else spec["batch"]
    dyn = spec["dynamic_axes"]
    crops = cases.axis_crops(spec)
    ins = [None if dy else i for i, dy in zip(spec["ins"], dyn)]
    outs = [None if dy else o for (_, _, o), dy in zip(crops, dyn)]
    types = [cases.tensor_type([batch, g, cig] + ins, elt),
             cases.tensor_type([g, cig, cog] + spec["ks"], elt)]
    if spec["bias"]:
        types.append(cases.tensor_type([g, cog], elt))
    return ("deconv.grouped_deconv {{.*}} {dilation = %s, post_padding = %s, "
            "pre_padding = %s, stride = %s} : (%s) -> %s" % (
                cases.array(spec["dilations"]), cases.array([c[1] for c in crops]),
                cases.array([c[0] for c in crops]), cases.array(spec["strides"]),
                ", ".join(types),
                cases.tensor_type([batch, g, cog] + outs, elt)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    written = 0
    while written < args.count:
        spec = cases.random_spec(rng)
        if spec is None:
            continue
        name = "case%d" % written
        print("// CHECK-LABEL: func.func @%s(" % name)
        print("// CHECK-NOT: deconv.deconv")
        print("// CHECK: " + canonical_check(spec))
        print("// CHECK-NOT: deconv.deconv")
        print("// CHECK: return")
        print(cases.render_function(spec, name))
        print()
        written += 1


if __name__ == "__main__":
    main()
