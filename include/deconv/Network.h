//===- Network.h - build a deconvolution graph in C++ -----------*- C++ -*-===//
//
// The public network builder, in the spirit of TensorRT's INetworkDefinition
// and IDeconvolutionLayer: add inputs, add deconvolution layers, set their
// parameters, mark outputs, then compile (Executable.h). The network becomes
// the same `deconv.deconv` IR the textual path parses and runs the same
// pipeline, so its rules and messages are the IR contract's.
//
// Setters never fail on the spot, as in TensorRT: a setting the IR rejects
// (a stride of 0, channels not divisible by the groups, ...) is reported by
// validate() and by compiling, with the verifier's message and the layer's
// name. Misuse that has no IR form (an input index out of range, a tensor
// of another network, negative padding, malformed weights) is recorded when
// it happens and reported the same way.
//
// No MLIR or LLVM type appears here: the header needs only the C++17
// standard library and the runtime's Status and HostTensor.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_NETWORK_H
#define DECONV_NETWORK_H

#include "deconv/Runtime/HostTensor.h"
#include "deconv/Runtime/Status.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace deconv {

/// Sizes of a tensor, or one value per spatial axis; -1 marks a size known
/// only at run time (batch and spatial sizes of inputs).
using Dims = std::vector<int64_t>;

/// How the crops of each axis are chosen (IR.md, `padding_mode`).
enum class PaddingMode {
  ExplicitRoundDown,
  ExplicitRoundUp,
  SameUpper,
  SameLower,
  CaffeRoundDown,
  CaffeRoundUp,
  Valid,
};

/// Where the channel axis of inputs and results is.
enum class DataFormat {
  ChannelsFirst, ///< N, C, spatial... (NCHW)
  ChannelsLast,  ///< N, spatial..., C (NHWC)
};

/// The layout of kernel weights (G = groups, K... = kernel sizes).
enum class KernelFormat {
  CinCoutK, ///< (Cin, Cout/G, K...): TensorRT, PyTorch, ONNX, MXNet.
  CinKCout, ///< (Cin, K..., Cout/G): Dragon with NHWC.
  CoutKCin, ///< (Cout, K..., Cin/G): TOSA (OHWI).
};

/// A view of weight values in row-major order, as TensorRT's Weights. The
/// network copies them when they are set, so the memory may be freed after
/// the call. Float weights of another float type than the layer's input are
/// rounded to the input's type when the network is built (TensorRT's FP32
/// weights for an FP16 network). `count == 0` means no weights.
struct Weights {
  ElementType type = ElementType::F32;
  const void *values = nullptr;
  int64_t count = 0;
};

class NetworkDefinition;
class Layer;
class DeconvolutionLayer;

/// A tensor of a network: an input, or a layer's output. Owned by its
/// network; pointers stay valid as long as the network (moves included).
class Tensor {
public:
  Tensor(const Tensor &) = delete;
  Tensor &operator=(const Tensor &) = delete;

  const std::string &getName() const { return name; }
  void setName(std::string newName) { name = std::move(newName); }
  ElementType getType() const { return type; }
  /// An input's dimensions as declared; a layer output's as its layer's
  /// current settings give them (-1 where they depend on a dynamic input),
  /// or empty while those settings are invalid (validate() says why).
  Dims getDimensions() const;
  bool isNetworkInput() const { return !producer; }
  /// The layer that computes this tensor; null for a network input.
  Layer *getProducer() const { return producer; }

private:
  friend class NetworkDefinition;
  friend class Layer;
  friend class DeconvolutionLayer;
  friend class QuantizationLayer;
  friend struct NetworkAccess;
  struct Owner;
  Tensor(const Owner *owner, std::string name, ElementType type, Dims dims,
         Layer *producer)
      : owner(owner), name(std::move(name)), type(type), dims(std::move(dims)),
        producer(producer) {}

  const Owner *owner;
  std::string name;
  ElementType type;
  Dims dims;
  Layer *producer;
};

/// What a layer computes (TensorRT's LayerType).
enum class LayerType { Deconvolution, Quantize, Dequantize };

/// What every layer has: a kind, a name, inputs and one output. Owned by
/// its network.
class Layer {
public:
  Layer(const Layer &) = delete;
  Layer &operator=(const Layer &) = delete;
  virtual ~Layer();

  LayerType getType() const { return type; }
  const std::string &getName() const { return name; }
  void setName(std::string newName) { name = std::move(newName); }
  /// Input `index`, or null where it is not a tensor.
  virtual Tensor *getInput(int index) const = 0;
  Tensor *getOutput(int index = 0) const {
    return index == 0 ? output : nullptr;
  }

protected:
  Layer(LayerType type, Tensor::Owner *owner, std::string name)
      : type(type), owner(owner), name(std::move(name)) {}
  /// Records a misuse; compiling reports the first one.
  void fail(const std::string &message);
  /// Whether `tensor` belongs to this layer's network (else a misuse).
  bool belongsHere(const char *setter, const Tensor &tensor);

