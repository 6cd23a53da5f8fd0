#include "core/memory_advice.hpp"

#include <unistd.h>

#include <cstdint>

#include <sys/mman.h>

namespace pgl::core {

void prefault_for_write(const void* begin, const void* populate_end, const void* capacity_end, bool huge) {
#ifdef MADV_POPULATE_WRITE
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));  // (no static: called from threads)
  // Whole pages inside the allocation (the first one may hold the allocator's header,
  // populating does not change its contents).
  const auto first = reinterpret_cast<std::uintptr_t>(begin) & ~(page - 1);
  const auto last = reinterpret_cast<std::uintptr_t>(populate_end);
#ifdef MADV_HUGEPAGE
  // Transparent huge pages (2 MB per fault instead of 4 KB) when the system allows them on
  // request; ignored otherwise.
  if (huge) {
    const auto all_last = reinterpret_cast<std::uintptr_t>(capacity_end) & ~(page - 1);
    if (all_last > first) {
      // NOLINTNEXTLINE(performance-no-int-to-ptr): madvise takes the page-aligned address
      ::madvise(reinterpret_cast<void*>(first), all_last - first, MADV_HUGEPAGE);
    }
  }
#else
  (void)huge;
  (void)capacity_end;
#endif
  if (last > first) {
    // NOLINTNEXTLINE(performance-no-int-to-ptr): madvise takes the page-aligned address
    ::madvise(reinterpret_cast<void*>(first), last - first, MADV_POPULATE_WRITE);
  }
#else
  (void)begin;
  (void)populate_end;
  (void)capacity_end;
  (void)huge;
#endif
}

}  // namespace pgl::core
