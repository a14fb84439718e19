func.func @main(%x: tensor<2x5x6x4xf32>, %w: tensor<4x1x3x3xf32>, %b: tensor<4xf32>) -> tensor<2x10x12x4xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>, padding = array<i64: 1, 1>, output_padding = array<i64: 1, 1>, groups = 4, data_format = #deconv.data_format<channels_last>} : (tensor<2x5x6x4xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<2x10x12x4xf32>
  return %y : tensor<2x10x12x4xf32>
}
