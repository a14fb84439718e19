//===- HostTensor.cpp - a dense tensor in host memory ---------------------===//

#include "deconv/Runtime/HostTensor.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>
#include <utility>

using namespace deconv;

size_t deconv::getElementSize(ElementType type) {
  switch (type) {
  case ElementType::F32:
    return 4;
  case ElementType::F16:
  case ElementType::BF16:
    return 2;
  case ElementType::I8:
  case ElementType::U8:
    return 1;
  }
  return 0;
}

std::string_view deconv::getElementTypeName(ElementType type) {
  switch (type) {
  case ElementType::F32:
    return "f32";
  case ElementType::F16:
    return "f16";
  case ElementType::BF16:
    return "bf16";
  case ElementType::I8:
    return "i8";
  case ElementType::U8:
    return "ui8";
  }
  return "?";
}

std::optional<ElementType> deconv::parseElementTypeName(std::string_view name) {
  for (ElementType type : {ElementType::F32, ElementType::F16,
                           ElementType::BF16, ElementType::I8, ElementType::U8})
    if (getElementTypeName(type) == name)
      return type;
  return std::nullopt;
}

std::string deconv::formatShape(const std::vector<int64_t> &shape) {
  std::string text;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      text += 'x';
    text += shape[i] < 0 ? std::string("?") : std::to_string(shape[i]);
  }
  return text;
}

HostTensor::HostTensor(ElementType type, std::vector<int64_t> shape)
    : type(type), shape(std::move(shape)) {
  size = getNumElements() * getElementSize(type);
  // calloc: large blocks come zeroed from the system without a pass here.
  allocation.reset(std::calloc(std::max<size_t>(size, 1), 1));
  if (!allocation)
    throw std::bad_alloc();
  begin = static_cast<std::byte *>(allocation.get());
}

HostTensor HostTensor::adopt(ElementType type, std::vector<int64_t> shape,
                             void *allocation, std::byte *data) {
  HostTensor tensor;
  tensor.type = type;
  tensor.shape = std::move(shape);
  tensor.size = tensor.getNumElements() * getElementSize(type);
  tensor.allocation.reset(allocation);
  tensor.begin = data;
  return tensor;
}

HostTensor::HostTensor(const HostTensor &other)
    : type(other.type), shape(other.shape), size(other.size) {
  allocation.reset(std::malloc(std::max<size_t>(size, 1)));
  if (!allocation)
    throw std::bad_alloc();
  begin = static_cast<std::byte *>(allocation.get());
  if (size)
    std::memcpy(begin, other.begin, size);
}

HostTensor &HostTensor::operator=(const HostTensor &other) {
  if (this != &other)
    *this = HostTensor(other);
  return *this;
}

HostTensor::HostTensor(HostTensor &&other) noexcept
    : type(other.type), shape(std::move(other.shape)),
      allocation(std::move(other.allocation)),
      begin(std::exchange(other.begin, nullptr)),
      size(std::exchange(other.size, 0)) {}

HostTensor &HostTensor::operator=(HostTensor &&other) noexcept {
  type = other.type;
  shape = std::move(other.shape);
  allocation = std::move(other.allocation);
  begin = std::exchange(other.begin, nullptr);
  size = std::exchange(other.size, 0);
  return *this;
}

int64_t HostTensor::getNumElements() const {
  int64_t count = 1;
  for (int64_t size : shape)
    count *= size;
  return count;
}

std::string deconv::formatTensorType(ElementType type,
                                     const std::vector<int64_t> &shape) {
  std::string text = "tensor<";
  for (int64_t size : shape)
    text += (size < 0 ? std::string("?") : std::to_string(size)) + "x";
  text += getElementTypeName(type);
  return text + ">";
}

std::string HostTensor::getTypeString() const {
  return formatTensorType(type, shape);
}

