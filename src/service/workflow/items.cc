#include "service/workflow/items.h"

#include <boost/json/serialize.hpp>

namespace xietong::service::workflow {

core::Status ItemNotFound(domain::CoordType t) {
  std::string en(domain::CoordTypeName(t));
  for (char& c : en)
    if (c == '_') c = ' ';
  return core::Status(core::Code::kNotFound, "not_found",
                      std::string(domain::CoordTypeLabelZh(t)) + "不存在", "id", "R-ACC-1")
      .En("No such " + en);
}

Subject ItemSubject(const domain::CoordItem& e) {
  Subject s;
  s.type = std::string(domain::CoordTypeName(e.type));
  s.id = e.id;
  s.created_by = e.created_by;
  s.dedupe_by_instant = false;
  s.skip_actor = true;
  s.orgs = CoordinatedOrgs(e);  // R-ACC-2
  std::string url = "/";
  url.append(domain::CoordTypePath(e.type)).append("/").append(std::to_string(e.id));
  s.decorate_document = [url = std::move(url)](domain::Document&, boost::json::object& body) {
    body["record_url"] = url;
  };
  s.link_document = [id = e.id](storage::Tx& tx, const domain::Document& d) {
    return tx.LinkCoordDocument(id, d.id);
  };
  return s;
}

core::Status SaveItem(storage::Tx& tx, ItemEntity& e, core::Instant now,
                      const std::vector<std::string>& files) {
  e.updated_at = now;
  e.data = boost::json::serialize(e.fields);
  return tx.UpdateCoordItem(e, files);
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
