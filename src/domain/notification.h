// Notifications to people (deadline warnings, items addressed to their org). Pure value type.
#pragma once

#include <optional>
#include <string>

#include "core/time.h"
#include "domain/org.h"

namespace xietong::domain {

struct Notification {
  Id id = 0;
  Id user_id = 0;
  std::string kind;  // "duty.yellow", "duty.red", …
  std::string title;
  std::string body;
  std::string object_type;
  std::string object_id;
  std::string dedupe_key;  // unique per user: the same event never notifies a person twice
  core::Instant created_at{};
  std::optional<core::Instant> read_at;
};

}  // namespace xietong::domain
