// RUN: deconv-run %s --target=cpu --input="1x1x3x3xf32=1 2 3 4 5 6 7 8 9" --output=@%t.npy
// RUN: %python %inputs/check_npy.py %t.npy %s

// TensorRT cookbook (seed 001), padding_mode = EXPLICIT_ROUND_DOWN with stride (2, 2): input 1..9, weight 1e4 ... 1e-4, zero
// bias. The expected values are the seed's printout (float32 results printed
// to 8 significant digits, hence rtol 1e-6).
// EXPECTED-SHAPE: 1x1x7x7
// EXPECTED: 10000. 1000. 20100. 2000. 30200. 3000. 300.
// EXPECTED: 10. 1. 20.1 2. 30.2 3. 0.3
// EXPECTED: 40000.01 4000.001 50400.02 5000.002 60500.03 6000.003 600.0003
// EXPECTED: 40. 4. 50.4 5. 60.5 6. 0.6
// EXPECTED: 70000.04 7000.004 80700.05 8000.005 90800.06 9000.006 900.0006
// EXPECTED: 70. 7. 80.7 8. 90.8 9. 0.90000004
// EXPECTED: 0.07 0.007 0.0807 0.008 0.09079999 0.009 0.0009
func.func @main(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x7x7xf32> {
  %w = arith.constant dense<[[[[1.0e+04, 1.0e+03, 1.0e+02], [1.0e+01, 1.0e+00, 1.0e-01], [1.0e-02, 1.0e-03, 1.0e-04]]]]> : tensor<1x1x3x3xf32>
  %b = arith.constant dense<0.0> : tensor<1xf32>
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>, padding_mode = #deconv.padding_mode<explicit_round_down>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x7x7xf32>
  return %y : tensor<1x1x7x7xf32>
}
