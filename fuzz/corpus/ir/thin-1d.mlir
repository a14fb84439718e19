func.func @main(%x: tensor<1x2x5xf32>, %w: tensor<2x3x4xf32>, %b: tensor<3xf32>) -> tensor<1x3x10xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2>, padding = array<i64: 1>} : (tensor<1x2x5xf32>, tensor<2x3x4xf32>, tensor<3xf32>) -> tensor<1x3x10xf32>
  return %y : tensor<1x3x10xf32>
}
