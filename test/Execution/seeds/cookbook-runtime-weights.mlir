// RUN: deconv-run %s --target=cpu --input="1x1x3x3xf32=1 2 3 4 5 6 7 8 9" --input="1x1x3x3xf32=1e4 1e3 1e2 1e1 1 1e-1 1e-2 1e-3 1e-4" --input="1xf32=0" --output=@%t.npy
// RUN: %python %inputs/check_npy.py %t.npy %s

// TensorRT cookbook (seed 001): weights and bias given at run time (the
// set_input case without its int8 quantization) give the initial result.
// EXPECTED-SHAPE: 1x1x5x5
// EXPECTED: 10000. 21000. 32100. 3200. 300.
// EXPECTED: 40010. 54021. 65432.1 6503.2 600.3
// EXPECTED: 70040.01 87054.02 98765.43 9806.503 900.6003
// EXPECTED: 70.04 87.054 98.765396 9.8064995 0.9006
// EXPECTED: 0.07 0.087 0.09869999 0.0098 0.0009
func.func @main(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x5x5xf32> {
  %y = deconv.deconv %x, %w, %b {num_output_maps = 1, kernel_size = array<i64: 3, 3>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x5x5xf32>
  return %y : tensor<1x1x5x5xf32>
}
