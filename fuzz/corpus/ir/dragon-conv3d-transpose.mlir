
func.func @main(%x: tensor<1x2x2x2x2xf32>, %w: tensor<2x3x1x1x1xf32>) -> tensor<1x3x3x3x3xf32> {
  %y = deconv.deconv %x, %w {output_shape = array<i64: 3, 3, 3>}
      : (tensor<1x2x2x2x2xf32>, tensor<2x3x1x1x1xf32>) -> tensor<1x3x3x3x3xf32>
  return %y : tensor<1x3x3x3x3xf32>
}
