// RUN: deconv-run %s --target=cpu --input="1x1x3x3xf32=1 2 3 4 5 6 7 8 9" --output=@%t.npy
// RUN: %python %inputs/check_npy.py %t.npy %s

// TensorRT cookbook (seed 001), the initial example: input 1..9, weight
// 1e4 ... 1e-4, zero bias. The seed adjusted this matrix by hand to show the
// ideal (exact) values; float32 holds them to rtol 1e-6.
// EXPECTED-SHAPE: 1x1x5x5
// EXPECTED: 10000.0000 21000.0000 32100.0000 3200.0000 300.0000
// EXPECTED: 40010.0000 54021.0000 65432.1000 6503.2 600.3000
// EXPECTED: 70040.0100 87054.0210 98765.4321 9806.5032 900.6003
// EXPECTED: 70.0400 87.0540 98.76540 9.8065 0.9006
// The seed prints 0.09867 at (4, 2); by hand it is 7e-4 + 8e-3 + 9e-2 =
// 0.0987, which the seed's own later matrices print as 0.09869999 (a typo in
// the hand-adjusted matrix).
// EXPECTED: 0.0700 0.0870 0.0987 0.0098 0.0009
func.func @main(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32> {
  %w = arith.constant dense<[[[[1.0e+04, 1.0e+03, 1.0e+02], [1.0e+01, 1.0e+00, 1.0e-01], [1.0e-02, 1.0e-03, 1.0e-04]]]]> : tensor<1x1x3x3xf32>
  %b = arith.constant dense<0.0> : tensor<1xf32>
  %y = deconv.deconv %x, %w, %b {}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x5x5xf32>
  return %y : tensor<1x1x5x5xf32>
}
