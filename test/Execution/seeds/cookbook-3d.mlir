// RUN: deconv-run %s --target=cpu --input="1x1x2x3x3xf32=1 2 3 4 5 6 7 8 9 1 2 3 4 5 6 7 8 9" --output=@%t.npy
// RUN: %python %inputs/check_npy.py %t.npy %s

// TensorRT cookbook (seed 001), 3-D deconvolution: a (1,1,2,3,3) input with
// 1..9 in both depth slices and a (1,1,2,3,3) kernel, w then -w in depth.
// Output depth 0 is x*w, depth 2 is -(x*w), and depth 1 is x*(-w) + x*w,
// exactly 0. There the seed prints float32 noise (0.00099945, ...): partial
// sums near 1e5 round to 2^-7 = 0.0078, so that slice allows atol 0.02.
// EXPECTED-SHAPE: 1x1x3x5x5
// EXPECTED: 10000. 21000. 32100. 3200. 300.
// EXPECTED: 40010. 54021. 65432.1 6503.2 600.3
// EXPECTED: 70040.01 87054.02 98765.43 9806.503 900.6003
// EXPECTED: 70.04 87.054 98.76539 9.8064995 0.9006
// EXPECTED: 0.07 0.087 0.09869999 0.0098 0.0009
// EXPECTED-ATOL: 0.02
// EXPECTED: 0. 0. 0. 0. 0.
// EXPECTED: 0. 0. 0. 0. 0.
// EXPECTED: 0. 0. 0. 0. 0.
// EXPECTED: 0. 0. 0. 0. 0.
// EXPECTED: 0. 0. 0. 0. 0.
// EXPECTED-ATOL: 1e-6
// EXPECTED: -10000. -21000. -32100. -3200. -300.
// EXPECTED: -40010. -54021. -65432.1 -6503.2 -600.3
// EXPECTED: -70040.01 -87054.02 -98765.43 -9806.503 -900.6003
// EXPECTED: -70.04 -87.054 -98.76539 -9.8064995 -0.9006
// EXPECTED: -0.07 -0.087 -0.09869999 -0.0098 -0.0009
func.func @main(%x: tensor<1x1x2x3x3xf32>) -> tensor<1x1x3x5x5xf32> {
  %w = arith.constant dense<[[[[[1.0e+04, 1.0e+03, 1.0e+02], [1.0e+01, 1.0e+00, 1.0e-01], [1.0e-02, 1.0e-03, 1.0e-04]],
                               [[-1.0e+04, -1.0e+03, -1.0e+02], [-1.0e+01, -1.0e+00, -1.0e-01], [-1.0e-02, -1.0e-03, -1.0e-04]]]]]> : tensor<1x1x2x3x3xf32>
  %b = arith.constant dense<0.0> : tensor<1xf32>
  %y = deconv.deconv %x, %w, %b
      : (tensor<1x1x2x3x3xf32>, tensor<1x1x2x3x3xf32>, tensor<1xf32>) -> tensor<1x1x3x5x5xf32>
  return %y : tensor<1x1x3x5x5xf32>
}
