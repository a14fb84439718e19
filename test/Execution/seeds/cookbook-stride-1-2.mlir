// RUN: deconv-run %s --target=cpu --input="1x1x3x3xf32=1 2 3 4 5 6 7 8 9" --output=@%t.npy
// RUN: %python %inputs/check_npy.py %t.npy %s

// TensorRT cookbook (seed 001), stride_nd = (1, 2): input 1..9, weight 1e4 ... 1e-4, zero
// bias. The expected values are the seed's printout (float32 results printed
// to 8 significant digits, hence rtol 1e-6).
// EXPECTED-SHAPE: 1x1x5x7
// EXPECTED: 10000. 1000. 20100. 2000. 30200. 3000. 300.
// EXPECTED: 40010. 4001. 50420.1 5002. 60530.2 6003. 600.3
// EXPECTED: 70040.01 7004.001 80750.42 8005.002 90860.53 9006.003 900.6003
// EXPECTED: 70.04 7.004 80.7504 8.005 90.860504 9.006 0.9006
// EXPECTED: 0.07 0.007 0.0807 0.008 0.09079999 0.009 0.0009
func.func @main(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x5x7xf32> {
  %w = arith.constant dense<[[[[1.0e+04, 1.0e+03, 1.0e+02], [1.0e+01, 1.0e+00, 1.0e-01], [1.0e-02, 1.0e-03, 1.0e-04]]]]> : tensor<1x1x3x3xf32>
  %b = arith.constant dense<0.0> : tensor<1xf32>
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 1, 2>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x5x7xf32>
  return %y : tensor<1x1x5x7xf32>
}
