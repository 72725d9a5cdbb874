// The delivery worker (issue 18): retries with exponential back-off, giving up after
// max_attempts, contact access and validation, and the webhook signature.
#include "service/delivery_service.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "service/test_util.h"

namespace xietong::service {
namespace {

using testing::Fixture;

template <typename T>
T Must(core::Result<T> r) {
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) throw std::runtime_error(r.status().ToString());
  return std::move(r).value();
}

struct DeliveryFixture : Fixture {
  DeliveryOptions Options() {
    DeliveryOptions o;
    o.backoff = std::chrono::milliseconds(1000);
    o.max_attempts = 3;
    o.instance = "test";
    return o;
  }
  domain::Id Notify(domain::Id user, const std::string& key, const std::string& kind = "x.routine") {
    domain::Notification n;
    n.user_id = user;
    n.kind = kind;
    n.title = "标题";
    n.body = "内容";
    n.object_type = "duty";
    n.object_id = "1";
    n.dedupe_key = key;
    n.created_at = clock.Now();
    domain::Id id = 0;
    auto st = store->Write([&](storage::Tx& tx) -> core::Status {
      XT_ASSIGN_OR_RETURN(auto got, tx.InsertNotification(n));
      id = got.value_or(0);
      return core::Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return id;
  }
};

TEST(DeliveryService, RetriesWithBackoffThenGivesUpAndCountsIt) {
  DeliveryFixture f;
  DeliveryService d(*f.store, f.clock, f.Options());
  int calls = 0;
  bool fail = true;
  d.SetSender(domain::Channel::kEmail, [&](const domain::Delivery& x) {
    ++calls;
    EXPECT_EQ(x.address, "officer@county.example");
    return fail ? core::Status::Unavailable("smtp: refused") : core::Status::Ok();
  });
  domain::UserContact c;
  c.email = "officer@county.example";
  c.routine_channels = static_cast<int>(domain::Channel::kEmail);
  Must(d.PutContact(f.xincheng_officer, f.xincheng_officer.user.id, c));
  f.Notify(f.xincheng_officer.user.id, "k1");

  EXPECT_EQ(Must(d.RunOnce()), 1);  // attempt 1 fails: next after 1 s
  EXPECT_EQ(Must(d.RunOnce()), 0);  // not due yet
  f.clock.Advance(std::chrono::milliseconds(999));
  EXPECT_EQ(Must(d.RunOnce()), 0);
  f.clock.Advance(std::chrono::milliseconds(1));
  EXPECT_EQ(Must(d.RunOnce()), 1);  // attempt 2 fails: next after 2 s
  f.clock.Advance(std::chrono::milliseconds(1999));
  EXPECT_EQ(Must(d.RunOnce()), 0);
  f.clock.Advance(std::chrono::milliseconds(1));
  EXPECT_EQ(Must(d.RunOnce()), 1);  // attempt 3 fails: given up
  f.clock.Advance(std::chrono::hours(1));
  EXPECT_EQ(Must(d.RunOnce()), 0);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(d.counters().failed_attempts_email.load(), 3);
  EXPECT_EQ(d.counters().given_up.load(), 1);
  auto page = Must(d.List(f.admin, "failed", 0, 20));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].attempts, 3);
  EXPECT_EQ(page.items[0].last_error, "smtp: refused");
  // The failed row records when it was given up (an hour ago); the admin's red state lasts a day.
  EXPECT_EQ(page.failed_last_day, 1);
  EXPECT_EQ(page.pending, 0);
  f.clock.Advance(std::chrono::hours(23) + std::chrono::seconds(1));
  EXPECT_EQ(Must(d.List(f.admin, "", 0, 20)).failed_last_day, 0);

  // A second notification goes through at once and is not sent again.
  fail = false;
  f.Notify(f.xincheng_officer.user.id, "k2");
  EXPECT_EQ(Must(d.RunOnce()), 1);
  f.clock.Advance(std::chrono::hours(1));
  EXPECT_EQ(Must(d.RunOnce()), 0);
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(d.counters().sent_email.load(), 1);
  EXPECT_EQ(Must(d.List(f.admin, "sent", 0, 20)).total, 1);
}

TEST(DeliveryService, AnUnconfiguredChannelKeepsDeliveriesPendingWithoutUsingAttempts) {
  DeliveryFixture f;
  DeliveryService d(*f.store, f.clock, f.Options());
  domain::UserContact c;
  c.mobile = "13900000001";
  c.urgent_channels = static_cast<int>(domain::Channel::kSms);
  Must(d.PutContact(f.xincheng_officer, f.xincheng_officer.user.id, c));
  f.Notify(f.xincheng_officer.user.id, "red", "duty.red");
  EXPECT_EQ(Must(d.RunOnce()), 0);
  auto page = Must(d.List(f.admin, "pending", 0, 20));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].attempts, 0);
  EXPECT_NE(page.items[0].last_error.find("channel not configured: sms"), std::string::npos);
}

TEST(DeliveryService, ContactsAreOwnOrAdminAndValidated) {
  DeliveryFixture f;
  DeliveryService d(*f.store, f.clock, f.Options());
  const domain::Id me = f.xincheng_officer.user.id;
  auto defaults = Must(d.GetContact(f.xincheng_officer, me));
  EXPECT_EQ(defaults.urgent_channels, static_cast<int>(domain::Channel::kSms));
  EXPECT_EQ(defaults.routine_channels, static_cast<int>(domain::Channel::kEmail));
  EXPECT_EQ(d.GetContact(f.liuzu_officer, me).status().code(), core::Code::kNotFound);
  EXPECT_TRUE(d.GetContact(f.admin, me).ok());
  domain::UserContact bad;
  bad.email = "a b@c.d";
  EXPECT_EQ(d.PutContact(f.xincheng_officer, me, bad).status().field(), "email");
  bad.email = "";
  bad.mobile = "1390000000x";
  EXPECT_EQ(d.PutContact(f.xincheng_officer, me, bad).status().field(), "mobile");
  EXPECT_EQ(d.PutContact(f.liuzu_officer, me, {}).status().code(), core::Code::kNotFound);
  EXPECT_EQ(d.List(f.xincheng_officer, "", 0, 20).status().code(), core::Code::kPermissionDenied);
}

TEST(DeliveryService, WebhookSignatureIsHmacSha256OfTimestampDotBody) {
  // An HMAC-SHA256 computed independently:
  // Checked against: printf 'what do ya want .for nothing?' | openssl dgst -sha256 -hmac Jefe
  EXPECT_EQ(WebhookSignature("Jefe", "what do ya want ", "for nothing?"),
            "83fb3421ec48dc8ee8cd58e1f03bb1f80ae0110c64a82771c98a0cea22cecdd2");
}

}  // namespace
}  // namespace xietong::service
