// RUN: deconv-run %s --target=cpu --input="1x1x3x3xf32=1 2 3 4 5 6 7 8 9" --output=@%t.npy
// RUN: %python %inputs/check_npy.py %t.npy %s

// TensorRT cookbook (seed 001), padding_nd = (1, 0): input 1..9, weight 1e4 ... 1e-4, zero
// bias. The expected values are the seed's printout (float32 results printed
// to 8 significant digits, hence rtol 1e-6).
// EXPECTED-SHAPE: 1x1x3x5
// EXPECTED: 40010. 54021. 65432.1 6503.2 600.3
// EXPECTED: 70040.01 87054.02 98765.43 9806.503 900.6003
// EXPECTED: 70.04 87.054 98.765396 9.8064995 0.9006
func.func @main(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x5xf32> {
  %w = arith.constant dense<[[[[1.0e+04, 1.0e+03, 1.0e+02], [1.0e+01, 1.0e+00, 1.0e-01], [1.0e-02, 1.0e-03, 1.0e-04]]]]> : tensor<1x1x3x3xf32>
  %b = arith.constant dense<0.0> : tensor<1xf32>
  %y = deconv.deconv %x, %w, %b {padding = array<i64: 1, 0>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x3x5xf32>
  return %y : tensor<1x1x3x5xf32>
}
