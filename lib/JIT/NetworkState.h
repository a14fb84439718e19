//===- NetworkState.h - what the builder's two halves share -----*- C++ -*-===//
//
// The object model (Network.cpp) and the IR construction (NetworkBuilder.cpp)
// both read the public classes' private state: the network's tensors and
// layers, and a layer's unset-or-set array settings. This header is the one
// friend of those classes.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_LIB_JIT_NETWORKSTATE_H
#define DECONV_LIB_JIT_NETWORKSTATE_H

#include "deconv/Network.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace deconv {

/// The network's tensors and layers, behind a pointer so that moving the
/// network leaves every Tensor and layer pointer valid.
struct Tensor::Owner {
  std::vector<std::unique_ptr<Tensor>> tensors;
  std::vector<std::unique_ptr<Layer>> layers;
  std::vector<Tensor *> inputs, outputs;
  /// Misuses in the order they happened; the first is reported.
  std::vector<std::string> misuses;
};

/// What the IR builder reads of the public classes' private state.
struct NetworkAccess {
  static Tensor::Owner &owner(const NetworkDefinition &network) {
    return *network.state;
  }
  static const Dims &declaredDims(const Tensor &tensor) { return tensor.dims; }

  /// The array settings a layer holds; unset ones keep the IR's defaults.
  struct ArraySettings {
    std::optional<Dims> stride, dilation, padding, prePadding, postPadding,
        outputPadding, outputShape;
  };
  static ArraySettings arrays(const DeconvolutionLayer &layer) {
    return {layer.stride,     layer.dilation,    layer.padding,
            layer.prePadding, layer.postPadding, layer.outputPadding,
            layer.outputShape};
  }
};

} // namespace deconv

#endif // DECONV_LIB_JIT_NETWORKSTATE_H
