// CollabItemRegistry with in-memory sources (our own interface, not storage): query validation
// naming the field, filtering by type, merging, the order (created_at desc, type, id desc),
// paging, the per-source bound and the CSV export. The real sources are exercised end to end by
// tests/http/collab_items.test.mjs.
#include "service/collab_items.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "service/csv.h"

namespace xietong::service {
namespace {

core::Instant At(const char* text) { return *core::ParseInstant(text); }

CollabItem Item(const std::string& type, domain::Id id, const char* created,
                std::string state = "open") {
  CollabItem it;
  it.type = type;
  it.id = id;
  it.title = type + " " + std::to_string(id);
  it.from_org = {1, "xincheng", "新城镇"};
  it.to_org = CollabItemOrg{2, "scjg", "县市场监督管理局"};
  it.state = std::move(state);
  it.state_label = "待研究处置";
  it.created_at = At(created);
  it.url = "/" + type + "s/" + std::to_string(id);
  return it;
}

// Returns its items as given (newest first), filtered by state/colour/q like a real source;
// records the filters it was asked with.
class FakeSource : public CollabItemSource {
 public:
  FakeSource(std::string type, std::vector<CollabItem> items,
             std::vector<std::string> states = {"open", "closed"})
      : type_(std::move(type)), items_(std::move(items)), states_(std::move(states)) {}
  std::string_view Type() const override { return type_; }
  std::string_view TypeLabelZh() const override {
    return type_ == "notice" ? "隐患通报" : "执法协作文书";
  }
  bool HasState(std::string_view s) const override {
    return std::find(states_.begin(), states_.end(), s) != states_.end();
  }
  core::Result<CollabItemSlice> List(const Principal&, const CollabItemFilter& f,
                                     int limit) override {
    ++calls;
    last = f;
    last_limit = limit;
    if (fail) return core::Status::Internal("boom");
    CollabItemSlice out;
    for (const auto& it : items_) {
      if (!f.state.empty() && it.state != f.state) continue;
      if (f.colour != domain::Colour::kNone && it.colour != f.colour) continue;
      if (!f.q.empty() && it.title.find(f.q) == std::string::npos) continue;
      ++out.total;
      if (ignore_limit || static_cast<int>(out.items.size()) < limit) out.items.push_back(it);
    }
    return out;
  }
  int calls = 0;
  bool fail = false;
  bool ignore_limit = false;  // a source returning more than asked
  CollabItemFilter last;
  int last_limit = -1;

 private:
  std::string type_;
  std::vector<CollabItem> items_;
  std::vector<std::string> states_;
};

struct RegistryTest : ::testing::Test {
  std::shared_ptr<FakeSource> collabs = std::make_shared<FakeSource>(
      "collaboration",
      std::vector<CollabItem>{Item("collaboration", 12, "2026-11-25T10:00:00+08:00", "sent"),
                              Item("collaboration", 11, "2026-11-24T09:00:00+08:00", "closed")},
      std::vector<std::string>{"draft", "sent", "closed"});
  std::shared_ptr<FakeSource> notices = std::make_shared<FakeSource>(
      "notice", std::vector<CollabItem>{Item("notice", 4, "2026-11-25T10:00:00+08:00"),
                                        Item("notice", 3, "2026-11-25T08:00:00+08:00"),
                                        Item("notice", 2, "2026-11-23T09:00:00+08:00", "closed")});
  CollabItemRegistry registry;
  Principal p;

  RegistryTest() {
    registry.Register(collabs);
    registry.Register(notices);
  }

