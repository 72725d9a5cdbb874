// Helpers shared by the PostgreSQL Tx's source files: row readers' plumbing and a WHERE-clause
// builder for optional filters. Internal to storage/postgres.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "storage/postgres/internal/pg.h"

namespace xietong::storage::postgres {

// The single row of `r`, or kNotFound(what).
template <typename F>
auto One(const PgResult& r, F read, const char* what, const char* message)
    -> core::Result<decltype(read(r, 0))> {
  if (r.rows() == 0) return core::Status::NotFound(what, message);
  return read(r, 0);
}

// Every row of `r`.
template <typename F>
auto All(const PgResult& r, F read) -> core::Result<std::vector<decltype(read(r, 0))>> {
  std::vector<decltype(read(r, 0))> out;
  out.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(read(r, i));
  return out;
}

inline int64_t Limit(int limit) { return std::max(limit, 0); }

// A WHERE clause built from optional filters. Conditions are written with '?' for their
// arguments; they become $1, $2 … in order.
class Where {
 public:
  template <typename... Ts>
  void Add(std::string_view cond, const Ts&... args) {
    sql_ += sql_.empty() ? " WHERE " : " AND ";
    Append(cond);
    (params_.Add(args), ...);
  }
  // Appends raw SQL with '?' placeholders (after the WHERE clause: ORDER BY, LIMIT …).
  template <typename... Ts>
  void Tail(std::string_view text, const Ts&... args) {
    Append(text);
    (params_.Add(args), ...);
  }
  const std::string& sql() const { return sql_; }
  const Params& params() const { return params_; }

 private:
  void Append(std::string_view text) {
    for (char c : text) {
      if (c == '?') {
        sql_ += '$';
        sql_ += std::to_string(++n_);
      } else {
        sql_ += c;
      }
    }
  }
  std::string sql_;
  Params params_;
  int n_ = 0;
};

}  // namespace xietong::storage::postgres
