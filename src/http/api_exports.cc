// Excel for the lists the web UI exports itself (待办, 审计日志, 用户, 机构, 行刑衔接, 协作机制 …;
// issue 14, docs/exports-contract.md): POST /api/v1/exports/xlsx?name=审计日志 with the CSV the
// page built (text/csv, UTF-8, BOM optional) answers that CSV as a typed .xlsx workbook
// (service::WorkbookFromCsv), saved as <name>.xlsx. It reads nothing from the database: the rows
// are what the signed-in caller already has on screen. Lists exported by the server have their
// own GET …/export.xlsx (AddExportRoutes).
#include <string>
#include <string_view>

#include "http/api_common.h"
#include "service/xlsx_writer.h"

namespace xietong::http {

namespace {

constexpr size_t kMaxCsvBytes = 8u * 1024 * 1024;
constexpr size_t kMaxNameBytes = 120;  // 40 Chinese characters

bool IsCsvBody(const Request& req) {
  auto ct = req.header("Content-Type");
  if (!ct) return false;
  std::string_view v = *ct;
  constexpr std::string_view kCsv = "text/csv";
  return v.size() >= kCsv.size() && EqualsIgnoreCase(v.substr(0, kCsv.size()), kCsv);
}

// The file and sheet name: given, without control characters or path separators, else 导出.
core::Result<std::string> FileName(const Request& req) {
  std::string name = req.query_param("name").value_or("");
  if (name.size() > kMaxNameBytes)
    return core::Status::Invalid("name", "文件名过长", {}, "too_long").En("The file name is too long");
  std::string clean;
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F || ch == '/' || ch == '\\' || ch == '"') continue;
    clean += ch;
  }
  if (clean.ends_with(".csv")) clean.resize(clean.size() - 4);
  if (clean.ends_with(".xlsx")) clean.resize(clean.size() - 5);
  return clean.empty() ? std::string("导出") : clean;
}

}  // namespace

void RegisterExportRoutes(Router& r, ApiEnv& env) {
  r.Add("POST", "/api/v1/exports/xlsx",
        WithAuth(env, [](Request& req, const service::Principal&) -> core::Result<Response> {
          if (!IsCsvBody(req)) {
            return core::Status::Invalid("body", "请以 text/csv 提交要转换的表格", {}, "unsupported_media_type")
                .En("Send the table as text/csv");
          }
          if (req.body.size() > kMaxCsvBytes) {
            return core::Status::Invalid("body", "表格过大（不超过 8 MiB）", {}, "too_long")
                .En("The table is too large (at most 8 MiB)");
          }
          XT_ASSIGN_OR_RETURN(std::string name, FileName(req));
          XT_ASSIGN_OR_RETURN(std::string bytes, service::WorkbookFromCsv({{name, req.body}}));
          return XlsxAttachment(std::move(bytes), "export.xlsx", name + ".xlsx");
        }));
}

}  // namespace xietong::http
