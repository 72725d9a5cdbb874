#include "http/static_files.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <system_error>

#include "http/json_io.h"

namespace xietong::http {

namespace fs = std::filesystem;

struct StaticFiles::Entry {
  std::string body;
  std::string content_type;
  std::string etag;
  std::string cache_control;
};

namespace {

constexpr std::string_view kNotBuiltPage =
    "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
    "<title>协同平台</title></head>\n<body style=\"font-family:sans-serif;margin:3em\">"
    "<h1>网页界面尚未构建</h1>\n"
    "<p>服务器正在运行，但没有找到网页界面（index.html）。请在 web/ 目录执行 "
    "<code>npm ci &amp;&amp; npm run build</code>，或使用 --web-dir 指定构建结果所在目录。</p>\n"
    "<p>接口地址：<code>/api/v1/</code></p>\n</body></html>\n";

bool IsAssetPath(std::string_view rel) { return rel.starts_with("assets/"); }

std::string_view LastSegment(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool EtagMatches(std::string_view header, std::string_view etag) {
  // If-None-Match: "a", W/"b" or *
  size_t i = 0;
  while (i < header.size()) {
    size_t comma = header.find(',', i);
    if (comma == std::string_view::npos) comma = header.size();
    std::string_view tag = header.substr(i, comma - i);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    i = comma + 1;
  }
  return false;
}

Response JsonError(const core::Status& st, const Request& req) { return ErrorResponse(st, req); }

}  // namespace

StaticFiles::StaticFiles(fs::path root, bool cache) : root_(std::move(root)), cache_(cache) {}
StaticFiles::~StaticFiles() = default;

std::string_view StaticFiles::ContentType(std::string_view filename) {
  std::string_view name = LastSegment(filename);
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string ext(name.substr(dot + 1));
  for (char& c : ext)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"webp", "image/webp"},
      {"gif", "image/gif"},
      {"ico", "image/x-icon"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"ttf", "font/ttf"},
      {"json", "application/json; charset=utf-8"},
      {"map", "application/json; charset=utf-8"},
      {"txt", "text/plain; charset=utf-8"},
      {"wasm", "application/wasm"},
      {"webmanifest", "application/manifest+json"},
      {"pdf", "application/pdf"},
  };
  for (const auto& [e, type] : kTypes)
    if (e == ext) return type;
  return "application/octet-stream";
}

std::shared_ptr<const StaticFiles::Entry> StaticFiles::Load(const std::string& rel) const {
  if (cache_) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(rel);
    if (it != entries_.end()) return it->second;
  }
  std::error_code ec;
  fs::path full = root_ / fs::path(rel);
  fs::file_status st = fs::status(full, ec);
  if (ec || !fs::is_regular_file(st)) return nullptr;
  // Refuse anything that resolves (e.g. through a symlink) outside the root.
  fs::path root_canon = fs::canonical(root_, ec);
  if (ec) return nullptr;
  fs::path canon = fs::canonical(full, ec);
  if (ec) return nullptr;
  auto [root_end, canon_it] =
      std::mismatch(root_canon.begin(), root_canon.end(), canon.begin(), canon.end());
  if (root_end != root_canon.end()) return nullptr;

  std::ifstream in(canon, std::ios::binary);
  if (!in) return nullptr;
  auto entry = std::make_shared<Entry>();
  entry->body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) return nullptr;
  entry->content_type = std::string(ContentType(rel));
  auto mtime = fs::last_write_time(canon, ec);
  char etag[64];
  std::snprintf(etag, sizeof etag, "\"%zx-%llx\"", entry->body.size(),
                ec ? 0ULL : static_cast<unsigned long long>(mtime.time_since_epoch().count()));
  entry->etag = etag;
  entry->cache_control = IsAssetPath(rel) ? "public, max-age=31536000, immutable" : "no-cache";
  if (cache_) {
    std::lock_guard lock(mu_);
    entries_.emplace(rel, entry);
  }
  return entry;
}

Response StaticFiles::Serve(const Request& req) const {
  if (req.method != "GET" && req.method != "HEAD") {
    Response res = JsonError(core::Status(core::Code::kInvalidArgument, "method_not_allowed",
                                          "静态文件只支持 GET 和 HEAD")
                                 .En("Static files support only GET and HEAD"),
                             req);
    res.status = 405;
    res.headers.emplace_back("Allow", "GET, HEAD");
    return res;
  }

  // Validate the path segment by segment.
  std::string_view path = req.path;
  if (path.find('\\') != std::string_view::npos || path.find('\0') != std::string_view::npos) {
    return JsonError(
        core::Status::Invalid("path", "路径无效", {}, "invalid_path").En("Invalid path"), req);
  }
  std::string rel;
  bool hidden = false;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view seg = path.substr(i, j - i);
    i = j + 1;
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      return JsonError(
          core::Status::Invalid("path", "路径无效", {}, "invalid_path").En("Invalid path"), req);
    }
    if (seg.front() == '.') hidden = true;
    if (!rel.empty()) rel.push_back('/');
    rel.append(seg);
  }

  std::shared_ptr<const Entry> entry;
  if (!hidden) entry = Load(rel.empty() ? std::string("index.html") : rel);
  if (!entry) {
    if (hidden || LastSegment(rel).find('.') != std::string_view::npos) {
      return JsonError(core::Status(core::Code::kNotFound, "file_not_found",
                                    "文件不存在：" + std::string(req.path), "path")
                           .En("File not found: " + std::string(req.path)),
                       req);
    }
    entry = Load("index.html");  // SPA route
  }
  if (!entry) {
    Response res;
    res.content_type = "text/html; charset=utf-8";
    res.headers.emplace_back("Cache-Control", "no-cache");
    res.body = kNotBuiltPage;
    return res;
  }

  Response res;
  res.content_type = entry->content_type;
  res.headers.reserve(2);
  res.headers.emplace_back("Cache-Control", entry->cache_control);
  res.headers.emplace_back("ETag", entry->etag);
  if (auto inm = req.header("if-none-match"); inm && EtagMatches(*inm, entry->etag)) {
    res.status = 304;
    return res;
  }
  res.body = entry->body;
  return res;
}

}  // namespace xietong::http
