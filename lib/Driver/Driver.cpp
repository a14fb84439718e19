//===- Driver.cpp - what every entry point does first ---------------------===//

#include "deconv/Driver/Driver.h"

#include "deconv/Support/FirstError.h"
#include "deconv/Support/NestingDepth.h"

#include "mlir/Parser/Parser.h"

#include "llvm/Support/SourceMgr.h"

using namespace mlir;

OwningOpRef<ModuleOp>
mlir::deconv::parseModule(MLIRContext &context,
                          std::unique_ptr<llvm::MemoryBuffer> buffer,
                          const ParseWords &words, std::string &error) {
  if (std::string deep = checkNestingDepth(buffer->getBuffer());
      !deep.empty()) {
    error = words.nestingPrefix + ": " + deep;
    return nullptr;
  }
  FirstError firstError(&context);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    error = firstError.take(words.fallback);
  return module;
}

func::FuncOp mlir::deconv::selectFunction(ModuleOp module, StringRef requested,
                                          const FunctionSelectionWords &words,
                                          std::string &error) {
  func::FuncOp function;
  if (!requested.empty()) {
    function = module.lookupSymbol<func::FuncOp>(requested);
    if (!function) {
      error = "no function @" + requested.str() + " in " + words.module;
      return nullptr;
    }
  } else if (auto main = module.lookupSymbol<func::FuncOp>("main")) {
    function = main;
  } else {
    auto functions = llvm::to_vector(module.getOps<func::FuncOp>());
    if (functions.size() != 1) {
      error = words.module + " has " + std::to_string(functions.size()) +
              " functions and no @main; " + words.howToName;
      return nullptr;
    }
    function = functions.front();
  }
  if (function.isExternal()) {
    error = "@" + function.getName().str() + " in " + words.module +
            " is a declaration without a body";
    return nullptr;
  }
  return function;
}

FailureOr<mlir::deconv::LoadedFunction> mlir::deconv::loadFunctionFromFile(
    MLIRContext &context, std::unique_ptr<llvm::MemoryBuffer> buffer,
    StringRef path, StringRef requested, std::string &error) {
  std::string quoted = "'" + path.str() + "'";
  LoadedFunction loaded;
  loaded.module = parseModule(context, std::move(buffer),
                              {quoted, "cannot parse " + quoted}, error);
  if (!loaded.module)
    return failure();
  loaded.function = selectFunction(*loaded.module, requested,
                                   {quoted, "name one with --function"}, error);
  if (!loaded.function)
    return failure();
  return loaded;
}
