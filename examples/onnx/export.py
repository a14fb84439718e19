#!/usr/bin/env python3
"""Exports a PyTorch ConvTranspose2d to ONNX, as the README's ONNX example.

Writes, into the folder given (default: this one):
  upsample.onnx   a U-Net style 2x upsampling layer: 8 -> 4 channels in 2
                  groups, kernel 3, stride 2, padding 1, output_padding 1,
                  with bias; the batch size is dynamic
  x.npy           an input of batch 2
  y_pytorch.npy   PyTorch's output for it, the reference the example and its
                  test compare with

Needs PyTorch and the onnx package (`pip install torch onnx`). The
repository ships these three files, so the example runs without PyTorch.
"""

import os
import sys

import numpy as np
import torch


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
        os.path.abspath(__file__))
    torch.manual_seed(0)
    layer = torch.nn.ConvTranspose2d(8, 4, kernel_size=3, stride=2, padding=1,
                                     output_padding=1, groups=2, bias=True)
    layer.eval()
    x = torch.randn(2, 8, 5, 7)
    # Opset 17: the newest ONNX 1.12 (Debian 12's libonnx) knows.
    torch.onnx.export(layer, x, os.path.join(out, "upsample.onnx"),
                      input_names=["x"], output_names=["y"], opset_version=17,
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
    with torch.no_grad():
        y = layer(x)
    np.save(os.path.join(out, "x.npy"), x.numpy())
    np.save(os.path.join(out, "y_pytorch.npy"), y.numpy())
    print(f"wrote upsample.onnx, x.npy {tuple(x.shape)}, "
          f"y_pytorch.npy {tuple(y.shape)} to {out}")


if __name__ == "__main__":
    main()
