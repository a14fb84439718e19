//===- FuzzMain.cpp - run a fuzz target without libFuzzer -----------------===//
//
// Fuzz targets define LLVMFuzzerTestOneInput. Built with clang and
// -DDECONV_FUZZ=ON they link libFuzzer (coverage-guided, scripts/fuzz.sh);
// otherwise they link this driver, which CI runs: every file of the corpus
// directories given, then a fixed number of mutants of them (byte flips,
// insertions, deletions, truncations, splices of two inputs, interesting
// integers), from a fixed seed so a failure reproduces. A crash, an abort
// or a sanitizer report ends the process: the test fails.
//
//   TARGET DIR|FILE... [--mutants=N] [--seed=S]
//
// Prints "<inputs> inputs, <mutants> mutants, <executions/s> runs/s".
//
//===----------------------------------------------------------------------===//

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

/// The input being run, written out if the target dies on it.
const std::string *current = nullptr;

void saveCrashingInput(int signal) {
  if (current) {
    if (FILE *file = std::fopen("crash-input", "wb")) {
      std::fwrite(current->data(), 1, current->size(), file);
      std::fclose(file);
    }
    std::fprintf(stderr,
                 "signal %d on an input of %zu bytes, written to "
                 "crash-input\n",
                 signal, current->size());
  }
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

void run(const std::string &input) {
  current = &input;
  // A copy of exactly the input's size, so reads past it are out of bounds
  // for the sanitizers, as under libFuzzer.
  std::vector<uint8_t> bytes(input.begin(), input.end());
  LLVMFuzzerTestOneInput(bytes.empty() ? nullptr : bytes.data(), bytes.size());
}

std::string mutate(const std::vector<std::string> &corpus,
                   std::mt19937_64 &rng) {
  auto pick = [&](size_t n) { return n ? rng() % n : 0; };
  std::string input = corpus[pick(corpus.size())];
  const int edits = 1 + pick(4);
  for (int e = 0; e < edits; ++e) {
    switch (pick(7)) {
    case 0: // Flip a bit.
      if (!input.empty())
        input[pick(input.size())] ^= static_cast<char>(1u << pick(8));
      break;
    case 1: // Replace a byte.
      if (!input.empty())
        input[pick(input.size())] = static_cast<char>(rng());
      break;
    case 2: // Insert bytes.
      input.insert(pick(input.size() + 1),
                   std::string(1 + pick(8), static_cast<char>(rng())));
      break;
    case 3: // Delete a range.
      if (!input.empty()) {
        size_t at = pick(input.size());
        input.erase(at, 1 + pick(input.size() - at));
      }
      break;
    case 4: // Truncate.
      input.resize(pick(input.size() + 1));
      break;
    case 5: { // Splice in part of another input.
      const std::string &other = corpus[pick(corpus.size())];
      size_t from = pick(other.size() + 1);
      input.insert(pick(input.size() + 1),
                   other.substr(from, pick(other.size() - from + 1)));
      break;
    }
    case 6: { // An interesting integer, little-endian, over some bytes.
      static const uint64_t values[] = {
          0,          1,          0x7f,  0x80,       0xff,      0x7fffffff,
          0x80000000, 0xffffffff, ~0ull, 1ull << 62, 1ull << 63};
      uint64_t value = values[pick(sizeof(values) / sizeof(values[0]))];
      size_t width = size_t(1) << pick(4);
      if (input.size() >= width)
        std::memcpy(&input[pick(input.size() - width + 1)], &value, width);
      break;
    }
    }
  }
  return input;
}

} // namespace

int main(int argc, char **argv) {
  long long mutants = 0;
  unsigned long long seed = 1;
  std::vector<std::string> corpus;
  for (int i = 1; i < argc; ++i) {
    std::string argument = argv[i];
    if (argument.rfind("--mutants=", 0) == 0) {
      mutants = std::atoll(argument.c_str() + 10);
      continue;
    }
    if (argument.rfind("--seed=", 0) == 0) {
      seed = std::strtoull(argument.c_str() + 7, nullptr, 10);
      continue;
    }
    std::vector<std::filesystem::path> files;
    std::error_code error;
    if (std::filesystem::is_directory(argument, error)) {
      for (const auto &entry :
           std::filesystem::recursive_directory_iterator(argument, error))
        if (entry.is_regular_file())
          files.push_back(entry.path());
    } else {
      files.push_back(argument);
    }
    for (const auto &file : files) {
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        std::fprintf(stderr, "cannot read '%s'\n", file.c_str());
        return 2;
      }
      corpus.emplace_back(std::istreambuf_iterator<char>(in),
                          std::istreambuf_iterator<char>());
    }
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "usage: %s DIR|FILE... [--mutants=N] [--seed=S]\n",
                 argv[0]);
    return 2;
  }
  for (int signal : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL})
    std::signal(signal, saveCrashingInput);
  auto start = std::chrono::steady_clock::now();
  for (const std::string &input : corpus)
    run(input);
  std::mt19937_64 rng(seed);
  for (long long m = 0; m < mutants; ++m)
    run(mutate(corpus, rng));
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf("%zu inputs, %lld mutants, %.0f runs/s\n", corpus.size(), mutants,
              (corpus.size() + mutants) / std::max(seconds, 1e-9));
  return 0;
}
