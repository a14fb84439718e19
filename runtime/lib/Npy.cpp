//===- Npy.cpp - NumPy .npy files -----------------------------------------===//
//
// The header is a Python dict literal; we parse the three keys NumPy writes
// ('descr', 'fortran_order', 'shape') and check that the data that follows is
// exactly as long as they say.
//
//===----------------------------------------------------------------------===//

#include "deconv/Runtime/Npy.h"

#include "deconv/Runtime/FileIO.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>

using namespace deconv;

namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

Status npyError(const std::string &message) {
  return Status::error("malformed .npy: " + message);
}

void skipSpaces(std::string_view text, size_t &pos) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t'))
    ++pos;
}

/// The text after `'key':` in the header dict, or npos.
size_t findValue(std::string_view header, std::string_view key) {
  for (char quote : {'\'', '"'}) {
    std::string quoted = std::string(1, quote) + std::string(key) + quote;
    size_t pos = header.find(quoted);
    if (pos == std::string_view::npos)
      continue;
    pos += quoted.size();
    skipSpaces(header, pos);
    if (pos >= header.size() || header[pos] != ':')
      return std::string_view::npos;
    ++pos;
    skipSpaces(header, pos);
    return pos;
  }
  return std::string_view::npos;
}

/// NumPy's descr of each element type, as we write it.
std::string_view descrOf(ElementType type) {
  switch (type) {
  case ElementType::F32:
    return "<f4";
  case ElementType::F16:
    return "<f2";
  case ElementType::BF16:
    return "bfloat16";
  case ElementType::I8:
    return "|i1";
  case ElementType::U8:
    return "|u1";
  }
  return "";
}

StatusOr<ElementType> parseDescr(std::string_view descr) {
  for (ElementType type : {ElementType::F32, ElementType::F16,
                           ElementType::BF16, ElementType::I8, ElementType::U8})
    if (descr == descrOf(type))
      return type;
  // Other spellings of the same types.
  if (descr == "<i1" || descr == "i1")
    return ElementType::I8;
  if (descr == "<u1" || descr == "u1")
    return ElementType::U8;
  if (descr == "<bfloat16")
    return ElementType::BF16;
  if (!descr.empty() && descr.front() == '>')
    return Status::error("unsupported .npy dtype '" + std::string(descr) +
                         "': big-endian data is not supported");
  return Status::error("unsupported .npy dtype '" + std::string(descr) +
                       "' (supported: '<f4' f32, '<f2' f16, 'bfloat16' bf16, "
                       "'|i1' int8, '|u1' uint8)");
}

} // namespace

StatusOr<HostTensor> deconv::parseNpy(std::string_view contents) {
  if (contents.size() < 10 || contents.substr(0, kMagic.size()) != kMagic)
    return npyError("missing the \\x93NUMPY magic string");
  unsigned major = static_cast<unsigned char>(contents[6]);
  unsigned minor = static_cast<unsigned char>(contents[7]);
  if (major < 1 || major > 3 || minor != 0)
    return npyError("unsupported format version " + std::to_string(major) +
                    "." + std::to_string(minor));
  size_t headerLength, headerStart;
  if (major == 1) {
    headerLength = static_cast<unsigned char>(contents[8]) |
                   static_cast<unsigned char>(contents[9]) << 8;
    headerStart = 10;
  } else {
    if (contents.size() < 12)
      return npyError("truncated header length");
    headerLength = 0;
    for (int i = 3; i >= 0; --i)
      headerLength =
          headerLength << 8 | static_cast<unsigned char>(contents[8 + i]);
    headerStart = 12;
  }
  if (headerLength > contents.size() - headerStart)
    return npyError("header of " + std::to_string(headerLength) +
                    " bytes runs past the end of the file");
  std::string_view header = contents.substr(headerStart, headerLength);

  // 'descr': '<f4'
  size_t pos = findValue(header, "descr");
  if (pos == std::string_view::npos || pos >= header.size() ||
      (header[pos] != '\'' && header[pos] != '"'))
    return npyError("header has no 'descr' string");
  char quote = header[pos];
  size_t end = header.find(quote, pos + 1);
  if (end == std::string_view::npos)
    return npyError("unterminated 'descr' string");
  StatusOr<ElementType> type =
      parseDescr(header.substr(pos + 1, end - pos - 1));
  if (!type)
    return type.status();

  // 'fortran_order': False
  pos = findValue(header, "fortran_order");
  if (pos == std::string_view::npos)
    return npyError("header has no 'fortran_order'");
  if (header.substr(pos, 4) == "True")
    return Status::error("Fortran-order .npy data is not supported; save a C "
                         "order array (np.ascontiguousarray)");
  if (header.substr(pos, 5) != "False")
    return npyError("'fortran_order' is neither True nor False");

  // 'shape': (1, 2, 3)
  pos = findValue(header, "shape");
  if (pos == std::string_view::npos || pos >= header.size() ||
      header[pos] != '(')
    return npyError("header has no 'shape' tuple");
  end = header.find(')', pos);
  if (end == std::string_view::npos)
    return npyError("unterminated 'shape' tuple");
  std::vector<int64_t> shape;
  int64_t elements = 1;
  std::string_view tuple = header.substr(pos + 1, end - pos - 1);
  size_t cursor = 0;
  while (true) {
    skipSpaces(tuple, cursor);
    if (cursor >= tuple.size())
      break;
    size_t digitsEnd = cursor;
    while (digitsEnd < tuple.size() && tuple[digitsEnd] >= '0' &&
           tuple[digitsEnd] <= '9')
      ++digitsEnd;
    if (digitsEnd == cursor || digitsEnd - cursor > 18)
      return npyError("bad size in 'shape' (" + std::string(tuple) + ")");
    int64_t size =
        std::stoll(std::string(tuple.substr(cursor, digitsEnd - cursor)));
    if (size != 0 && elements > std::numeric_limits<int64_t>::max() / size)
      return npyError("'shape' (" + std::string(tuple) + ") is too large");
    elements *= size;
    shape.push_back(size);
    cursor = digitsEnd;
    skipSpaces(tuple, cursor);
    if (cursor < tuple.size()) {
      if (tuple[cursor] != ',')
        return npyError("bad 'shape' tuple (" + std::string(tuple) + ")");
      ++cursor;
    }
  }

  size_t dataStart = headerStart + headerLength;
  size_t expected = static_cast<size_t>(elements) * getElementSize(*type);
  if (elements > 0 &&
      expected / static_cast<size_t>(elements) != getElementSize(*type))
    return npyError("'shape' is too large");
  size_t available = contents.size() - dataStart;
  if (available != expected)
    return npyError("data holds " + std::to_string(available) +
                    " bytes but shape (" + formatShape(shape) + ") of " +
                    std::string(getElementTypeName(*type)) + " needs " +
                    std::to_string(expected) +
                    (available < expected ? " (truncated file)" : ""));
  HostTensor tensor(*type, shape);
  if (expected)
    std::memcpy(tensor.data(), contents.data() + dataStart, expected);
  return tensor;
}

