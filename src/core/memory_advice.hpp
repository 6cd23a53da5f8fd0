// Memory advice to the kernel, for large arrays filled front to back (the pg_hba.conf
// record array). Best effort and behaviour-free: where the system lacks the calls
// (MADV_POPULATE_WRITE is Linux 5.14), nothing happens and pages fault in as written.
#pragma once

namespace pgl::core {

// Faults in the whole pages of [begin, populate_end) now, with one call instead of a fault
// per page. With `huge`, first asks for transparent huge pages on [begin, capacity_end).
void prefault_for_write(const void* begin, const void* populate_end, const void* capacity_end, bool huge);

}  // namespace pgl::core
