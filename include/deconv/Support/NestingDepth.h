//===- NestingDepth.h - refuse text nested too deep to parse ----*- C++ -*-===//
//
// MLIR's parser recurses once per bracket level, so a hostile input nested
// 100,000 deep overflows its stack. Every tool that parses IR first counts
// the nesting of (), [], {} and <> (outside strings and comments, with `->`
// not a bracket) and refuses text deeper than any real program: the limit
// is far above the deepest IR we build (a rank-8 dense literal inside a
// tensor type is about 12) and far below what overflows the stack.
//
//===----------------------------------------------------------------------===//

#ifndef DECONV_SUPPORT_NESTINGDEPTH_H
#define DECONV_SUPPORT_NESTINGDEPTH_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

#include <string>

namespace mlir::deconv {

inline constexpr unsigned kMaxNestingDepth = 1000;

/// "" when `text` nests at most kMaxNestingDepth brackets deep, else the
/// one-line reason, naming the line where the limit is passed.
inline std::string checkNestingDepth(llvm::StringRef text) {
  unsigned depth = 0, line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      ++line;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i + 1 < text.size() && text[i + 1] != '\n')
        ++i;
    } else if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\')
          ++i;
        else if (text[i] == '\n')
          ++line;
      }
    } else if (c == '(' || c == '[' || c == '{' || c == '<') {
      if (++depth > kMaxNestingDepth)
        return "brackets nest deeper than " + std::to_string(kMaxNestingDepth) +
               " levels at line " + std::to_string(line);
    } else if ((c == ')' || c == ']' || c == '}' ||
                (c == '>' && (i == 0 || text[i - 1] != '-'))) &&
               depth > 0) {
      --depth;
    }
  }
  return "";
}

/// For tools whose upstream main reads the input file itself (deconv-opt,
/// deconv-translate): the first argument that is neither an option nor the
/// value of -o, read and checked. "" when it passes or cannot be read (the
/// main then says why); standard input is not checked.
inline std::string checkInputNestingDepth(int argc, char **argv) {
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef argument(argv[i]);
    if (argument == "-o") {
      ++i;
      continue;
    }
    if (argument.starts_with("-"))
      continue;
    auto buffer = llvm::MemoryBuffer::getFile(argument);
    if (!buffer)
      return "";
    std::string deep = checkNestingDepth((*buffer)->getBuffer());
    return deep.empty() ? "" : "'" + argument.str() + "': " + deep;
  }
  return "";
}

} // namespace mlir::deconv

#endif // DECONV_SUPPORT_NESTINGDEPTH_H
