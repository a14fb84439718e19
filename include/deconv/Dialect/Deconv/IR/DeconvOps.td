//===- DeconvOps.td - deconv dialect operations ------------*- tablegen -*-===//
//
// The `deconv.deconv` op as users write it. Its attributes mirror every
// framework's spelling; the verifier checks them all through the one shape
// helper (DeconvShape.h) that the passes and the API share. The canonical
// `deconv.grouped_deconv` the front half reduces it to, and the
// quantization ops around it (`deconv.quantize`, `deconv.dequantize`).
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_DIALECT_DECONV_IR_DECONVOPS_TD
#define DECONV_DIALECT_DECONV_IR_DECONVOPS_TD

include "deconv/Dialect/Deconv/IR/DeconvBase.td"
include "deconv/Dialect/Deconv/IR/DeconvInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Deconv_Op<string mnemonic, list<Trait> traits = []>
    : Op<Deconv_Dialect, mnemonic, traits>;

def Deconv_FloatTensor : RankedTensorOf<[F16, BF16, F32]>;
// Floats, or the 8-bit integers of an integer deconvolution.
def Deconv_DataTensor : RankedTensorOf<[F16, BF16, F32, I8, UI8]>;

def Deconv_DeconvOp : Deconv_Op<"deconv", [Pure,
    DeclareOpInterfaceMethods<Deconv_ShapeRefiningOpInterface>]> {
  let summary = "N-dimensional transposed convolution";
  let description = [{
    Transposed convolution over `D >= 1` spatial axes: the gradient of a
    cross-correlation with respect to its input (the kernel is not flipped).
    Per spatial axis, with input size `I`, kernel `K`, stride `S`, dilation
    `L` and `DK = L*(K-1)+1`, the full scatter has `F = (I-1)*S + DK`
    elements; `output_padding` extends it by zeros and the crops chosen by
    the padding attributes cut it down to the result. The rules, in priority
    order: `output_shape`, then the SAME padding modes, then `valid`, then
    `pre_padding`/`post_padding` over `padding`.

    Operands: `input` (N, C, spatial...) or (N, spatial..., C) by
    `data_format`; `weight` in `kernel_format` order, (Cin, Cout/G, K...) by
    default; optional `bias` of shape (Cout). Batch and spatial sizes may be
    dynamic; channel counts and the weight shape must be static.

    Example (the stride-2 case of the TensorRT cookbook):

    ```mlir
    %y = deconv.deconv %x, %w, %b {stride = array<i64: 2, 2>}
        : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>)
        -> tensor<1x1x7x7xf32>
    ```

    Without bias, channels-last, SAME padding:

    ```mlir
    %y = deconv.deconv %x, %w {
        stride = array<i64: 2, 2>,
        padding_mode = #deconv.padding_mode<same_upper>,
        data_format = #deconv.data_format<channels_last>,
        kernel_format = #deconv.kernel_format<cin_k_cout>}
        : (tensor<?x3x3x4xf32>, tensor<4x3x3x8xf32>) -> tensor<?x6x6x8xf32>
    ```

    With a `quantization` attribute the op is an integer deconvolution
    (what `-deconv-fuse-quantized` makes of `dequantize -> deconv ->
    quantize`): `i8`/`ui8` input, weight and result and an f32 bias. With
    zero points `zx`, `zw[c]`, `zy[c]` and scales `sx`, `sw[c]`, `sy[c]`
    per output channel `c`:
    `acc = sum of (x - zx) * (w - zw[c])`, exact in i32;
    `y = f32(acc) * f32(sx * sw[c]) + bias[c]`, each step rounded in f32;
    `result = saturate(round_half_to_even(y / sy[c]) + zy[c])` as
    `deconv.quantize` computes it. The verifier refuses a layer whose i32
    accumulator could overflow.
  }];

  let arguments = (ins
    Deconv_DataTensor:$input,
    Deconv_DataTensor:$weight,
    Optional<Deconv_FloatTensor>:$bias,
    OptionalAttr<DenseI64ArrayAttr>:$stride,
    OptionalAttr<DenseI64ArrayAttr>:$dilation,
    OptionalAttr<DenseI64ArrayAttr>:$padding,
    OptionalAttr<DenseI64ArrayAttr>:$pre_padding,
    OptionalAttr<DenseI64ArrayAttr>:$post_padding,
    OptionalAttr<DenseI64ArrayAttr>:$output_padding,
    OptionalAttr<DenseI64ArrayAttr>:$output_shape,
    OptionalAttr<Deconv_PaddingModeAttr>:$padding_mode,
    OptionalAttr<I64Attr>:$groups,
    OptionalAttr<I64Attr>:$num_output_maps,
    OptionalAttr<DenseI64ArrayAttr>:$kernel_size,
    OptionalAttr<Deconv_DataFormatAttr>:$data_format,
    OptionalAttr<Deconv_KernelFormatAttr>:$kernel_format,
    OptionalAttr<Deconv_QuantizationAttr>:$quantization
  );
  let results = (outs Deconv_DataTensor:$result);

  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:`
    functional-type(operands, results)
  }];

  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// Number of spatial axes (the input's rank minus batch and channel).
    int64_t getNumSpatialDims() {
      return getInput().getType().getRank() - 2;
    }
    /// The op's attributes as the shape helper takes them.
    DeconvSpec getSpec();
    /// The op's geometry by the shape helper (DeconvShape.h); fails with the
    /// verifier's message on invalid attributes or shapes.
    llvm::Expected<DeconvGeometry> resolveGeometry() {
      return resolveDeconv(getSpec());
    }
    /// Whether this is an integer deconvolution.
    bool isQuantized() { return static_cast<bool>(getQuantizationAttr()); }
  }];
}

def Deconv_GroupedDeconvOp : Deconv_Op<"grouped_deconv", [Pure]> {
  let summary = "canonical transposed convolution with explicit groups";
  let description = [{
    The one computation every `deconv.deconv` reduces to after the front-half
    passes (`-deconv-front-half`): channels-first data with the group axis
    explicit, and crops relative to the full scatter.

    Shapes, with `G` groups and `D` spatial axes:
    - `input`: (N, G, Cin/G, I...)
    - `weight`: (G, Cin/G, Cout/G, K...)
    - `bias` (optional): (G, Cout/G)
    - `result`: (N, G, Cout/G, O...) with, per axis,
      `O = (I-1)*S + L*(K-1) + 1 - pre_padding - post_padding`.

    `y[n,g,co,o...] = bias[g,co] + sum over ci, k... with
    i*S + k*L = o + pre_padding (each axis), 0 <= i < I, of
    x[n,g,ci,i...] * w[g,ci,co,k...]`. A negative crop extends the scatter
    with zeros (plus bias). Every attribute is required and holds one entry
    per spatial axis. G = 1 and depthwise (G = Cin = Cout) are the same op.
    With a `quantization` attribute it is the integer deconvolution that
    `deconv.deconv` describes, output channel `c = g * Cout/G + co`.

    ```mlir
    %y = deconv.grouped_deconv %x, %w, %b {
        stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>,
        pre_padding = array<i64: 1, 1>, post_padding = array<i64: 1, 1>}
        : (tensor<8x2x16x32x32xf32>, tensor<2x16x8x4x4xf32>, tensor<2x8xf32>)
        -> tensor<8x2x8x64x64xf32>
    ```
  }];

  let arguments = (ins
    Deconv_DataTensor:$input,
    Deconv_DataTensor:$weight,
    Optional<Deconv_FloatTensor>:$bias,
    DenseI64ArrayAttr:$stride,
    DenseI64ArrayAttr:$dilation,
    DenseI64ArrayAttr:$pre_padding,
    DenseI64ArrayAttr:$post_padding,
    OptionalAttr<Deconv_QuantizationAttr>:$quantization
  );
  let results = (outs Deconv_DataTensor:$result);

  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:`
    functional-type(operands, results)
  }];

  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// Number of spatial axes (the input's rank minus batch, group and
    /// channel).
    int64_t getNumSpatialDims() {
      return getInput().getType().getRank() - 3;
    }
    /// The geometry of each spatial axis by the shape helper; fails with the
    /// verifier's message.
    llvm::Expected<llvm::SmallVector<AxisGeometry>> resolveAxes();
    /// Whether this is an integer deconvolution.
    bool isQuantized() { return static_cast<bool>(getQuantizationAttr()); }
  }];
}

