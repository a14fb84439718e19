// RUN: deconv-run %s --target=cpu --input="1x1x3x3xf32=1 2 3 4 5 6 7 8 9" --output=@%t.npy
// RUN: %python %inputs/check_npy.py %t.npy %s

// TensorRT cookbook (seed 001), stride_nd = (2, 1): input 1..9, weight 1e4 ... 1e-4, zero
// bias. The expected values are the seed's printout (float32 results printed
// to 8 significant digits, hence rtol 1e-6).
// EXPECTED-SHAPE: 1x1x7x5
// EXPECTED: 10000. 21000. 32100. 3200. 300.
// EXPECTED: 10. 21. 32.1 3.2 0.3
// EXPECTED: 40000.01 54000.02 65400.035 6500.0034 600.0003
// EXPECTED: 40. 54. 65.4 6.5 0.6
// EXPECTED: 70000.04 87000.055 98700.07 9800.007 900.0006
// EXPECTED: 70. 87. 98.7 9.8 0.90000004
// EXPECTED: 0.07 0.087 0.09869999 0.0098 0.0009
func.func @main(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x7x5xf32> {
  %w = arith.constant dense<[[[[1.0e+04, 1.0e+03, 1.0e+02], [1.0e+01, 1.0e+00, 1.0e-01], [1.0e-02, 1.0e-03, 1.0e-04]]]]> : tensor<1x1x3x3xf32>
  %b = arith.constant dense<0.0> : tensor<1xf32>
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 1>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x7x5xf32>
  return %y : tensor<1x1x7x5xf32>
}
