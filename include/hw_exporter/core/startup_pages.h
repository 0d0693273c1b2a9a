#pragma once

#include <cstddef>

namespace hw_exporter {

// Unmaps the pages of the process's code and constants that are resident now; the kernel maps each back from the
// page cache when it runs again (with its neighbours, as at any fault). Most of the exporter's code and of the
// libraries' runs once, to start (reading the configuration, building the collectors, the self-checks), and would
// stay mapped, counted in the resident size, for the life of the process. After this, the resident size holds
// the code that scrapes and refreshes run. Only mappings of a file that the process never wrote to are touched:
// their pages are the file's own and come back unchanged, while relocated constants, data and the heap are left
// alone. Returns the bytes it unmapped.
std::size_t ReleaseStartupPages();

}  // namespace hw_exporter