  std::vector<std::string> Keys(const CollabItemQuery& q) {
    auto page = registry.List(p, q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<std::string> out;
    if (page.ok()) {
      for (const auto& it : page->items) out.push_back(it.type + ":" + std::to_string(it.id));
    }
    return out;
  }
};

TEST_F(RegistryTest, MergesNewestFirstThenTypeThenId) {
  // Same created_at (10:00): "collaboration" sorts before "notice".
  EXPECT_EQ(Keys({}), (std::vector<std::string>{"collaboration:12", "notice:4", "notice:3",
                                                "collaboration:11", "notice:2"}));
  auto page = registry.List(p, {});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 5);
}

TEST_F(RegistryTest, SameInstantSameTypeNewerIdFirst) {
  CollabItemRegistry r;
  r.Register(std::make_shared<FakeSource>(
      "notice", std::vector<CollabItem>{Item("notice", 7, "2026-11-25T10:00:00+08:00"),
                                        Item("notice", 9, "2026-11-25T10:00:00+08:00")}));
  auto page = r.List(p, {});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, 9);
  EXPECT_EQ(page->items[1].id, 7);
}

TEST_F(RegistryTest, TypeFilterAsksOnlyThatSource) {
  EXPECT_EQ(Keys({.type = "notice"}),
            (std::vector<std::string>{"notice:4", "notice:3", "notice:2"}));
  EXPECT_EQ(collabs->calls, 0);
  EXPECT_EQ(notices->calls, 1);
  EXPECT_EQ(notices->last.type, "notice");
  // "all" is every type.
  EXPECT_EQ(Keys({.type = "all"}).size(), 5u);
}

TEST_F(RegistryTest, PassesValidatedFiltersToSources) {
  auto page = registry.List(p, {.direction = "in", .state = "closed", .colour = "red", .q = "x"});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(notices->last.direction, CollabDirection::kIn);
  EXPECT_EQ(notices->last.state, "closed");
  EXPECT_EQ(notices->last.colour, domain::Colour::kRed);
  EXPECT_EQ(notices->last.q, "x");
  ASSERT_TRUE(registry.List(p, {.direction = "out"}).ok());
  EXPECT_EQ(collabs->last.direction, CollabDirection::kOut);
  ASSERT_TRUE(registry.List(p, {.direction = "all"}).ok());
  EXPECT_EQ(collabs->last.direction, CollabDirection::kAll);
}

TEST_F(RegistryTest, StateAndTextFiltersOfTheSourcesApply) {
  EXPECT_EQ(Keys({.state = "closed"}), (std::vector<std::string>{"collaboration:11", "notice:2"}));
  EXPECT_EQ(Keys({.q = "notice 3"}), (std::vector<std::string>{"notice:3"}));
}

TEST_F(RegistryTest, Pages) {
  EXPECT_EQ(Keys({.page = 1, .page_size = 2}),
            (std::vector<std::string>{"collaboration:12", "notice:4"}));
  EXPECT_EQ(Keys({.page = 2, .page_size = 2}),
            (std::vector<std::string>{"notice:3", "collaboration:11"}));
  EXPECT_EQ(Keys({.page = 3, .page_size = 2}), (std::vector<std::string>{"notice:2"}));
  auto beyond = registry.List(p, {.page = 4, .page_size = 2});
  ASSERT_TRUE(beyond.ok());
  EXPECT_TRUE(beyond->items.empty());
  EXPECT_EQ(beyond->total, 5);
}

void ExpectInvalid(const core::Result<CollabItemPage>& r, const char* field) {
  ASSERT_FALSE(r.ok()) << field;
  EXPECT_EQ(r.status().code(), core::Code::kInvalidArgument) << field;
  EXPECT_EQ(r.status().field(), field);
}

TEST_F(RegistryTest, RefusalsNameTheField) {
  ExpectInvalid(registry.List(p, {.type = "meeting"}), "type");  // not registered here
  ExpectInvalid(registry.List(p, {.type = "bogus"}), "type");
  ExpectInvalid(registry.List(p, {.direction = "sideways"}), "direction");
  ExpectInvalid(registry.List(p, {.state = "nonsense"}), "state");
  // A state of another type than the one asked for.
  ExpectInvalid(registry.List(p, {.type = "notice", .state = "sent"}), "state");
  ExpectInvalid(registry.List(p, {.colour = "blue"}), "colour");
  EXPECT_EQ(registry.List(p, {.colour = "blue"}).status().rule(), "R-TIME-4");
  ExpectInvalid(registry.List(p, {.colour = "none"}), "colour");
  ExpectInvalid(registry.List(p, {.q = std::string(101, 'a')}), "q");
  ExpectInvalid(registry.List(p, {.page = 0}), "page");
  ExpectInvalid(registry.List(p, {.page_size = 201}), "page_size");
  ExpectInvalid(registry.List(p, {.page_size = 0}), "page_size");
  EXPECT_EQ(collabs->calls + notices->calls, 0) << "refused before asking any source";
  // 100 characters (Chinese) are fine.
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "隐";
  EXPECT_TRUE(registry.List(p, {.q = hundred}).ok());
}

TEST_F(RegistryTest, ASourceErrorIsTheListsError) {
  notices->fail = true;
  EXPECT_EQ(registry.List(p, {}).status().code(), core::Code::kInternal);
  EXPECT_TRUE(registry.List(p, {.type = "collaboration"}).ok());
}

TEST_F(RegistryTest, RegisteringATypeTwiceIsAWiringBug) {
  EXPECT_THROW(registry.Register(std::make_shared<FakeSource>("notice", std::vector<CollabItem>{})),
               std::logic_error);
  EXPECT_THROW(registry.Register(nullptr), std::logic_error);
}

TEST_F(RegistryTest, ASourceOverItsBoundIsCut) {
  std::vector<CollabItem> many;
  for (int i = kMaxCollabItemsPerSource + 10; i > 0; --i) {
    many.push_back(Item("meeting", i, "2026-11-25T10:00:00+08:00"));
  }
  auto meetings = std::make_shared<FakeSource>("meeting", std::move(many));
  meetings->ignore_limit = true;
  registry.Register(meetings);
  auto page = registry.List(p, {.type = "meeting", .page_size = 1});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, kMaxCollabItemsPerSource + 10);  // exact, though only 1 was asked for
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, kMaxCollabItemsPerSource + 10);  // the newest kept
}

