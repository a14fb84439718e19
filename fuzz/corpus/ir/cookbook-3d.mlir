
func.func @main(%x: tensor<1x1x2x3x3xf32>) -> tensor<1x1x3x5x5xf32> {
  %w = arith.constant dense<[[[[[1.0e+04, 1.0e+03, 1.0e+02], [1.0e+01, 1.0e+00, 1.0e-01], [1.0e-02, 1.0e-03, 1.0e-04]],
                               [[-1.0e+04, -1.0e+03, -1.0e+02], [-1.0e+01, -1.0e+00, -1.0e-01], [-1.0e-02, -1.0e-03, -1.0e-04]]]]]> : tensor<1x1x2x3x3xf32>
  %b = arith.constant dense<0.0> : tensor<1xf32>
  %y = deconv.deconv %x, %w, %b
      : (tensor<1x1x2x3x3xf32>, tensor<1x1x2x3x3xf32>, tensor<1xf32>) -> tensor<1x1x3x5x5xf32>
  return %y : tensor<1x1x3x5x5xf32>
}
