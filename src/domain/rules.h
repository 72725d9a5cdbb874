// The policy's rules (SPEC.md), by id, with a short Chinese and English statement, for
// explaining duties and refusals to users. Pure; thread-safe.
#pragma once

#include <string_view>
#include <vector>

namespace xietong::domain {

struct Rule {
  std::string_view id;  // "R-REF-6"
  std::string_view zh;
  std::string_view en;
};

const std::vector<Rule>& Rules();
// nullptr when unknown.
const Rule* FindRule(std::string_view id);

}  // namespace xietong::domain
