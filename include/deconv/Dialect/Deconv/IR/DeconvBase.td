//===- DeconvBase.td - deconv dialect and its enums --------*- tablegen -*-===//
//
// The dialect definition and the enum attributes that spell the conventions
// of the frameworks deconv imports from (TensorRT padding modes, data and
// kernel layouts). The spelling is fixed by the IR contract (docs/IR.md).
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DIALECT_DECONV_IR_DECONVBASE_TD
#define DECONV_DIALECT_DECONV_IR_DECONVBASE_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/OpBase.td"

def Deconv_Dialect : Dialect {
  let name = "deconv";
  let cppNamespace = "::mlir::deconv";
  let summary = "N-dimensional transposed convolution";
  let description = [{
    The `deconv` dialect models transposed convolution ("deconvolution") as
    users of TensorRT, ONNX, PyTorch, MXNet and Dragon write it: every padding
    convention, groups, dilation, output padding, target output shapes and
    channels-last layouts. Front-half passes reduce each op to one canonical
    computation that the lowering turns into loop nests.
  }];
  let useDefaultAttributePrinterParser = 1;
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Deconv_PaddingMode : I32EnumAttr<"PaddingMode",
    "how the crops of a deconvolution are chosen", [
      I32EnumAttrCase<"ExplicitRoundDown", 0, "explicit_round_down">,
      I32EnumAttrCase<"ExplicitRoundUp", 1, "explicit_round_up">,
      I32EnumAttrCase<"SameUpper", 2, "same_upper">,
      I32EnumAttrCase<"SameLower", 3, "same_lower">,
      I32EnumAttrCase<"CaffeRoundDown", 4, "caffe_round_down">,
      I32EnumAttrCase<"CaffeRoundUp", 5, "caffe_round_up">,
      I32EnumAttrCase<"Valid", 6, "valid">
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::deconv";
}

def Deconv_DataFormat : I32EnumAttr<"DataFormat",
    "position of the channel axis in input and result", [
      I32EnumAttrCase<"ChannelsFirst", 0, "channels_first">,
      I32EnumAttrCase<"ChannelsLast", 1, "channels_last">
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::deconv";
}

def Deconv_KernelFormat : I32EnumAttr<"KernelFormat",
    "order of the weight's axes", [
      I32EnumAttrCase<"CinCoutK", 0, "cin_cout_k">,
      I32EnumAttrCase<"CinKCout", 1, "cin_k_cout">,
      I32EnumAttrCase<"CoutKCin", 2, "cout_k_cin">
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::deconv";
}

// Printed as `#deconv.padding_mode<same_upper>` and so on.
def Deconv_PaddingModeAttr
    : EnumAttr<Deconv_Dialect, Deconv_PaddingMode, "padding_mode"> {
  let assemblyFormat = "`<` $value `>`";
}
def Deconv_DataFormatAttr
    : EnumAttr<Deconv_Dialect, Deconv_DataFormat, "data_format"> {
  let assemblyFormat = "`<` $value `>`";
}
def Deconv_KernelFormatAttr
    : EnumAttr<Deconv_Dialect, Deconv_KernelFormat, "kernel_format"> {
  let assemblyFormat = "`<` $value `>`";
}

//===----------------------------------------------------------------------===//
// The quantization of an integer deconvolution
//===----------------------------------------------------------------------===//

def Deconv_QuantizationAttr : AttrDef<Deconv_Dialect, "Quantization"> {
  let mnemonic = "quantization";
  let summary = "scales and zero points of an integer deconvolution";
  let description = [{
    What `-deconv-fuse-quantized` takes from the `deconv.dequantize` of the
    input and of the weight and from the `deconv.quantize` of the result:
    one input scale and zero point, and for the weight and the output either
    one entry (per tensor) or one per output channel, in output-channel
    order (`g * Cout/G + j`) whatever the weight's layout.

    ```mlir
    #deconv.quantization<input_scale = [0.5], input_zero_point = [128],
        weight_scale = [0.25, 0.125], weight_zero_point = [0, 0],
        output_scale = [2.0], output_zero_point = [-3]>
    ```
  }];
  let parameters = (ins
    "DenseF32ArrayAttr":$input_scale,
    "DenseI64ArrayAttr":$input_zero_point,
    "DenseF32ArrayAttr":$weight_scale,
    "DenseI64ArrayAttr":$weight_zero_point,
    "DenseF32ArrayAttr":$output_scale,
    "DenseI64ArrayAttr":$output_zero_point
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // DECONV_DIALECT_DECONV_IR_DECONVBASE_TD
