// Runs a fuzz target over files given on the command line (directories are walked, and
// an argument @LIST names a file of paths, one a line): the normal build's regression
// test of every seed and of every input a fuzzer found.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run_one(const std::filesystem::path& p, std::size_t& count) {
  std::ifstream in(p, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  (void)LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  ++count;
}

void run_path(const std::string& arg, std::size_t& count) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(arg, ec)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(arg, ec)) {
      if (e.is_regular_file(ec)) {
        files.push_back(e.path());
      }
    }
    for (const auto& f : files) {
      run_one(f, count);
    }
  } else if (fs::is_regular_file(arg, ec)) {
    run_one(arg, count);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (!arg.empty() && arg[0] == '@') {
      std::ifstream list(arg.substr(1));
      for (std::string line; std::getline(list, line);) {
        if (!line.empty()) {
          run_path(line, count);
        }
      }
    } else {
      run_path(arg, count);
    }
  }
  std::printf("%zu inputs replayed\n", count);
  return count == 0 ? 1 : 0;
}