StatusOr<HostTensor> deconv::readNpyFile(const std::string &path) {
  StatusOr<std::string> contents = readFile(path);
  if (!contents)
    return contents.status();
  StatusOr<HostTensor> tensor = parseNpy(*contents);
  if (!tensor)
    return Status::error("'" + path + "': " + tensor.message());
  return tensor;
}

std::string deconv::serializeNpy(const HostTensor &tensor) {
  std::string descr(descrOf(tensor.getElementType()));
  std::string shape;
  for (int64_t size : tensor.getShape())
    shape += std::to_string(size) + ", ";
  if (tensor.getShape().size() > 1)
    shape.erase(shape.size() - 2); // (1, 2) but (1,)
  else if (tensor.getShape().size() == 1)
    shape.erase(shape.size() - 1);
  std::string header = "{'descr': '" + descr +
                       "', 'fortran_order': False, 'shape': (" + shape + "), }";
  // Pad so that the data starts on a 64-byte boundary; end with a newline.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out(kMagic);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  out.append(reinterpret_cast<const char *>(tensor.data()),
             tensor.getSizeInBytes());
  return out;
}

Status deconv::writeNpyFile(const std::string &path, const HostTensor &tensor) {
  return writeFileAtomically(path, serializeNpy(tensor));
}

StatusOr<HostTensor> deconv::parseInlineTensor(std::string_view text) {
  size_t equals = text.find('=');
  if (equals == std::string_view::npos)
    return Status::error("inline input '" + std::string(text) +
                         "' needs the form 2x3xf32=1 2 3 4 5 6");
  std::string_view type = text.substr(0, equals);
  std::vector<int64_t> shape;
  size_t cursor = 0;
  while (true) {
    size_t x = type.find('x', cursor);
    std::string_view token =
        type.substr(cursor, x == std::string_view::npos ? std::string_view::npos
                                                        : x - cursor);
    if (x == std::string_view::npos ||
        token.find_first_not_of("0123456789") != std::string_view::npos) {
      // The last token is the element type (`bf16` contains no 'x').
      std::optional<ElementType> element =
          parseElementTypeName(type.substr(cursor));
      if (!element)
        return Status::error("inline input '" + std::string(text) +
                             "': unknown element type '" +
                             std::string(type.substr(cursor)) + "'");
      std::vector<double> values;
      std::string rest(text.substr(equals + 1));
      for (char &c : rest)
        if (c == ',')
          c = ' ';
      const char *begin = rest.c_str();
      while (true) {
        while (*begin == ' ')
          ++begin;
        if (!*begin)
          break;
        char *stop;
        errno = 0;
        double value = std::strtod(begin, &stop);
        if (stop == begin || errno == ERANGE)
          return Status::error("inline input '" + std::string(text) +
                               "': bad number at '" + std::string(begin) + "'");
        values.push_back(value);
        begin = stop;
      }
      // Inline tensors are typed by hand: a size beyond 2^28 elements is a
      // typo, and allocating it would abort.
      int64_t count = 1;
      for (int64_t size : shape) {
        if (size != 0 && count > (int64_t(1) << 28) / size)
          return Status::error("inline input '" + std::string(text) +
                               "' is too large (more than 2^28 elements)");
        count *= size;
      }
      HostTensor tensor(*element, shape);
      if (values.size() != 1 && static_cast<int64_t>(values.size()) != count)
        return Status::error("inline input '" + std::string(text) + "' has " +
                             std::to_string(values.size()) + " values for " +
                             std::to_string(count) + " elements");
      for (int64_t i = 0; i < count; ++i)
        tensor.setFromDouble(i, values.size() == 1 ? values[0] : values[i]);
      return tensor;
    }
    if (token.empty() || token.size() > 12)
      return Status::error("inline input '" + std::string(text) +
                           "': bad size '" + std::string(token) + "'");
    shape.push_back(std::stoll(std::string(token)));
    cursor = x + 1;
  }
}
