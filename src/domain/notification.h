// Notifications to people (deadline warnings, items addressed to their org). Pure value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"
#include "domain/org.h"

namespace xietong::domain {

struct Notification {
  Id id = 0;
  Id user_id = 0;
  std::string kind;  // "duty.yellow", "duty.red", …
  std::string title;
  std::string body;
  std::string object_type;
  std::string object_id;
  std::string dedupe_key;  // unique per user: the same event never notifies a person twice
  core::Instant created_at{};
  std::optional<core::Instant> read_at;
  // Not stored: the notification's class for delivery away from the browser (issue 18). Urgent:
  // red duties and duties counted in hours (24-hour duties); everything else is routine. Set by
  // whoever makes the notification; UrgentKind() gives the default by kind.
  bool urgent = false;
};

// "duty.red" and kinds ending in ".urgent" are urgent whoever makes them.
inline bool UrgentKind(std::string_view kind) {
  return kind == "duty.red" || (kind.size() > 7 && kind.substr(kind.size() - 7) == ".urgent");
}

// Delivery channels away from the browser; a user's preferences are masks of these bits.
enum class Channel : int { kEmail = 1, kSms = 2 };
inline constexpr int kAllChannels = 3;
inline const char* ChannelName(Channel c) { return c == Channel::kEmail ? "email" : "sms"; }

// A user's contact addresses and, per notification class, the channels wanted (bit masks of
// Channel). A channel is used only when its address is set. Defaults (no row): urgent → SMS,
// routine → email.
struct UserContact {
  Id user_id = 0;
  std::string email;
  std::string mobile;
  int urgent_channels = static_cast<int>(Channel::kSms);
  int routine_channels = static_cast<int>(Channel::kEmail);
  core::Instant updated_at{};
};

enum class DeliveryState : int { kPending = 0, kSent = 1, kFailed = 2 };
inline const char* DeliveryStateName(DeliveryState s) {
  return s == DeliveryState::kPending ? "pending" : s == DeliveryState::kSent ? "sent" : "failed";
}

// One notification to be sent on one channel (the outbox row), with the notification and its
// recipient's username joined in when read.
struct Delivery {
  Id id = 0;
  Id notification_id = 0;
  Channel channel = Channel::kEmail;
  std::string address;  // email address or mobile number
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;
  core::Instant next_at{};
  std::string last_error;
  core::Instant created_at{};
  std::optional<core::Instant> sent_at;
  Notification note;     // joined
  std::string username;  // joined: the recipient
};

}  // namespace xietong::domain