double HostTensor::getAsDouble(int64_t index) const {
  const std::byte *element = begin + index * getElementSize(type);
  switch (type) {
  case ElementType::F32: {
    float value;
    std::memcpy(&value, element, sizeof(value));
    return value;
  }
  case ElementType::F16:
  case ElementType::BF16: {
    uint16_t bits;
    std::memcpy(&bits, element, sizeof(bits));
    return type == ElementType::F16 ? halfToFloat(bits) : bfloat16ToFloat(bits);
  }
  case ElementType::I8:
    return static_cast<int8_t>(*element);
  case ElementType::U8:
    return static_cast<uint8_t>(*element);
  }
  return 0;
}

void HostTensor::setFromDouble(int64_t index, double value) {
  std::byte *element = begin + index * getElementSize(type);
  switch (type) {
  case ElementType::F32: {
    float narrowed = static_cast<float>(value);
    std::memcpy(element, &narrowed, sizeof(narrowed));
    return;
  }
  case ElementType::F16:
  case ElementType::BF16: {
    float narrowed = static_cast<float>(value);
    uint16_t bits = type == ElementType::F16 ? floatToHalf(narrowed)
                                             : floatToBfloat16(narrowed);
    std::memcpy(element, &bits, sizeof(bits));
    return;
  }
  case ElementType::I8: {
    double clamped = std::fmax(-128.0, std::fmin(127.0, std::nearbyint(value)));
    *element = static_cast<std::byte>(static_cast<int8_t>(clamped));
    return;
  }
  case ElementType::U8: {
    double clamped = std::fmax(0.0, std::fmin(255.0, std::nearbyint(value)));
    *element = static_cast<std::byte>(static_cast<uint8_t>(clamped));
    return;
  }
  }
}

float deconv::halfToFloat(uint16_t bits) {
  uint32_t sign = (bits >> 15) & 1, exponent = (bits >> 10) & 0x1f,
           mantissa = bits & 0x3ff;
  float magnitude;
  if (exponent == 0)
    magnitude = std::ldexp(static_cast<float>(mantissa), -24);
  else if (exponent == 31)
    magnitude = mantissa ? NAN : INFINITY;
  else
    magnitude = std::ldexp(static_cast<float>(mantissa | 0x400),
                           static_cast<int>(exponent) - 25);
  return sign ? -magnitude : magnitude;
}

uint16_t deconv::floatToHalf(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  uint16_t sign = (bits >> 16) & 0x8000;
  if (std::isnan(value))
    return sign | 0x7e00;
  float magnitude = std::fabs(value);
  if (magnitude >= 65520.0f) // Rounds to infinity.
    return sign | 0x7c00;
  if (magnitude < std::ldexp(1.0f, -14)) {
    // Subnormal: a multiple of 2^-24, rounded to nearest even.
    float scaled = std::nearbyint(std::ldexp(magnitude, 24));
    return sign | static_cast<uint16_t>(scaled);
  }
  int exponent;
  float fraction = std::frexp(magnitude, &exponent); // [0.5, 1)
  // 11 significant bits, rounded to nearest even.
  uint32_t significand =
      static_cast<uint32_t>(std::nearbyint(std::ldexp(fraction, 11)));
  if (significand == 0x800) { // Rounded up to the next power of two.
    significand = 0x400;
    ++exponent;
  }
  uint16_t biased = static_cast<uint16_t>(exponent - 1 + 15);
  if (biased >= 31)
    return sign | 0x7c00;
  return sign | static_cast<uint16_t>(biased << 10) |
         static_cast<uint16_t>(significand & 0x3ff);
}

float deconv::bfloat16ToFloat(uint16_t bits) {
  uint32_t wide = static_cast<uint32_t>(bits) << 16;
  float value;
  std::memcpy(&value, &wide, sizeof(value));
  return value;
}

uint16_t deconv::floatToBfloat16(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  if (std::isnan(value))
    return static_cast<uint16_t>((bits >> 16) | 0x40);
  uint32_t rounding = 0x7fff + ((bits >> 16) & 1);
  return static_cast<uint16_t>((bits + rounding) >> 16);
}
