// RUN: deconv-run %s --target=cpu --input="1x2x2x2x2xf32=1" --input="2x3x1x1x1xf32=1" --output=@%t.npy
// RUN: %python %inputs/check_npy.py %t.npy %s

// Dragon's conv3d_transpose example (seed 003): ones((1,2,2,2,2)) and a
// ones 1x1x1 kernel to output_shape (3,3,3). Worked by hand: each output
// channel sums the 2 input channels (2.0) at positions below 2 on every axis;
// the row the target shape adds at the end of each axis holds 0 (no bias).
// EXPECTED-SHAPE: 1x3x3x3x3
// EXPECTED: 2 2 0  2 2 0  0 0 0   2 2 0  2 2 0  0 0 0   0 0 0  0 0 0  0 0 0
// EXPECTED: 2 2 0  2 2 0  0 0 0   2 2 0  2 2 0  0 0 0   0 0 0  0 0 0  0 0 0
// EXPECTED: 2 2 0  2 2 0  0 0 0   2 2 0  2 2 0  0 0 0   0 0 0  0 0 0  0 0 0
func.func @main(%x: tensor<1x2x2x2x2xf32>, %w: tensor<2x3x1x1x1xf32>) -> tensor<1x3x3x3x3xf32> {
  %y = deconv.deconv %x, %w {output_shape = array<i64: 3, 3, 3>}
      : (tensor<1x2x2x2x2xf32>, tensor<2x3x1x1x1xf32>) -> tensor<1x3x3x3x3xf32>
  return %y : tensor<1x3x3x3x3xf32>
}