// `total` is the sum of the sources' exact counts, not of the items they returned (each source
// is asked only for its newest items up to the end of the page, at most 5000).
TEST_F(RegistryTest, TotalIsTheExactSumOfTheSourcesCounts) {
  std::vector<CollabItem> many;
  for (int i = kMaxCollabItemsPerSource + 250; i > 0; --i) {
    many.push_back(Item("meeting", i, "2026-11-20T10:00:00+08:00"));
  }
  registry.Register(std::make_shared<FakeSource>("meeting", std::move(many)));
  auto page = registry.List(p, {.page = 2, .page_size = 3});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 2 + 3 + kMaxCollabItemsPerSource + 250);
  EXPECT_EQ(collabs->last_limit, 6);  // page 2 of 3: the newest 6 of each source suffice
  EXPECT_EQ(notices->last_limit, 6);
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items[0].type + ":" + std::to_string(page->items[0].id), "collaboration:11");
  // A page beyond the newest kMaxCollabItemsPerSource of a type comes back empty (documented
  // bound); the total stays exact.
  auto deep = registry.List(p, {.type = "meeting", .page = 26, .page_size = 200});
  ASSERT_TRUE(deep.ok());
  EXPECT_EQ(deep->total, kMaxCollabItemsPerSource + 250);
  EXPECT_TRUE(deep->items.empty());
  // Filters narrow the count too.
  auto closed = registry.List(p, {.state = "closed"});
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->total, 2);
}

TEST_F(RegistryTest, ExportIsEveryMatchingRowWithBomHeaderAndShanghaiMinutes) {
  CollabItemRegistry r;
  std::vector<CollabItem> items{Item("notice", 4, "2026-11-25T09:00:00+08:00")};
  items[0].number = "新城执通〔2026〕1号";
  items[0].title = "化工厂, \"储罐\"";
  items[0].colour = domain::Colour::kRed;
  items[0].due_at = At("2026-11-30T01:30:00Z");
  items[0].to_org.reset();
  r.Register(std::make_shared<FakeSource>("notice", items));
  auto csv = r.ExportCsv(p, {.page = 7, .page_size = 1});  // paging is ignored
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  EXPECT_EQ(*csv, std::string(kCsvBom) +
                      "类型,文号,标题,发起单位,接收单位,状态,期限,颜色,创建时间\r\n"
                      "隐患通报,新城执通〔2026〕1号,\"化工厂, \"\"储罐\"\"\",新城镇,,待研究处置,"
                      "2026-11-30 09:30,超期,2026-11-25 09:00\r\n");
  ExpectInvalid(r.List(p, {.colour = "blue"}), "colour");
  EXPECT_FALSE(r.ExportCsv(p, {.direction = "up"}).ok());
}

TEST(CsvTest, QuotesGuardsFormulasAndFormatsShanghaiTimes) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("line\nbreak"), "\"line\nbreak\"");
  EXPECT_EQ(CsvField("=SUM(A1)"), "'=SUM(A1)");
  EXPECT_EQ(CsvField("-1,2"), "\"'-1,2\"");
  EXPECT_EQ(CsvRow({"a", "b,c", ""}), "a,\"b,c\",\r\n");
  EXPECT_EQ(DayTime(At("2026-11-25T01:30:05Z")), "2026-11-25 09:30:05");
  EXPECT_EQ(DayMinute(At("2026-11-25T01:30:05Z")), "2026-11-25 09:30");
  EXPECT_EQ(DayMinute(std::nullopt), "");
  // R-TIME-5, issue 17 defect 4: a deadline at 24:00 is written as 24:00 of its last day.
  EXPECT_EQ(DueMinute(At("2026-12-08T16:00:00Z")), "2026-12-08 24:00");
  EXPECT_EQ(DueMinute(At("2026-12-08T01:30:05Z")), "2026-12-08 09:30");
  EXPECT_EQ(DueMinute(std::nullopt), "");
  EXPECT_EQ(ColourWordZh(domain::Colour::kGreen), "正常");
  EXPECT_EQ(ColourWordZh(domain::Colour::kNone), "");
}

}  // namespace
}  // namespace xietong::service
