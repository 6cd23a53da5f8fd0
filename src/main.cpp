#include <malloc.h>

#include "cli/cli.hpp"

int main(int argc, char** argv) {
  // A run builds one large model and frees most of it only at exit: keep freed memory in
  // the heap for reuse rather than returning it to the kernel and faulting it in again
  // (glibc's defaults trim the heap top above 128 KiB and map blocks of 128 KiB and more
  // separately; docs/performance.md).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  mallopt(M_TOP_PAD, 64 << 20);
  return pgl::cli::run(argc, argv);
}
