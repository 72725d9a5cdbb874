// The storage contract tests: one GoogleTest suite that every Store backend must pass.
//
// The suite is value-parameterized over a StoreBackend: a name and a factory that returns a
// fresh, empty, fully migrated store for each test (the store may own temporary files or
// schemas and clean them up when destroyed). A backend instantiates it with one line in its own
// test, linking xietong::storage_contract_tests:
//
//   #include "storage/store_contract_test.h"
//   XT_INSTANTIATE_STORE_CONTRACT_TESTS(Postgres, [] { return MakeFreshPostgresStore(); });
//
// (The macro also makes the linker keep the suite's object file, which a static library would
// otherwise drop because nothing references it.)
//
// What the suite pins down beyond store.h's comments, so every backend behaves the same:
//  - ids are assigned by the store (the id field of an inserted value is ignored);
//  - uniqueness violations: kAlreadyExists with field() = the column ("code", "username",
//    "token_hash"); a reference to a missing row (foreign key): kInvalidArgument, field
//    "reference"; writes in a Read transaction: kInternal;
//  - Update*, Touch*, Delete of one row, Revoke*, MarkNotificationRead: kNotFound when no row
//    matches (MarkNotificationRead also when the notification belongs to another user);
//    DeleteSessionsOfUser and MarkAllNotificationsRead succeed when nothing matches;
//  - a second RevokeApiToken / MarkNotificationRead keeps the first instant;
//  - DutyFilter::due_from is inclusive, due_to exclusive (due_from <= due_at < due_to);
//  - text filters match a substring literally ('%' and '_' are not wildcards); the suite uses
//    no case-folding cases;
//  - ListUsers and ListUsersWithRoles order by id; ListApiTokens and ListDutyEvents by id;
//    ListCalendarYears by year; disabled users are listed like the others;
//  - a notification with an empty dedupe_key is never deduplicated;
//  - a failed Write leaves no trace, including no gap in the audit sequence.
//
// Thread-safety: tests create their own stores; the concurrency tests start their own threads.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/status.h"
#include "core/time.h"
#include "storage/store.h"

namespace xietong::storage::testing {

// Returns a fresh, empty, migrated store; called once per test.
using StoreFactory = std::function<std::unique_ptr<Store>()>;

struct StoreBackend {
  std::string name;  // used in test names: [A-Za-z0-9_] only
  StoreFactory make;
};

// The fixture: store() is a fresh store from the parameter's factory.
class StoreContractTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override;
  void TearDown() override;
  Store& store() { return *store_; }

 private:
  std::unique_ptr<Store> store_;
};

// Test-name generator for INSTANTIATE_TEST_SUITE_P: the backend's name.
std::string BackendName(const ::testing::TestParamInfo<StoreBackend>& info);

// ---- Helpers shared by the contract test files ----

inline const core::Status& StatusOf(const core::Status& s) { return s; }
template <typename T>
const core::Status& StatusOf(const core::Result<T>& r) {
  return r.status();
}

#define XT_EXPECT_OK(...)                                                    \
  do {                                                                       \
    const auto& xt_v_ = (__VA_ARGS__);                                       \
    EXPECT_TRUE(StatusOf(xt_v_).ok()) << StatusOf(xt_v_).ToString();         \
  } while (0)
#define XT_ASSERT_OK(...)                                                    \
  do {                                                                       \
    const auto& xt_v_ = (__VA_ARGS__);                                       \
    ASSERT_TRUE(StatusOf(xt_v_).ok()) << StatusOf(xt_v_).ToString();         \
  } while (0)
#define XT_ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, ...)                         \
  auto tmp = (__VA_ARGS__);                                                  \
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString();                          \
  lhs = std::move(tmp).value()
#define XT_ASSERT_OK_AND_ASSIGN(lhs, ...) \
  XT_ASSERT_OK_AND_ASSIGN_IMPL_(XT_CONCAT_(xt_assign_, __LINE__), lhs, __VA_ARGS__)
// Expects a failure with `code` (and, when not empty, `field`).
#define XT_EXPECT_ERROR(code_, field_, ...)                                  \
  do {                                                                       \
    const auto& xt_v_ = (__VA_ARGS__);                                       \
    EXPECT_EQ(StatusOf(xt_v_).code(), code_) << StatusOf(xt_v_).ToString();  \
    if (std::string(field_).size()) {                                        \
      EXPECT_EQ(StatusOf(xt_v_).field(), field_) << StatusOf(xt_v_).ToString(); \
    }                                                                        \
  } while (0)

// Runs fn in a Write and returns its result, or the failed Write's status.
template <typename T>
core::Result<T> InWrite(Store& store, const std::function<core::Result<T>(Tx&)>& fn) {
  std::optional<core::Result<T>> out;
  core::Status st = store.Write([&](Tx& tx) -> core::Status {
    out.emplace(fn(tx));
    return out->status();
  });
  if (!st.ok()) return st;
  return std::move(*out);
}

// Runs fn in a Read and returns its result, or the failed Read's status.
template <typename T>
core::Result<T> InRead(Store& store, const std::function<core::Result<T>(Tx&)>& fn) {
  std::optional<core::Result<T>> out;
  core::Status st = store.Read([&](Tx& tx) -> core::Status {
    out.emplace(fn(tx));
    return out->status();
  });
  if (!st.ok()) return st;
  return std::move(*out);
}

// 2026-11-25T08:00:00+08:00 and offsets from it.
constexpr int64_t kT0Ms = 1795996800000;
inline core::Instant T(int64_t ms = 0) { return core::FromMillis(kT0Ms + ms); }

// Referenced by XT_INSTANTIATE_STORE_CONTRACT_TESTS so the suite is linked in; returns 0.
int LinkStoreContractTests();

}  // namespace xietong::storage::testing

// Instantiates the contract suite for a backend, at namespace scope in any namespace but
// xietong::storage::testing (it declares the alias StoreContractTest there, which
// INSTANTIATE_TEST_SUITE_P needs as an unqualified name). `prefix` is an identifier ("Sqlite");
// the rest is the factory: anything convertible to StoreFactory (commas allowed).
#define XT_INSTANTIATE_STORE_CONTRACT_TESTS(prefix, ...)                                     \
  [[maybe_unused]] static const int xt_store_contract_link_##prefix =                         \
      ::xietong::storage::testing::LinkStoreContractTests();                                  \
  using StoreContractTest = ::xietong::storage::testing::StoreContractTest;                   \
  INSTANTIATE_TEST_SUITE_P(                                                                   \
      prefix, StoreContractTest,                                                              \
      ::testing::Values(::xietong::storage::testing::StoreBackend{                            \
          #prefix, ::xietong::storage::testing::StoreFactory(__VA_ARGS__)}),                  \
      ::xietong::storage::testing::BackendName)
