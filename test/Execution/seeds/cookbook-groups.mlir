// RUN: deconv-run %s --target=cpu --input="1x2x3x3xf32=1 2 3 4 5 6 7 8 9 1 2 3 4 5 6 7 8 9" --output=@%t.npy
// RUN: %python %inputs/check_npy.py %t.npy %s

// TensorRT cookbook (seed 001), num_groups = 2: two channels, weights
// (Cin, Cout/G, 3, 3) = (2, 1, 3, 3) with group 1 holding -w. The printed
// result is -(channel 0) in channel 1, which holds with 1..9 in both input
// channels (the seed's code would put 10..18 in channel 1; its printout is
// what TensorRT computed, so we follow it).
// EXPECTED-SHAPE: 1x2x5x5
// EXPECTED: 10000. 21000. 32100. 3200. 300.
// EXPECTED: 40010. 54021. 65432.1 6503.2 600.3
// EXPECTED: 70040.01 87054.02 98765.43 9806.503 900.6003
// EXPECTED: 70.04 87.054 98.76539 9.8064995 0.9006
// EXPECTED: 0.07 0.087 0.09869999 0.0098 0.0009
// EXPECTED: -10000. -21000. -32100. -3200. -300.
// EXPECTED: -40010. -54021. -65432.1 -6503.2 -600.3
// EXPECTED: -70040.01 -87054.02 -98765.43 -9806.503 -900.6003
// EXPECTED: -70.04 -87.054 -98.76539 -9.8064995 -0.9006
// EXPECTED: -0.07 -0.087 -0.09869999 -0.0098 -0.0009
func.func @main(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  %w = arith.constant dense<[[[[1.0e+04, 1.0e+03, 1.0e+02], [1.0e+01, 1.0e+00, 1.0e-01], [1.0e-02, 1.0e-03, 1.0e-04]]],
                             [[[-1.0e+04, -1.0e+03, -1.0e+02], [-1.0e+01, -1.0e+00, -1.0e-01], [-1.0e-02, -1.0e-03, -1.0e-04]]]]> : tensor<2x1x3x3xf32>
  %b = arith.constant dense<0.0> : tensor<2xf32>
  %y = deconv.deconv %x, %w, %b {groups = 2}
      : (tensor<1x2x3x3xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x5x5xf32>
  return %y : tensor<1x2x5x5xf32>
}
