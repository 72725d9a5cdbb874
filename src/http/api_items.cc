#include "http/api_items.h"

namespace xietong::http {

core::Result<service::CoordQuery> CoordQueryParams(const Request& req) {
  service::CoordQuery q;
  q.direction = req.query_param("direction").value_or("");
  q.state = req.query_param("state").value_or("");
  q.kind = req.query_param("kind").value_or("");
  XT_ASSIGN_OR_RETURN(q.org, req.query_int("org"));
  q.colour = req.query_param("colour").value_or("");
  q.q = req.query_param("q").value_or("");
  XT_ASSIGN_OR_RETURN(Page page, PageParams(req));
  q.page = page.page;
  q.page_size = page.page_size;
  return q;
}

}  // namespace xietong::http