def Deconv_QuantizedTensor : RankedTensorOf<[I8, UI8]>;

class Deconv_QuantizationOp<string mnemonic>
    : Deconv_Op<mnemonic, [Pure, SameOperandsAndResultShape,
        DeclareOpInterfaceMethods<Deconv_ShapeRefiningOpInterface>]> {
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Whether one scale and zero point cover the whole tensor.
    bool isPerTensor() { return getScale().size() == 1; }
  }];
}

def Deconv_QuantizeOp : Deconv_QuantizationOp<"quantize"> {
  let summary = "float to 8-bit integers, ONNX's QuantizeLinear";
  let description = [{
    `q = saturate(round_half_to_even(x / scale) + zero_point)` into the
    result's integer type: `i8` in [-128, 127], `ui8` in [0, 255]. One
    `scale`/`zero_point` entry covers the tensor; otherwise there is one per
    index of dimension `axis` (per channel), which must then be given and
    static. Scales are positive and finite; zero points lie in the integer
    type's range.

    ```mlir
    %q = deconv.quantize %x {scale = array<f32: 0.05>, zero_point = array<i64: 0>}
        : tensor<1x8x16x16xf32> -> tensor<1x8x16x16xi8>
    ```
  }];
  let arguments = (ins
    Deconv_FloatTensor:$input,
    DenseF32ArrayAttr:$scale,
    DenseI64ArrayAttr:$zero_point,
    OptionalAttr<I64Attr>:$axis
  );
  let results = (outs Deconv_QuantizedTensor:$result);
}

def Deconv_DequantizeOp : Deconv_QuantizationOp<"dequantize"> {
  let summary = "8-bit integers to float, ONNX's DequantizeLinear";
  let description = [{
    `x = (q - zero_point) * scale`, computed in f32 and rounded once to the
    result's type; `scale`, `zero_point` and `axis` as `deconv.quantize`
    takes them.

    ```mlir
    %d = deconv.dequantize %wq {scale = array<f32: 0.1, 0.2, 0.3, 0.4>,
        zero_point = array<i64: 0, 0, 0, 0>, axis = 0 : i64}
        : tensor<4x2x3x3xi8> -> tensor<4x2x3x3xf32>
    ```
  }];
  let arguments = (ins
    Deconv_QuantizedTensor:$input,
    DenseF32ArrayAttr:$scale,
    DenseI64ArrayAttr:$zero_point,
    OptionalAttr<I64Attr>:$axis
  );
  let results = (outs Deconv_FloatTensor:$result);
}

#endif // DECONV_DIALECT_DECONV_IR_DECONVOPS_TD
