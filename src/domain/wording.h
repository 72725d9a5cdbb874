// Small wording helpers for document titles and texts (issue 17 defect 1).
#pragma once

#include <string>
#include <string_view>

namespace xietong::domain {

// 「关于<subject>」 without doubling: a subject that already starts with 关于 (the normal way to
// write one) is kept as it is — 「关于某砂场开采量的认定」, never 「关于关于…」.
inline std::string About(std::string_view subject) {
  constexpr std::string_view kAbout = "关于";
  if (subject.starts_with(kAbout)) return std::string(subject);
  return std::string(kAbout) + std::string(subject);
}

}  // namespace xietong::domain
