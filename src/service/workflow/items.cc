#include "service/workflow/items.h"

namespace xietong::service::workflow {

core::Status ItemNotFound(domain::CoordType t) {
  std::string en(domain::CoordTypeName(t));
  for (char& c : en)
    if (c == '_') c = ' ';
  return core::Status(core::Code::kNotFound, "not_found",
                      std::string(domain::CoordTypeLabelZh(t)) + "不存在", "id", "R-ACC-1")
      .En("No such " + en);
}

boost::json::object OrgRef(const domain::Org& o) {
  return boost::json::object{{"id", o.id}, {"code", o.code}, {"name", o.name}};
}
boost::json::object UserRef(const domain::User& u) {
  return boost::json::object{{"id", u.id}, {"display_name", u.display_name}};
}

std::string Snip(const std::string& s, size_t chars) {
  std::string out;
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) {
      if (n == chars) return out + "…";
      ++n;
    }
    out.push_back(s[i]);
  }
  return out;
}

}  // namespace xietong::service::workflow
