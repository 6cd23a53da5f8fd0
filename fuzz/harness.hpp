// Shared parts of the fuzz targets: a private directory for the files a target writes,
// output capture (stdout and stderr into memory), and the secrets oracle.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace pgl::fuzz {

// A directory of this process (created once, under $PGL_FUZZ_DIR, else /dev/shm, else /tmp;
// removed at exit; an absolute, normal path).
const std::string& work_dir();
// Writes `bytes` to work_dir()/name and returns the path.
std::string write_file(const std::string& name, std::string_view bytes);
// Runs fn with stdout and stderr sent to memory; returns what was written to them.
std::string capture(const std::function<void()>& fn);
// Every target starts a run: a fresh read budget, with smaller expansion limits than the
// tool's (harness.cpp).
void new_run();

// The secrets oracle: a password built around this marker is planted in password
// positions; no rendered output may contain it.
inline constexpr std::string_view k_marker = "Zq9SECRETmarker";
// Fails (abort, so the fuzzer records the input) when `output` contains the marker, or
// the tool's "internal error" (an exception no code path expected).
void assert_no_secret(std::string_view output, std::string_view what);

}  // namespace pgl::fuzz
