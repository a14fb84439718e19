//===- EmulatedNvrtc.cpp - NVRTC's entry points on the host compiler ------===//
//
// "Compiling" a kernel for the emulator builds it as host C++ against the
// emulator's device prelude into a shared object, with the system C++
// compiler (DECONV_EMULATOR_CXX, else c++). The "CUBIN" handed back is that
// object behind a small header (magic, size) that the emulated
// cuModuleLoadData reads. For every `extern "C" __global__` kernel the
// source defines, registration code is appended: an entry point that
// unpacks cuLaunchKernel's parameter array into the kernel's arguments, and
// the kernel's __launch_bounds__ for the launch checks.
//
// Parsing the prelude is most of a kernel's compile time, so it is
// precompiled once per (compiler, flags, architecture, prelude text) into
// the kernel cache's directory and shared by every later compile and
// process; where that cannot be written, kernels compile without it.
//
//===----------------------------------------------------------------------===//

#include "Emulator.h"

#include "deconv/Runtime/DeviceHeaders.h"
#include "deconv/Runtime/FileIO.h"
#include "deconv/Runtime/KernelCache.h"
#include "deconv/Runtime/Sha256.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

extern char **environ;

using namespace deconv;

namespace {

// nvrtcResult values.
constexpr int kSuccess = 0, kOutOfMemory = 1, kInvalidInput = 3,
              kInvalidProgram = 4, kInvalidOption = 5, kCompilation = 6;

constexpr const char *kCompileFlags =
    "-std=c++17 -O1 -fPIC -shared -fvisibility=hidden -fno-exceptions -w";

std::atomic<uint64_t> compileCount{0};

struct Program {
  std::string source, name, log, image;
};

std::string compilerPath() {
  const char *compiler = std::getenv("DECONV_EMULATOR_CXX");
  return compiler && *compiler ? compiler : "c++";
}

/// Runs `arguments`, its output (stdout and stderr) into `output`.
int runProcess(const std::vector<std::string> &arguments, std::string &output,
               const std::string &outputFile) {
  std::vector<char *> argv;
  for (const std::string &argument : arguments)
    argv.push_back(const_cast<char *>(argument.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, outputFile.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid;
  int spawned =
      posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    output = "cannot run '" + arguments[0] + "': " + std::strerror(spawned);
    return -1;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (StatusOr<std::string> text = readFile(outputFile))
    output = *text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// The kernels a source defines, with their __launch_bounds__ arguments:
/// each `__global__` followed by `void`, optional `__launch_bounds__(...)`
/// and the name. Only `extern "C"` kernels can be found by name, as with
/// NVRTC without name expressions.
struct KernelDeclaration {
  std::string name, maxThreads = "0", minBlocks = "0";
};

std::vector<KernelDeclaration> findKernels(const std::string &source,
                                           std::string &error) {
  std::vector<KernelDeclaration> kernels;
  size_t pos = 0;
  auto skipSpaces = [&](size_t at) {
    while (at < source.size() && std::isspace((unsigned char)source[at]))
      ++at;
    return at;
  };
  auto word = [&](size_t at) {
    size_t end = at;
    while (end < source.size() &&
           (std::isalnum((unsigned char)source[end]) || source[end] == '_'))
      ++end;
    return source.substr(at, end - at);
  };
  while ((pos = source.find("__global__", pos)) != std::string::npos) {
    size_t lineStart = source.rfind('\n', pos);
    lineStart = lineStart == std::string::npos ? 0 : lineStart + 1;
    size_t comment = source.find("//", lineStart);
    if (comment != std::string::npos && comment < pos) { // In a comment.
      pos += 10;
      continue;
    }
    bool externC = source.rfind("extern \"C\"", pos) != std::string::npos &&
                   pos - source.rfind("extern \"C\"", pos) < 40;
    size_t at = skipSpaces(pos + 10);
    KernelDeclaration kernel;
    for (int part = 0; part < 2; ++part) {
      std::string next = word(at);
      if (next == "void") {
        at = skipSpaces(at + 4);
      } else if (next == "__launch_bounds__") {
        size_t open = skipSpaces(at + next.size());
        int depth = 0;
        size_t close = open;
        for (; close < source.size(); ++close) {
          depth += source[close] == '(';
          depth -= source[close] == ')';
          if (depth == 0)
            break;
        }
        std::string arguments = source.substr(open + 1, close - open - 1);
        depth = 0;
        size_t comma = std::string::npos;
        for (size_t i = 0; i < arguments.size(); ++i) {
          depth += arguments[i] == '(';
          depth -= arguments[i] == ')';
          if (arguments[i] == ',' && depth == 0) {
            comma = i;
            break;
          }
        }
        kernel.maxThreads = arguments.substr(0, comma);
        if (comma != std::string::npos)
          kernel.minBlocks = arguments.substr(comma + 1);
        at = skipSpaces(close + 1);
      }
    }
    kernel.name = word(at);
    if (kernel.name.empty()) {
      pos += 10;
      continue;
    }
    if (!externC) {
      error = "kernel '" + kernel.name +
              "' is not extern \"C\": the emulator finds kernels by name";
      return {};
    }
    kernels.push_back(kernel);
    pos = at;
  }
  return kernels;
}

std::string registrationCode(const std::vector<KernelDeclaration> &kernels) {
  std::string code =
      "\n// Registration for the emulator's driver.\n"
      "#define DECONV_EMU_EXPORT extern \"C\" "
      "__attribute__((visibility(\"default\")))\n"
      "DECONV_EMU_EXPORT uint32_t deconv_emu_abi_version() { return "
      "::deconv_emu::kAbiVersion; }\n"
      "DECONV_EMU_EXPORT void deconv_emu_set_current(::deconv_emu::Thread "
      "*thread) { ::deconv_emu::current = thread; }\n";
  for (const KernelDeclaration &kernel : kernels) {
    code += "DECONV_EMU_EXPORT void deconv_emu_entry_" + kernel.name +
            "(void **parameters) { ::deconv_emu::invoke(&" + kernel.name +
            ", parameters); }\n";
    code += "DECONV_EMU_EXPORT const ::deconv_emu::KernelInfo "
            "deconv_emu_info_" +
            kernel.name + " = {::deconv_emu::kAbiVersion, (uint32_t)(" +
            kernel.maxThreads + "), (uint32_t)(" + kernel.minBlocks +
            "), ::deconv_emu::parameterLayout(&" + kernel.name + ")};\n";
  }
  return code;
}

std::vector<std::string> splitFlags(const char *flags) {
  std::vector<std::string> words;
  for (const char *flag = flags; *flag;) {
    const char *end = std::strchr(flag, ' ');
    words.emplace_back(flag, end ? end - flag : std::strlen(flag));
    flag = end ? end + 1 : flag + std::strlen(flag);
  }
  return words;
}

/// Writes the emulator's prelude headers into `directory`.
bool writeHeaders(const std::string &directory, std::string &error) {
  for (const DeviceHeader &header : getDeviceHeaders(CudaBackend::Emulator))
    if (Status status =
            writeFileAtomically(directory + "/" + header.name, header.text);
        !status) {
      error = status.message();
      return false;
    }
  return true;
}

/// A directory holding the prelude and its precompiled form for
/// `archDefine`, or "" when none can be made (kernels then compile without).
std::string precompiledPrelude(const std::string &archDefine) {
  static std::mutex mutex;
  static std::map<std::string, std::string> ready;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto found = ready.find(archDefine); found != ready.end())
    return found->second;
  std::string &result = ready[archDefine];
  std::string cache = getDefaultKernelCacheDirectory();
  if (cache.empty())
    return result;
  std::string material = emulator::getCompilerIdentity() + '\0' + archDefine;
  for (const DeviceHeader &header : getDeviceHeaders(CudaBackend::Emulator))
    material += '\0' + std::string(header.text);
  std::string directory =
      cache + "/emulator-prelude-" + sha256Hex(material).substr(0, 24);
  std::error_code ignored;
  if (std::filesystem::exists(directory + "/deconv_device.h.gch", ignored))
    return result = directory;
  // Built aside and renamed into place, so a reader never sees half of it.
  std::filesystem::create_directories(cache, ignored);
  std::string staging = cache + "/emulator-prelude-XXXXXX";
  if (!mkdtemp(staging.data()))
    return result;
  std::string error, output;
  std::vector<std::string> command = {compilerPath()};
  for (const std::string &flag : splitFlags(kCompileFlags))
    command.push_back(flag);
  command.insert(command.end(),
                 {archDefine, "-x", "c++-header", staging + "/deconv_device.h",
                  "-o", staging + "/deconv_device.h.gch"});
  bool built = writeHeaders(staging, error) &&
               runProcess(command, output, staging + "/log.txt") == 0;
  std::filesystem::remove(staging + "/log.txt", ignored);
  if (built)
    std::filesystem::rename(staging, directory, ignored);
  std::filesystem::remove_all(staging, ignored); // If another won the race.
  if (std::filesystem::exists(directory + "/deconv_device.h.gch", ignored))
    result = directory;
  return result;
}

int compile(Program &program, const std::vector<std::string> &options) {
  std::string arch = "sm_90";
  std::vector<std::string> defines;
  for (const std::string &option : options) {
    if (option.rfind("--gpu-architecture=", 0) == 0)
      arch = option.substr(19);
    else if (option.rfind("-arch=", 0) == 0)
      arch = option.substr(6);
    else if (option.rfind("-D", 0) == 0 && option.size() > 2)
      defines.push_back(option);
    else if (option.rfind("--std=", 0) == 0 || option == "-lineinfo" ||
             option.rfind("--fmad=", 0) == 0 || option == "-Xptxas=-v")
      continue; // No meaning on the host.
    else {
      program.log =
          "the emulator does not take the NVRTC option '" + option + "'";
      return kInvalidOption;
    }
  }
  int version = 0;
  if (std::sscanf(arch.c_str(), "sm_%d", &version) != 1 || version < 50) {
    program.log = "invalid value for --gpu-architecture: " + arch;
    return kInvalidOption;
  }
  std::string error;
  std::vector<KernelDeclaration> kernels = findKernels(program.source, error);
  if (!error.empty()) {
    program.log = error;
    return kCompilation;
  }

  std::string directory =
      (std::filesystem::temp_directory_path() / "deconv-emulator-XXXXXX")
          .string();
  if (!mkdtemp(directory.data())) {
    program.log = "cannot create a temporary directory for the emulator";
    return kOutOfMemory;
  }
  std::string archDefine = "-D__CUDA_ARCH__=" + std::to_string(version * 10);
  std::string prelude = precompiledPrelude(archDefine);
  std::error_code ignored;
  if (prelude.empty() && !writeHeaders(directory, program.log)) {
    std::filesystem::remove_all(directory, ignored);
    return kOutOfMemory;
  }
  std::string source = directory + "/" + program.name + ".cpp";
  std::string object = directory + "/kernel.so";
  (void)writeFileAtomically(source,
                            program.source + "\n" + registrationCode(kernels));
  std::vector<std::string> command = {compilerPath()};
  for (const std::string &flag : splitFlags(kCompileFlags))
    command.push_back(flag);
  command.push_back(archDefine);
  command.insert(command.end(), defines.begin(), defines.end());
  command.push_back("-I" + (prelude.empty() ? directory : prelude));
  command.push_back("-x");
  command.push_back("c++");
  command.push_back(source);
  command.push_back("-o");
  command.push_back(object);
  std::string output;
  int status = runProcess(command, output, directory + "/log.txt");
  int result = kSuccess;
  if (status != 0) {
    program.log = output.empty() ? "the host compiler failed" : output;
    result = kCompilation;
  } else if (StatusOr<std::string> bytes = readFile(object)) {
    uint64_t size = bytes->size();
    program.image = "DECONVSO";
    program.image.append(reinterpret_cast<const char *>(&size), sizeof(size));
    program.image += *bytes;
    ++compileCount;
  } else {
    program.log = bytes.message();
    result = kCompilation;
  }
  std::filesystem::remove_all(directory, ignored);
  return result;
}

//===----------------------------------------------------------------------===//
// Entry points, with NVRTC's C signatures
//===----------------------------------------------------------------------===//

int nvrtcCreateProgram(void **program, const char *source, const char *name,
                       int, const char *const *, const char *const *) {
  if (!program || !source)
    return kInvalidInput;
  auto *created = new Program();
  created->source = source;
  created->name = name && *name ? name : "kernel";
  for (char &c : created->name)
    if (!std::isalnum((unsigned char)c) && c != '_' && c != '.' && c != '-')
      c = '_';
  *program = created;
  return kSuccess;
}

int nvrtcCompileProgram(void *program, int count, const char *const *options) {
  if (!program)
    return kInvalidProgram;
  std::vector<std::string> list(options, options + count);
  return compile(*static_cast<Program *>(program), list);
}

int nvrtcGetCUBINSize(void *program, size_t *size) {
  *size = static_cast<Program *>(program)->image.size();
  return kSuccess;
}

int nvrtcGetCUBIN(void *program, char *cubin) {
  const std::string &image = static_cast<Program *>(program)->image;
  std::memcpy(cubin, image.data(), image.size());
  return kSuccess;
}

int nvrtcGetProgramLogSize(void *program, size_t *size) {
  *size = static_cast<Program *>(program)->log.size() + 1;
  return kSuccess;
}

int nvrtcGetProgramLog(void *program, char *log) {
  const std::string &text = static_cast<Program *>(program)->log;
  std::memcpy(log, text.c_str(), text.size() + 1);
  return kSuccess;
}

int nvrtcDestroyProgram(void **program) {
  delete static_cast<Program *>(*program);
  *program = nullptr;
  return kSuccess;
}

const char *nvrtcGetErrorString(int result) {
  switch (result) {
  case kSuccess:
    return "NVRTC_SUCCESS";
  case kOutOfMemory:
    return "NVRTC_ERROR_OUT_OF_MEMORY";
  case kInvalidInput:
    return "NVRTC_ERROR_INVALID_INPUT";
  case kInvalidProgram:
    return "NVRTC_ERROR_INVALID_PROGRAM";
  case kInvalidOption:
    return "NVRTC_ERROR_INVALID_OPTION";
  case kCompilation:
    return "NVRTC_ERROR_COMPILATION";
  default:
    return "NVRTC_ERROR_INTERNAL_ERROR";
  }
}

int nvrtcVersion(int *major, int *minor) {
  *major = 13;
  *minor = 0;
  return kSuccess;
}

} // namespace

void *deconv::emulator::lookupNvrtcSymbol(const char *symbol) {
  static const std::map<std::string, void *> table = {
#define DECONV_ENTRY(name) {#name, reinterpret_cast<void *>(&name)}
      DECONV_ENTRY(nvrtcCreateProgram),     DECONV_ENTRY(nvrtcCompileProgram),
      DECONV_ENTRY(nvrtcGetCUBINSize),      DECONV_ENTRY(nvrtcGetCUBIN),
      DECONV_ENTRY(nvrtcGetProgramLogSize), DECONV_ENTRY(nvrtcGetProgramLog),
      DECONV_ENTRY(nvrtcDestroyProgram),    DECONV_ENTRY(nvrtcGetErrorString),
      DECONV_ENTRY(nvrtcVersion),
#undef DECONV_ENTRY
  };
  auto found = table.find(symbol);
  return found == table.end() ? nullptr : found->second;
}

std::string deconv::emulator::getCompilerIdentity() {
  static std::once_flag once;
  static std::string identity;
  std::call_once(once, [] {
    std::string output;
    std::string log = (std::filesystem::temp_directory_path() /
                       ("deconv-cxx-version-" + std::to_string(getpid())))
                          .string();
    runProcess({compilerPath(), "--version"}, output, log);
    std::remove(log.c_str());
    identity = compilerPath() + " " + output.substr(0, output.find('\n')) +
               " " + kCompileFlags;
  });
  return identity;
}

uint64_t deconv::emulator::getEmulatorCompileCount() { return compileCount; }
