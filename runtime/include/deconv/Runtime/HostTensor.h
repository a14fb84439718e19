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
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deconv {

/// I8 and U8 are the 8-bit integers of quantized tensors (i8, ui8).
enum class ElementType { F32, F16, BF16, I8, U8 };

/// The element type and shape of a concrete tensor, on the host or device.
struct TensorShape {
  ElementType type = ElementType::F32;
  std::vector<int64_t> shape;
};

/// Bytes per element.
size_t getElementSize(ElementType type);
/// The MLIR spelling: f32, f16, bf16, i8, ui8.
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
  /// Takes over `allocation`, a block from std::malloc (released with
  /// std::free), whose row-major elements of `shape` start at `data`: a
  /// result handed over without a copy.
  static HostTensor adopt(ElementType type, std::vector<int64_t> shape,
                          void *allocation, std::byte *data);

  HostTensor(const HostTensor &other);
  HostTensor &operator=(const HostTensor &other);
  HostTensor(HostTensor &&other) noexcept;
  HostTensor &operator=(HostTensor &&other) noexcept;
  ~HostTensor() = default;

  ElementType getElementType() const { return type; }
  const std::vector<int64_t> &getShape() const { return shape; }
  int64_t getNumElements() const;
  size_t getSizeInBytes() const { return size; }

  std::byte *data() { return begin; }
  const std::byte *data() const { return begin; }

  /// Element `index` (row-major) converted to double.
  double getAsDouble(int64_t index) const;
  /// Stores `value` at `index`, rounding to the element type.
  void setFromDouble(int64_t index, double value);

  /// `tensor<2x3xf32>`.
  std::string getTypeString() const;

private:
  struct Free {
    void operator()(void *block) const { std::free(block); }
  };
  ElementType type = ElementType::F32;
  std::vector<int64_t> shape;
  std::unique_ptr<void, Free> allocation;
  std::byte *begin = nullptr; ///< Inside `allocation`.
  size_t size = 0;
};

/// IEEE half and bfloat16 conversions (round to nearest even).
float halfToFloat(uint16_t bits);
uint16_t floatToHalf(float value);
float bfloat16ToFloat(uint16_t bits);
uint16_t floatToBfloat16(float value);

} // namespace deconv

#endif // DECONV_RUNTIME_HOSTTENSOR_H
