#include "service/delivery_service.h"

#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <utility>

#include "service/audit_log.h"

namespace xietong::service {

namespace json = boost::json;
using core::Result;
using core::Status;
using domain::Channel;
using domain::Delivery;
using domain::DeliveryState;
using domain::Id;
using domain::UserContact;

namespace {

constexpr const char* kRule = "R-ACC-1";

json::array ChannelList(int mask) {
  json::array a;
  if (mask & static_cast<int>(Channel::kEmail)) a.emplace_back("email");
  if (mask & static_cast<int>(Channel::kSms)) a.emplace_back("sms");
  return a;
}

bool ValidEmail(const std::string& s) {
  if (s.empty()) return true;
  const auto at = s.find('@');
  if (s.size() > 254 || at == std::string::npos || at == 0 || at + 1 >= s.size()) return false;
  if (s.find('@', at + 1) != std::string::npos) return false;
  if (s.find('.', at) == std::string::npos) return false;
  for (unsigned char ch : s)
    if (ch <= ' ' || ch == '<' || ch == '>' || ch == ',' || ch == ';' || ch == '"' || ch == 0x7f)
      return false;  // nothing that could break an SMTP command or header
  return true;
}

bool ValidMobile(const std::string& s) {
  if (s.empty()) return true;
  size_t i = s[0] == '+' ? 1 : 0;
  if (s.size() - i < 5 || s.size() - i > 20) return false;
  for (; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

std::string RandomName() {
  unsigned char b[6];
  randombytes_buf(b, sizeof b);
  static const char* hex = "0123456789abcdef";
  std::string s = "xt-";
  for (unsigned char c : b) {
    s += hex[c >> 4];
    s += hex[c & 15];
  }
  return s;
}

}  // namespace

json::object ContactJson(const UserContact& c) {
  json::object o;
  o["user_id"] = c.user_id;
  o["email"] = c.email;
  o["mobile"] = c.mobile;
  o["urgent_channels"] = ChannelList(c.urgent_channels);
  o["routine_channels"] = ChannelList(c.routine_channels);
  o["updated_at"] = c.updated_at == core::Instant{} ? json::value(nullptr)
                                                    : json::value(core::FormatInstant(c.updated_at));
  return o;
}

json::object DeliveryJson(const Delivery& d) {
  json::object o;
  o["id"] = d.id;
  o["notification_id"] = d.notification_id;
  o["channel"] = domain::ChannelName(d.channel);
  o["address"] = d.address;
  o["state"] = domain::DeliveryStateName(d.state);
  o["attempts"] = d.attempts;
  o["next_at"] = d.state == DeliveryState::kPending ? json::value(core::FormatInstant(d.next_at))
                                                    : json::value(nullptr);
  o["failed_at"] = d.state == DeliveryState::kFailed ? json::value(core::FormatInstant(d.next_at))
                                                     : json::value(nullptr);
  o["last_error"] = d.last_error;
  o["created_at"] = core::FormatInstant(d.created_at);
  o["sent_at"] = d.sent_at ? json::value(core::FormatInstant(*d.sent_at)) : json::value(nullptr);
  o["user"] = d.username;
  o["kind"] = d.note.kind;
  o["title"] = d.note.title;
  return o;
}

DeliveryService::DeliveryService(storage::Store& store, const core::Clock& clock,
                                 DeliveryOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {
  if (options_.instance.empty()) options_.instance = RandomName();
  if (options_.batch < 1) options_.batch = 1;
  if (options_.max_attempts < 1) options_.max_attempts = 1;
  if (!options_.smtp.host.empty()) email_ = SmtpSender(options_.smtp, options_.send_timeout);
  if (!options_.webhook.url.empty()) sms_ = WebhookSender(options_.webhook, options_.send_timeout);
}

DeliveryService::~DeliveryService() { Stop(); }

bool DeliveryService::Configured(Channel c) const {
  return c == Channel::kEmail ? static_cast<bool>(email_) : static_cast<bool>(sms_);
}

void DeliveryService::SetSender(Channel c, DeliverySender s) {
  (c == Channel::kEmail ? email_ : sms_) = std::move(s);
}

Result<UserContact> DeliveryService::GetContact(const Principal& p, Id user_id) {
  if (p.user.id != user_id && !(p.IsAdmin() && p.SeesAll())) return Status::NotFound("user");
  UserContact out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_RETURN_IF_ERROR(tx.GetUser(user_id).status());
    XT_ASSIGN_OR_RETURN(auto c, tx.GetUserContact(user_id));
    if (c) out = *c;
    out.user_id = user_id;
    return Status::Ok();
  }));
  return out;
}

Result<UserContact> DeliveryService::PutContact(const Principal& p, Id user_id, UserContact c) {
  if (p.user.id != user_id && !(p.IsAdmin() && p.SeesAll())) return Status::NotFound("user");
  if (!ValidEmail(c.email))
    return Status::Invalid("email", "电子邮箱格式不正确").En("invalid email address");
  if (!ValidMobile(c.mobile))
    return Status::Invalid("mobile", "手机号码格式不正确").En("invalid mobile number");
  if (c.urgent_channels < 0 || c.urgent_channels > domain::kAllChannels)
    return Status::Invalid("urgent_channels", "通知渠道不正确").En("invalid channels");
  if (c.routine_channels < 0 || c.routine_channels > domain::kAllChannels)
    return Status::Invalid("routine_channels", "通知渠道不正确").En("invalid channels");
  c.user_id = user_id;
  c.updated_at = clock_.Now();
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(domain::User u, tx.GetUser(user_id));
    XT_RETURN_IF_ERROR(tx.PutUserContact(c));
    json::object detail = ContactJson(c);
    detail.erase("updated_at");
    return Record(tx, &p, c.updated_at,
                  AuditRecord{"user.contact", "user", std::to_string(user_id),
                              "设置通知渠道 " + u.username, std::move(detail)});
  }));
  return c;
}

