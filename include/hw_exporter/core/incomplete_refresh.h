#pragma once

#include <stdexcept>
#include <string>
#include <utility>

#include "hw_exporter/core/family_set.h"

namespace hw_exporter {

// Thrown by a refresh that read only part of its sources (smartctl, when a disk did not answer in time): the
// families it did read are published, and the refresh counts as failed, with what() as its reason. A refresh that
// read nothing throws an ordinary exception instead, and the last good families stay.
class IncompleteRefresh : public std::runtime_error {
 public:
  IncompleteRefresh(const std::string& reason, Families read) : std::runtime_error(reason), families(std::move(read)) {}

  Families families;
};

}  // namespace hw_exporter
