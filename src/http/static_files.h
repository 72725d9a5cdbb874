// StaticFiles: serves the built single-page web app (web/dist) over GET and HEAD.
//
// - Existing files get their content type by extension, an ETag (If-None-Match -> 304) and
//   Cache-Control "public, max-age=31536000, immutable" under /assets/ (hashed names),
//   "no-cache" elsewhere (index.html, favicon.ico, ...).
// - Paths that name no file and whose last segment has no '.' ("/referrals/12") get
//   index.html, so the SPA's router can take over. Missing files with an extension
//   ("/assets/gone.js", "/x.png") get a 404 JSON error rather than HTML in the wrong type.
// - ".." segments, backslashes and NUL are refused (400 "invalid_path"); dot-files and
//   anything resolving (through symlinks) outside the root are 404.
// - Without an index.html in the root, a small Chinese page says the web UI was not built.
// - Other methods get 405 with "Allow: GET, HEAD". (The server omits the body for HEAD.)
// File contents are cached in memory after the first read (unless `cache` is false).
//
//   StaticFiles files("/opt/xietong/web");
//   router.SetFallback([&files](Request& req) { return files.Serve(req); });
//
// Thread safety: Serve() is thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/request.h"

namespace xietong::http {

class StaticFiles {
 public:
  // `root`: the directory holding index.html and assets/. It need not exist yet.
  // `cache`: keep file contents in memory after the first read (turn off while developing).
  explicit StaticFiles(std::filesystem::path root, bool cache = true);
  ~StaticFiles();
  StaticFiles(const StaticFiles&) = delete;
  StaticFiles& operator=(const StaticFiles&) = delete;

  // The response for `req` (uses req.method, req.path and If-None-Match), as described above.
  Response Serve(const Request& req) const;

  // The Content-Type for a file name by its extension (html, js, mjs, css, svg, png, jpg,
  // webp, gif, ico, woff, woff2, ttf, json, map, txt, wasm, webmanifest, pdf); otherwise
  // "application/octet-stream".
  static std::string_view ContentType(std::string_view filename);

 private:
  struct Entry;
  // The file at `rel` (relative to root, no leading '/'), from cache or disk; nullptr if it
  // does not exist, is not a regular file or resolves outside the root.
  std::shared_ptr<const Entry> Load(const std::string& rel) const;

  std::filesystem::path root_;
  bool cache_;
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, std::shared_ptr<const Entry>> entries_;
};

}  // namespace xietong::http