  LayerType type;
  Tensor::Owner *owner;
  std::string name;
  Tensor *output = nullptr;

private:
  friend class NetworkDefinition;
};

/// A transposed convolution, with IDeconvolutionLayer's setters plus output
/// padding, a target output shape and the data and kernel formats. Array
/// settings hold one value per spatial axis. Owned by its network.
class DeconvolutionLayer : public Layer {
public:
  void setNbOutputMaps(int64_t maps) { numOutputMaps = maps; }
  int64_t getNbOutputMaps() const { return numOutputMaps; }
  void setKernelSizeNd(Dims sizes) { kernelSize = std::move(sizes); }
  const Dims &getKernelSizeNd() const { return kernelSize; }
  /// Default: 1 on every axis.
  void setStrideNd(Dims strides) { stride = std::move(strides); }
  Dims getStrideNd() const;
  /// Default: 1 on every axis.
  void setDilationNd(Dims dilations) { dilation = std::move(dilations); }
  Dims getDilationNd() const;
  /// Symmetric crop of every axis, >= 0. As in TensorRT it sets both the
  /// pre and the post padding: it replaces earlier setPrePadding and
  /// setPostPadding calls.
  void setPaddingNd(Dims padding);
  Dims getPaddingNd() const;
  /// Crop at the start of every axis, >= 0.
  void setPrePadding(Dims padding);
  Dims getPrePadding() const;
  /// Crop at the end of every axis, >= 0.
  void setPostPadding(Dims padding);
  Dims getPostPadding() const;
  /// Takes precedence over the explicit paddings (IR.md's priority rules).
  void setPaddingMode(PaddingMode mode) { paddingMode = mode; }
  PaddingMode getPaddingMode() const { return paddingMode; }
  void setNbGroups(int64_t groups) { numGroups = groups; }
  int64_t getNbGroups() const { return numGroups; }
  /// Extra size at the end of every axis (PyTorch's output_padding), each
  /// below the stride or the dilation.
  void setOutputPadding(Dims padding);
  Dims getOutputPadding() const;
  /// Target spatial sizes (ONNX output_shape, MXNet target_shape); they take
  /// precedence over every padding setting.
  void setOutputShape(Dims shape) { outputShape = std::move(shape); }
  const std::optional<Dims> &getOutputShape() const { return outputShape; }
  void setDataFormat(DataFormat format) { dataFormat = format; }
  DataFormat getDataFormat() const { return dataFormat; }
  void setKernelFormat(KernelFormat format) { kernelFormat = format; }
  KernelFormat getKernelFormat() const { return kernelFormat; }

  /// Replaces the kernel weights; the weight tensor's shape follows from the
  /// input channels, the output maps, the groups, the kernel size and the
  /// kernel format. Setting them disconnects a tensor set by setInput(1).
  void setKernelWeights(Weights weights);
  /// The stored copy (in the input's element type); valid until the next
  /// change.
  Weights getKernelWeights() const;
  /// Replaces the bias, one value per output map; empty weights: no bias.
  /// Setting them disconnects a tensor set by setInput(2).
  void setBiasWeights(Weights weights);
  Weights getBiasWeights() const;

  /// Connects input `index`: 0 the data, 1 the kernel weights, 2 the bias,
  /// from a tensor of the same network (a network input gives weights at
  /// run time, as TensorRT's set_input). The tensor must be computed before
  /// this layer.
  void setInput(int index, Tensor &tensor);
  /// Input `index` (0, 1 or 2), or null where it is not a tensor.
  Tensor *getInput(int index) const override;

private:
  friend class NetworkDefinition;
  friend struct NetworkAccess;
  DeconvolutionLayer(Tensor::Owner *owner, std::string name, Tensor &input,
                     int64_t numOutputMaps, Dims kernelSize)
      : Layer(LayerType::Deconvolution, owner, std::move(name)), data(&input),
        numOutputMaps(numOutputMaps), kernelSize(std::move(kernelSize)) {}
  /// The spatial rank this layer works with, from the data input.
  size_t getNumSpatialDims() const;
  Dims orDefault(const std::optional<Dims> &value, int64_t fill) const;
  bool checkNonNegative(const char *setter, const Dims &values);
  bool storeWeights(const char *setter, const Weights &weights,
                    std::optional<HostTensor> &stored);

