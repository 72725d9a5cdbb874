#include "core/status.h"

#include <gtest/gtest.h>

namespace xietong::core {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Status::Invalid("x", "奇数不能平分");
  return x / 2;
}

Result<int> Quarter(int x) {
  XT_ASSIGN_OR_RETURN(int h, Half(x));
  XT_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

Status Check(int x) {
  XT_RETURN_IF_ERROR(Quarter(x).status());
  return Status::Ok();
}

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(StatusTest, CarriesFieldRuleAndId) {
  Status s = Status::Invalid("evidence", "移送须附证据材料", "R-REF-3");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.field(), "evidence");
  EXPECT_EQ(s.rule(), "R-REF-3");
  EXPECT_EQ(s.ToString(), "invalid_argument[evidence]: 移送须附证据材料 (R-REF-3)");
}

TEST(StatusTest, MacrosPropagateFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);  // 6/2 = 3 is odd
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "x");
  EXPECT_TRUE(Check(4).ok());
  EXPECT_EQ(Check(2).code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace xietong::core
