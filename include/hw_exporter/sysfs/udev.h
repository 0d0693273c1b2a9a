#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "hw_exporter/core/fs.h"
#include "hw_exporter/core/paths.h"

namespace hw_exporter::sysfs {

// The properties of one udev database entry: its "E:KEY=value" lines (udevadm(8)), by key.
using UdevProperties = std::map<std::string, std::string, std::less<>>;

UdevProperties ParseUdevProperties(std::string_view text);

// The udev database entries of block devices (<udev data>/b<major>:<minor>), each read again only once udev has
// replaced it: udevd writes an entry to a temporary file and renames it into place, so an entry with the inode,
// size and modification time it had at the last read still holds what it held then, and the renaming moves the
// directory's times. A refresh starts a sweep, which looks at the directory once: while it has the settled stamp
// (fs.h) under which an entry was last looked at, no entry has been replaced since, and the entry is not looked at
// again. Otherwise a refresh costs one stat per device instead of reading and parsing its entry. Not for use from
// two threads at once.
class UdevBlockDevices {
 public:
  explicit UdevBlockDevices(Paths paths) : paths_(std::move(paths)) {}

  // Takes the directory's stamp, before the refresh asks for any device's properties.
  void StartSweep();
  // The properties udev recorded for block device major:minor; empty when there is no readable entry, which is
  // normal for devices udev does not manage. Valid until the next ForgetUnused().
  const UdevProperties& Properties(unsigned major, unsigned minor);
  // Ends the sweep, and forgets the entries Properties() was not asked for since the last call: devices that went
  // away.
  void ForgetUnused();

 private:
  struct Entry {
    FileVersion version;
    UdevProperties properties;
    std::optional<DirectoryStamp> looked_at_under;  // the directory's stamp when the entry was last looked at
    bool used = true;                               // asked for since the last ForgetUnused()
  };

  Paths paths_;
  std::map<std::string, Entry, std::less<>> entries_;  // by path
  std::optional<DirectoryStamp> directory_;            // the sweep's, when settled
};

// The value of a property, or "" when absent.
const std::string& UdevProperty(const UdevProperties& properties, std::string_view key);

}  // namespace hw_exporter::sysfs