  Tensor *data;
  Tensor *kernelTensor = nullptr;
  Tensor *biasTensor = nullptr;
  int64_t numOutputMaps;
  Dims kernelSize;
  std::optional<Dims> stride, dilation, padding, prePadding, postPadding,
      outputPadding, outputShape;
  PaddingMode paddingMode = PaddingMode::ExplicitRoundDown;
  int64_t numGroups = 1;
  DataFormat dataFormat = DataFormat::ChannelsFirst;
  KernelFormat kernelFormat = KernelFormat::CinCoutK;
  std::optional<HostTensor> kernelWeights, biasWeights;
};

/// `deconv.quantize` (TensorRT's IQuantizeLayer, ONNX's QuantizeLinear) or
/// `deconv.dequantize` (IDequantizeLayer, DequantizeLinear) of one tensor:
/// one scale and zero point for the tensor, or one per index of `axis`
/// (per channel). The rules are the verifier's (IR.md, "Quantization"):
/// scales positive and finite, zero points in the integer type's range.
class QuantizationLayer : public Layer {
public:
  Tensor *getInput(int index) const override {
    return index == 0 ? input : nullptr;
  }
  /// Replaces the scales and zero points (empty zero points: all zero).
  void setScales(std::vector<float> newScales,
                 std::vector<int64_t> newZeroPoints = {});
  const std::vector<float> &getScales() const { return scales; }
  const std::vector<int64_t> &getZeroPoints() const { return zeroPoints; }
  /// The axis per-channel scales apply along; -1: none (per tensor).
  void setAxis(int64_t newAxis) { axis = newAxis; }
  int64_t getAxis() const { return axis; }

private:
  friend class NetworkDefinition;
  QuantizationLayer(LayerType type, Tensor::Owner *owner, std::string name,
                    Tensor &input)
      : Layer(type, owner, std::move(name)), input(&input) {}

  Tensor *input;
  std::vector<float> scales;
  std::vector<int64_t> zeroPoints;
  int64_t axis = -1;
};

/// A graph of deconvolutions and the quantization around them. Move-only;
/// it owns its tensors and layers.
class NetworkDefinition {
public:
  NetworkDefinition();
  ~NetworkDefinition();
  NetworkDefinition(NetworkDefinition &&) noexcept;
  NetworkDefinition &operator=(NetworkDefinition &&) noexcept;
  NetworkDefinition(const NetworkDefinition &) = delete;
  NetworkDefinition &operator=(const NetworkDefinition &) = delete;

  /// A run-time input; `dims` may hold -1 for batch and spatial sizes. The
  /// inputs become the compiled function's arguments, in this order.
  Tensor *addInput(std::string name, ElementType type, Dims dims);
  /// A transposed convolution of `input` with `numOutputMaps` output
  /// channels. Empty kernel weights must be given later, by
  /// setKernelWeights or setInput(1, tensor); empty bias weights mean no
  /// bias. Never null.
  DeconvolutionLayer *addDeconvolutionNd(Tensor &input, int64_t numOutputMaps,
                                         Dims kernelSize, Weights kernelWeights,
                                         Weights biasWeights = {});
  /// Quantizes `input` (f32, f16 or bf16) to `integerType` (I8 or U8):
  /// saturate(round_half_to_even(x / scale) + zero_point). Empty zero
  /// points: all zero; `axis` -1: one scale for the tensor. Never null.
  QuantizationLayer *addQuantize(Tensor &input, ElementType integerType,
                                 std::vector<float> scales,
                                 std::vector<int64_t> zeroPoints = {},
                                 int64_t axis = -1);
  /// Dequantizes `input` (I8 or U8) to `floatType`: (q - zero_point) *
  /// scale. An int8 network input dequantized into a layer's kernel input
  /// gives it int8 weights at run time. Never null.
  QuantizationLayer *addDequantize(Tensor &input, ElementType floatType,
                                   std::vector<float> scales,
                                   std::vector<int64_t> zeroPoints = {},
                                   int64_t axis = -1);
  /// Makes `tensor` a result of the compiled function, in this order.
  void markOutput(Tensor &tensor);

  int getNbInputs() const;
  Tensor *getInput(int index) const;
  int getNbOutputs() const;
  Tensor *getOutput(int index) const;
  int getNbLayers() const;
  /// Layer `index` in the order they were added, or null.
  Layer *getLayer(int index) const;

  /// Checks the whole network as compiling does, without compiling: the
  /// first recorded misuse, else the verifier's first message.
  Status validate() const;
  /// The network as `deconv` IR (one function, @main), or why it has none.
  StatusOr<std::string> toIR() const;

private:
  friend class Tensor;
  friend class Layer;
  friend class DeconvolutionLayer;
  friend struct NetworkAccess;
  Layer *addQuantization(LayerType type, const char *adder, Tensor &input,
                         ElementType resultType, std::vector<float> scales,
                         std::vector<int64_t> zeroPoints, int64_t axis);
  std::unique_ptr<Tensor::Owner> state;
};

} // namespace deconv

#endif // DECONV_NETWORK_H
