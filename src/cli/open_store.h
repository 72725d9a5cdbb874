// Opens the store named by a --db URL (sqlite:PATH now; postgres://… later). The only place
// that names concrete storage backends.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "storage/store.h"

namespace xietong::cli {

struct OpenOptions {
  bool apply_migrations = true;  // false: refuse an out-of-date database instead
};

core::Result<std::unique_ptr<storage::Store>> OpenStore(const std::string& url,
                                                        OpenOptions options = {});
// Applies pending migrations; returns the schema version now in place.
core::Result<int> Migrate(const std::string& url);

}  // namespace xietong::cli
