// The delivery channels of delivery_service.h: SMTP and the SMS gateway webhook, by libcurl.
#include <curl/curl.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

#include "service/delivery_service.h"

namespace xietong::service {

namespace json = boost::json;
using core::Status;

namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Easy {
  CURL* h = curl_easy_init();
  curl_slist* list = nullptr;
  ~Easy() {
    if (list) curl_slist_free_all(list);
    if (h) curl_easy_cleanup(h);
  }
};

struct Source {
  const std::string* data;
  size_t pos = 0;
};

size_t ReadCb(char* buf, size_t size, size_t n, void* user) {
  auto* s = static_cast<Source*>(user);
  const size_t left = s->data->size() - s->pos;
  const size_t k = std::min(left, size * n);
  std::memcpy(buf, s->data->data() + s->pos, k);
  s->pos += k;
  return k;
}

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

// RFC 2047 encoded-word for a UTF-8 header value.
std::string EncodedWord(const std::string& s) {
  std::string out(sodium_base64_encoded_len(s.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(s.data()),
                    s.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return "=?UTF-8?B?" + out + "?=";
}

std::string Base64Lines(const std::string& s) {
  std::string b(sodium_base64_encoded_len(s.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b.data(), b.size(), reinterpret_cast<const unsigned char*>(s.data()), s.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  b.resize(std::strlen(b.c_str()));
  std::string out;
  for (size_t i = 0; i < b.size(); i += 76) out += b.substr(i, 76) + "\r\n";
  return out;
}

Status CurlError(const char* what, CURLcode rc, const char* detail) {
  std::string m = std::string(what) + ": " + curl_easy_strerror(rc);
  if (detail && *detail) m += " (" + std::string(detail) + ")";
  return Status::Unavailable(m);
}

}  // namespace

std::string WebhookSignature(const std::string& secret, const std::string& timestamp,
                             const std::string& body) {
  const std::string msg = timestamp + "." + body;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(msg.data()),
                                msg.size());
  crypto_auth_hmacsha256_final(&st, mac);
  char hex[sizeof mac * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

DeliverySender SmtpSender(const SmtpOptions& o, std::chrono::seconds timeout) {
  GlobalInit();
  return [o, timeout](const domain::Delivery& d) -> Status {
    Easy e;
    if (!e.h) return Status::Internal("curl_easy_init failed");
    const std::string url = std::string(o.implicit_tls ? "smtps://" : "smtp://") + o.host + ":" +
                            std::to_string(o.port);
    const std::string from = "<" + o.from + ">";
    const std::string to = "<" + d.address + ">";
    std::string text = d.note.title + "\r\n\r\n" + d.note.body + "\r\n";
    const std::string msg_id = "<xt-" + std::to_string(d.id) + "@xietong>";
    std::string mail = "From: " + EncodedWord("协同平台") + " <" + o.from + ">\r\n" +
                       "To: <" + d.address + ">\r\n" + "Subject: " + EncodedWord(d.note.title) +
                       "\r\n" + "Message-ID: " + msg_id + "\r\n" +
                       "X-Xietong-Delivery: " + std::to_string(d.id) + "\r\n" +
                       "MIME-Version: 1.0\r\n" +
                       "Content-Type: text/plain; charset=UTF-8\r\n" +
                       "Content-Transfer-Encoding: base64\r\n\r\n" + Base64Lines(text);
    Source src{&mail};
    char err[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(e.h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(e.h, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(e.h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e.h, CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
    curl_easy_setopt(e.h, CURLOPT_CONNECTTIMEOUT, static_cast<long>(timeout.count()));
    if (!o.implicit_tls) {
      curl_easy_setopt(e.h, CURLOPT_USE_SSL,
                       o.starttls == StartTls::kRequired   ? static_cast<long>(CURLUSESSL_ALL)
                       : o.starttls == StartTls::kOptional ? static_cast<long>(CURLUSESSL_TRY)
                                                           : static_cast<long>(CURLUSESSL_NONE));
    }
    if (o.insecure) {
      curl_easy_setopt(e.h, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(e.h, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (!o.ca_file.empty()) curl_easy_setopt(e.h, CURLOPT_CAINFO, o.ca_file.c_str());
    if (!o.user.empty()) {
      curl_easy_setopt(e.h, CURLOPT_USERNAME, o.user.c_str());
      curl_easy_setopt(e.h, CURLOPT_PASSWORD, o.password.c_str());
    }
    curl_easy_setopt(e.h, CURLOPT_MAIL_FROM, from.c_str());
    e.list = curl_slist_append(e.list, to.c_str());
    curl_easy_setopt(e.h, CURLOPT_MAIL_RCPT, e.list);
    curl_easy_setopt(e.h, CURLOPT_READFUNCTION, ReadCb);
    curl_easy_setopt(e.h, CURLOPT_READDATA, &src);
    curl_easy_setopt(e.h, CURLOPT_UPLOAD, 1L);
    const CURLcode rc = curl_easy_perform(e.h);
    if (rc != CURLE_OK) return CurlError("smtp", rc, err);
    return Status::Ok();
  };
}

DeliverySender WebhookSender(const WebhookOptions& o, std::chrono::seconds timeout) {
  GlobalInit();
  return [o, timeout](const domain::Delivery& d) -> Status {
    Easy e;
    if (!e.h) return Status::Internal("curl_easy_init failed");
    json::object m;
    m["id"] = std::to_string(d.id);  // the gateway's idempotency key
    m["notification_id"] = d.notification_id;
    m["to"] = d.address;
    m["user"] = d.username;
    m["kind"] = d.note.kind;
    m["title"] = d.note.title;
    m["text"] = d.note.title + "\n" + d.note.body;
    m["object_type"] = d.note.object_type;
    m["object_id"] = d.note.object_id;
    m["created_at"] = core::FormatInstant(d.note.created_at);
    const std::string body = json::serialize(m);
    const std::string ts = std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(
            std::chrono::system_clock::now().time_since_epoch())
            .count());
    const std::string sig = WebhookSignature(o.secret, ts, body);
    e.list = curl_slist_append(e.list, "Content-Type: application/json; charset=utf-8");
    e.list = curl_slist_append(e.list, ("X-Xietong-Timestamp: " + ts).c_str());
    e.list = curl_slist_append(e.list, ("X-Xietong-Signature: sha256=" + sig).c_str());
    e.list = curl_slist_append(e.list, ("X-Xietong-Delivery: " + std::to_string(d.id)).c_str());
    e.list = curl_slist_append(e.list, "Expect:");
    char err[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(e.h, CURLOPT_URL, o.url.c_str());
    curl_easy_setopt(e.h, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(e.h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e.h, CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
    curl_easy_setopt(e.h, CURLOPT_HTTPHEADER, e.list);
    curl_easy_setopt(e.h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(e.h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(e.h, CURLOPT_WRITEFUNCTION, Discard);
    const CURLcode rc = curl_easy_perform(e.h);
    if (rc != CURLE_OK) return CurlError("webhook", rc, err);
    long code = 0;
    curl_easy_getinfo(e.h, CURLINFO_RESPONSE_CODE, &code);
    if (code < 200 || code > 299) return Status::Unavailable("webhook: HTTP " + std::to_string(code));
    return Status::Ok();
  };
}

}  // namespace xietong::service
