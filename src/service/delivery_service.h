// Notifications away from the browser (issue 18): users' contact addresses and channel
// preferences, and the delivery worker that empties the outbox.
//
// Every notification row (Tx::InsertNotification/s) queues, in its own transaction, one delivery
// per channel its recipient wants for its class (urgent: red and 24-hour duties; routine: the
// rest) and has an address for. The worker (Start) claims due deliveries with a lease, sends
// them outside any transaction and records the outcome while it still holds the lease:
//   - sent → state "sent"; a failure → attempts+1 and a retry after backoff·2^(attempts-1)
//     (capped at max_backoff); after max_attempts → state "failed" (visible to the admin).
// Instances sharing a database never send the same delivery twice at once: a claim leases the
// row (FOR UPDATE SKIP LOCKED on PostgreSQL, one writer on SQLite); a crashed sender's lease
// runs out and the row is retried.
//
// Channels: email by SMTP (libcurl; STARTTLS required/optional/off, or implicit TLS) and an
// SMS/instant-message gateway webhook (HTTP POST of JSON, signed with HMAC-SHA256 over
// "<timestamp>.<body>" with a shared secret). A channel that is not configured leaves its
// deliveries pending (nothing is lost; configure it and they go).
//
//   DeliveryService d(store, clock, options);
//   d.Start();  ...  d.Stop();
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/object.hpp>

#include "core/clock.h"
#include "core/status.h"
#include "domain/notification.h"
#include "service/principal.h"
#include "storage/store.h"

namespace xietong::service {

enum class StartTls { kRequired, kOptional, kOff };

struct SmtpOptions {
  std::string host;  // empty: email not configured
  int port = 587;
  StartTls starttls = StartTls::kRequired;
  bool implicit_tls = false;  // smtps:// (port 465 usually); starttls is then irrelevant
  std::string user;
  std::string password;  // from --smtp-password-file or XT_SMTP_PASSWORD
  std::string from;      // envelope and From: address
  bool insecure = false;  // skip certificate verification (tests with a self-signed cert)
  std::string ca_file;    // extra CA bundle
};

struct WebhookOptions {
  std::string url;     // empty: SMS gateway not configured
  std::string secret;  // the shared HMAC key (from --webhook-secret-file)
};

struct DeliveryOptions {
  SmtpOptions smtp;
  WebhookOptions webhook;
  std::chrono::milliseconds poll_interval{1000};
  std::chrono::milliseconds lease{60000};
  std::chrono::milliseconds backoff{2000};       // first retry after this
  std::chrono::milliseconds max_backoff{3600000};
  int max_attempts = 8;
  int batch = 20;
  std::chrono::seconds send_timeout{20};
  std::string instance;  // lease owner name; a random one when empty
};

// Sends one delivery; returns ok or the error to record. Replaceable for tests.
using DeliverySender = std::function<core::Status(const domain::Delivery&)>;

struct DeliveryCounters {
  std::atomic<int64_t> sent_email{0}, sent_sms{0};
  std::atomic<int64_t> failed_attempts_email{0}, failed_attempts_sms{0};
  std::atomic<int64_t> given_up{0};
};

struct DeliveryPage {
  std::vector<domain::Delivery> items;  // newest first
  int64_t total = 0;
  int64_t pending = 0;          // pending rows in all (the backlog)
  int64_t failed_last_day = 0;  // rows given up on in the last 24 hours (the admin's red state)
};

class DeliveryService {
 public:
  DeliveryService(storage::Store& store, const core::Clock& clock, DeliveryOptions options = {});
  ~DeliveryService();
  DeliveryService(const DeliveryService&) = delete;
  DeliveryService& operator=(const DeliveryService&) = delete;

  // --- Contacts and preferences ---
  // The contact of `user_id` (defaults when never set). Allowed for the user and admins;
  // someone else's is not_found.
  core::Result<domain::UserContact> GetContact(const Principal& p, domain::Id user_id);
  // Replaces it (email/mobile validated; channel masks 0..3), with an audit entry.
  // Errors: not_found as above; invalid_argument naming the field.
  core::Result<domain::UserContact> PutContact(const Principal& p, domain::Id user_id,
                                               domain::UserContact c);

  // --- The admin's view (admins only; permission_denied otherwise) ---
  // `state`: "" (any), "pending", "sent", "failed".
  core::Result<DeliveryPage> List(const Principal& p, const std::string& state, int offset,
                                  int limit);

  // --- The worker ---
  void Start();  // idempotent
  void Stop();   // idempotent, joins
  // One round: claims due deliveries and sends them. Returns how many were attempted.
  core::Result<int> RunOnce();
  // Replaces the sender of a channel (tests).
  void SetSender(domain::Channel c, DeliverySender s);

  const DeliveryCounters& counters() const { return counters_; }
  // Pending and failed rows (for /metrics; read from the database).
  core::Result<std::pair<int64_t, int64_t>> Backlog();
  bool Configured(domain::Channel c) const;

 private:
  void Run();

  storage::Store& store_;
  const core::Clock& clock_;
  DeliveryOptions options_;
  DeliverySender email_;
  DeliverySender sms_;
  DeliveryCounters counters_;

  std::mutex run_mu_;
  std::condition_variable run_cv_;
  bool stop_ = false;
  std::thread thread_;
};

// {"id","notification_id","channel","address","state","attempts","next_at","last_error",
//  "created_at","sent_at","user","kind","title"}
boost::json::object DeliveryJson(const domain::Delivery& d);
// {"user_id","email","mobile","urgent_channels":[...],"routine_channels":[...],"updated_at"}
boost::json::object ContactJson(const domain::UserContact& c);

// The senders (delivery_senders.cc).
DeliverySender SmtpSender(const SmtpOptions& o, std::chrono::seconds timeout);
DeliverySender WebhookSender(const WebhookOptions& o, std::chrono::seconds timeout);
// Hex HMAC-SHA256 of "<timestamp>.<body>" with `secret` (the webhook's X-Xietong-Signature).
std::string WebhookSignature(const std::string& secret, const std::string& timestamp,
                             const std::string& body);

}  // namespace xietong::service
