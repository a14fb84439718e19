
func.func @main(%x: tensor<1x1x3x3xf32>, %w: tensor<1x1x3x3xf32>, %b: tensor<1xf32>) -> tensor<1x1x5x5xf32> {
  %y = deconv.deconv %x, %w, %b {num_output_maps = 1, kernel_size = array<i64: 3, 3>}
      : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x5x5xf32>
  return %y : tensor<1x1x5x5xf32>
}
