#include "storage/store.h"

#include <string>

#include "storage/db_url.h"

namespace xietong::storage {

namespace {
bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

Status Unsupported(std::string_view url) {
  return Status::Invalid("db", "不支持的数据库地址：" + std::string(url) +
                                   "（应为 sqlite:路径 或 postgres://…）")
      .En("unsupported database address (expected sqlite:PATH or postgres://...)");
}
}  // namespace

core::Result<DbUrl> ParseDbUrl(std::string_view url) {
  if (StartsWith(url, "sqlite:")) {
    std::string_view path = url.substr(7);
    if (StartsWith(path, "//")) path.remove_prefix(2);
    if (path.empty()) {
      return Status::Invalid("db", "数据库地址缺少文件路径：" + std::string(url))
          .En("database address has no file path");
    }
    return DbUrl{"sqlite", std::string(path)};
  }
  for (std::string_view scheme : {"postgres://", "postgresql://"}) {
    if (StartsWith(url, scheme)) {
      if (url.size() == scheme.size()) return Unsupported(url);
      return DbUrl{"postgres", std::string(url)};
    }
  }
  return Unsupported(url);
}

}  // namespace xietong::storage
