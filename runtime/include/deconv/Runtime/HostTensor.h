//===- HostTensor.h - a dense tensor in host memory -------------*- C++ -*-===//
//
// The runtime's currency for inputs and results: an element type, a shape,
// and row-major (C order) bytes.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_RUNTIME_HOSTTENSOR_H
#define DECONV_RUNTIME_HOSTTENSOR_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deconv {

enum class ElementType { F32, F16, BF16, I8 };

/// The element type and shape of a concrete tensor, on the host or device.
struct TensorShape {
  ElementType type = ElementType::F32;
  std::vector<int64_t> shape;
};

/// Bytes per element.
size_t getElementSize(ElementType type);
/// The MLIR spelling: f32, f16, bf16, i8.
std::string_view getElementTypeName(ElementType type);
/// Parses the MLIR spelling.
std::optional<ElementType> parseElementTypeName(std::string_view name);

/// `1x?x7`-style text of a shape (negative sizes print as `?`).
std::string formatShape(const std::vector<int64_t> &shape);
/// `tensor<1x?x7xf32>`, as MLIR prints a tensor type.
std::string formatTensorType(ElementType type,
                             const std::vector<int64_t> &shape);

class HostTensor {
public:
  HostTensor() = default;
  /// Zero-filled storage for `shape`.
  HostTensor(ElementType type, std::vector<int64_t> shape);

  ElementType getElementType() const { return type; }
  const std::vector<int64_t> &getShape() const { return shape; }
  int64_t getNumElements() const;
  size_t getSizeInBytes() const { return bytes.size(); }

  std::byte *data() { return bytes.data(); }
  const std::byte *data() const { return bytes.data(); }

  /// Element `index` (row-major) converted to double.
  double getAsDouble(int64_t index) const;
  /// Stores `value` at `index`, rounding to the element type.
  void setFromDouble(int64_t index, double value);

  /// `tensor<2x3xf32>`.
  std::string getTypeString() const;

private:
  ElementType type = ElementType::F32;
  std::vector<int64_t> shape;
  std::vector<std::byte> bytes;
};

/// IEEE half and bfloat16 conversions (round to nearest even).
float halfToFloat(uint16_t bits);
uint16_t floatToHalf(float value);
float bfloat16ToFloat(uint16_t bits);
uint16_t floatToBfloat16(float value);

} // namespace deconv

#endif // DECONV_RUNTIME_HOSTTENSOR_H