Result<DeliveryPage> DeliveryService::List(const Principal& p, const std::string& state,
                                           int offset, int limit) {
  // The outbox is the deployment's: administrators scoped to a region do not see it (R-ACC-2).
  if (!p.IsAdmin() || !p.SeesAll())
    return Status::Denied("仅系统管理员可查看通知投递", kRule).En("Only administrators may see deliveries");
  int s = -1;
  if (state == "pending") s = 0;
  else if (state == "sent") s = 1;
  else if (state == "failed") s = 2;
  else if (!state.empty()) return Status::Invalid("state", "状态应为 pending、sent 或 failed").En("state must be pending, sent or failed");
  if (offset < 0) return Status::Invalid("page", "页码不正确").En("invalid page");
  if (limit < 1 || limit > 200) return Status::Invalid("page_size", "每页条数应为 1–200").En("page_size must be 1..200");
  DeliveryPage page;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(page.items, tx.ListDeliveries(s, offset, limit));
    XT_ASSIGN_OR_RETURN(page.total, tx.CountDeliveries(s));
    XT_ASSIGN_OR_RETURN(page.pending, tx.CountDeliveries(0));
    // Failed rows are few (a row fails for good only after max_attempts); the newest 1000 hold
    // every one of the last day in practice.
    XT_ASSIGN_OR_RETURN(std::vector<Delivery> failed, tx.ListDeliveries(2, 0, 1000));
    const core::Instant since = clock_.Now() - std::chrono::hours(24);
    for (const auto& d : failed)
      if (d.next_at >= since) ++page.failed_last_day;
    return Status::Ok();
  }));
  return page;
}

Result<std::pair<int64_t, int64_t>> DeliveryService::Backlog() {
  std::pair<int64_t, int64_t> out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(out.first, tx.CountDeliveries(0));
    XT_ASSIGN_OR_RETURN(out.second, tx.CountDeliveries(2));
    return Status::Ok();
  }));
  return out;
}

Result<int> DeliveryService::RunOnce() {
  const core::Instant now = clock_.Now();
  const auto lease_until = now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.lease);
  std::vector<Delivery> claimed;
  XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(claimed, tx.ClaimDeliveries(now, lease_until, options_.instance,
                                                    options_.batch));
    return Status::Ok();
  }));
  int attempted = 0;
  for (Delivery& d : claimed) {
    const DeliverySender& send = d.channel == Channel::kEmail ? email_ : sms_;
    Status st = send ? send(d)
                     : Status::Unavailable(std::string("渠道未配置 channel not configured: ") +
                                           domain::ChannelName(d.channel));
    const bool configured = static_cast<bool>(send);
    const core::Instant done = clock_.Now();
    if (st.ok()) {
      d.state = DeliveryState::kSent;
      d.sent_at = done;
      d.last_error.clear();
      d.attempts += 1;
      (d.channel == Channel::kEmail ? counters_.sent_email : counters_.sent_sms) += 1;
    } else if (!configured) {
      // Not an attempt: wait for the channel to be configured (checked again after a minute).
      d.last_error = st.message();
      d.next_at = done + std::chrono::minutes(1);
    } else {
      d.attempts += 1;
      d.last_error = st.message().substr(0, 500);
      (d.channel == Channel::kEmail ? counters_.failed_attempts_email
                                    : counters_.failed_attempts_sms) += 1;
      if (d.attempts >= options_.max_attempts) {
        d.state = DeliveryState::kFailed;
        d.next_at = done;  // a failed row's next_at records when it was given up
        counters_.given_up += 1;
      } else {
        auto wait = options_.backoff * (int64_t{1} << std::min(d.attempts - 1, 20));
        wait = std::min(wait, options_.max_backoff);
        d.next_at = done + std::chrono::duration_cast<std::chrono::milliseconds>(wait);
      }
    }
    if (configured) ++attempted;
    XT_RETURN_IF_ERROR(store_.Write([&](storage::Tx& tx) -> Status {
      return tx.FinishDelivery(d, options_.instance).status();
    }));
  }
  return attempted;
}

void DeliveryService::Start() {
  std::lock_guard lock(run_mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void DeliveryService::Stop() {
  {
    std::lock_guard lock(run_mu_);
    stop_ = true;
  }
  run_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DeliveryService::Run() {
  for (;;) {
    auto r = RunOnce();
    const bool busy = r.ok() && *r >= options_.batch;
    std::unique_lock lock(run_mu_);
    if (stop_) return;
    if (busy) continue;
    run_cv_.wait_for(lock, options_.poll_interval, [this] { return stop_; });
    if (stop_) return;
  }
}

}  // namespace xietong::service
