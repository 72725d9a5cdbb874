// Evidence files: raw uploads and access-checked downloads (contract: Files).
#include <boost/json.hpp>

#include "http/api_common.h"
#include "http/json_io.h"
#include "service/file_service.h"

namespace xietong::http {

namespace {
using core::Status;

// RFC 5987 / RFC 8187 ext-value: UTF-8 percent-encoding of everything but attr-chars.
std::string Rfc5987(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool attr = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    if (attr) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// An ASCII fallback for the plain filename parameter.
std::string AsciiFallback(std::string_view s) {
  std::string out;
  for (unsigned char c : s)
    out += (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') ? static_cast<char>(c) : '_';
  return out;
}

boost::json::object FileJson(const service::FileInfo& f) {
  return {{"id", f.id}, {"name", f.name}, {"size", f.size}, {"content_type", f.content_type}};
}
}  // namespace

void RegisterFileRoutes(Router& r, ApiEnv& env) {
  r.Add("POST", "/api/v1/files",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          auto raw = req.header("X-File-Name");
          if (!raw || raw->empty())
            return Status::Invalid("name", "缺少 X-File-Name 头（百分号编码的文件名）")
                .En("X-File-Name (percent-encoded) is required");
          auto name = PercentDecode(*raw, false);
          if (!name)
            return Status::Invalid("name", "X-File-Name 的百分号编码无效").En("X-File-Name is not valid percent-encoding");
          std::string ct(req.header("Content-Type").value_or(""));
          XT_ASSIGN_OR_RETURN(auto info, env.svc.files->Put(p, *name, ct, req.body));
          Response res = Json(201, FileJson(info));
          res.AddHeader("Location", "/api/v1/files/" + info.id);
          return res;
        }));

  r.Add("GET", "/api/v1/files/{id}",
        WithAuth(env, [&env](Request& req, const service::Principal& p) -> core::Result<Response> {
          std::string id(req.path_param("id").value_or(""));
          XT_ASSIGN_OR_RETURN(auto file, env.svc.files->Get(p, id));
          Response res;
          res.content_type = file.info.content_type;
          res.body = std::move(file.bytes);
          const bool inline_ok = file.info.content_type == "application/pdf" ||
                                 file.info.content_type.starts_with("image/");
          res.AddHeader("Content-Disposition",
                        std::string(inline_ok ? "inline" : "attachment") + "; filename=\"" +
                            AsciiFallback(file.info.name) + "\"; filename*=UTF-8''" +
                            Rfc5987(file.info.name));
          res.AddHeader("X-Content-Type-Options", "nosniff");
          res.AddHeader("Content-Security-Policy", "default-src 'none'; sandbox");
          res.AddHeader("Cache-Control", "private, max-age=31536000, immutable");
          res.AddHeader("ETag", "\"" + file.info.id + "\"");
          return res;
        }));
}

}  // namespace xietong::http
