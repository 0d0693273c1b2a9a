#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>

// What fs.cpp and kept_files.cpp share: opening a file for reading and reading a descriptor up to a bound.
namespace hw_exporter::descriptor_reads {

// How a file's end is found: by a read that returns nothing, or, for a kernel attribute, also by one that returns
// less than asked for (the kernel makes the whole value at the first read, and gives what fits).
enum class End { kAtEmptyRead, kAtShortRead };

// A file descriptor for reading path, or -1 with errno set. With regular_only, a path that is not a regular file fails
// with kNotRegularFile and is not opened (opening a device can do something), and the open never waits (O_NONBLOCK: a
// FIFO's would wait for a writer); the descriptor is checked again in case the path changed between, and *opened (when
// given) is its status. Relative to the ReadsInDirectory scope that holds its directory.
int OpenForReading(const std::string& path, bool regular_only, struct stat* opened = nullptr);

// Appends what fd holds, up to limit bytes in all: a file of up to a page without allocating more than the string
// needs, a larger one straight into the string, as much as it has room for, so that it takes a few reads. With
// from_start, reads from offset 0 whatever the descriptor's position (pread), which makes a kernel file regenerate
// its value. False, with errno set, when a read fails.
bool ReadUpTo(int fd, std::size_t limit, End end, std::string& contents, bool from_start = false);

// What fd holds (ReadUpTo), or nullopt with *error_number set: errno, or EFBIG for more than max_bytes.
std::optional<std::string> ReadBounded(int fd, std::size_t max_bytes, End end, bool from_start, int* error_number);

}  // namespace hw_exporter::descriptor_reads
