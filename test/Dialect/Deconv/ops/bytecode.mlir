// RUN: deconv-opt %s -emit-bytecode | deconv-opt | FileCheck %s

// Properties and enum attributes survive MLIR bytecode.
// CHECK-LABEL: func.func @bytecode
// CHECK: deconv.deconv %arg0, %arg1, %arg2 {data_format = #deconv.data_format<channels_last>, dilation = array<i64: 1, 2>, groups = 2 : i64, kernel_format = #deconv.kernel_format<cout_k_cin>, output_padding = array<i64: 1, 1>, padding_mode = #deconv.padding_mode<same_lower>, stride = array<i64: 2, 2>} : (tensor<?x3x3x4xf32>, tensor<6x3x3x2xf32>, tensor<6xf32>) -> tensor<?x6x6x6xf32>
func.func @bytecode(%x: tensor<?x3x3x4xf32>, %w: tensor<6x3x3x2xf32>, %b: tensor<6xf32>) -> tensor<?x6x6x6xf32> {
  %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>, dilation = array<i64: 1, 2>, output_padding = array<i64: 1, 1>, groups = 2,
                                 padding_mode = #deconv.padding_mode<same_lower>,
                                 data_format = #deconv.data_format<channels_last>,
                                 kernel_format = #deconv.kernel_format<cout_k_cin>}
      : (tensor<?x3x3x4xf32>, tensor<6x3x3x2xf32>, tensor<6xf32>) -> tensor<?x6x6x6xf32>
  return %y : tensor<?x6x6x6xf32>
}
