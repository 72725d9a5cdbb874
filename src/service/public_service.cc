#include "service/public_service.h"

#include <sodium.h>

#include <boost/json.hpp>

#include "core/time.h"
#include "domain/audit.h"
#include "domain/coord_items.h"
#include "domain/public_notice.h"
#include "service/item_list.h"
#include "service/workflow/items.h"

namespace xietong::service {

namespace json = boost::json;
using core::Result;
using core::Status;
using domain::CoordItem;
using domain::CoordType;
using domain::Id;

namespace {

constexpr CoordType kType = CoordType::kPublicNotice;
constexpr const char* kRule = "R-ASM-3";
const domain::ItemTable& Table() { return domain::PublicNoticeTable(); }
constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::string Base32Id(Id id) {
  std::string s;
  auto v = static_cast<uint64_t>(id);
  do {
    s.insert(s.begin(), kCrockford[v % 32]);
    v /= 32;
  } while (v);
  return s;
}

// Crockford's reading: case-insensitive, I and L are 1, O is 0; -1 for anything else.
int Digit(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'I' || c == 'L') c = '1';
  if (c == 'O') c = '0';
  for (int i = 0; i < 32; ++i)
    if (kCrockford[i] == c) return i;
  return -1;
}

Status NoSuchCode() {
  return Status::NotFound("code", "核验码不存在或有误，请核对后重新输入").En("No document has this verification code");
}

Result<domain::Org> CoordinatorOrg(storage::Tx& tx, const Principal& p) {
  if (p.org.kind == domain::OrgKind::kCoordinator) return p.org;
  XT_ASSIGN_OR_RETURN(std::vector<domain::Org> orgs, tx.ListOrgs());
  for (const auto& o : orgs)
    if (o.kind == domain::OrgKind::kCoordinator && o.active) return o;
  return p.org;
}

Status Denied() {
  return Status::Denied("仅县委依法治县办工作人员可以管理公开发布的信息", kRule)
      .En("Only the coordinator's staff manage notices to the public");
}

std::string Text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

// ---- Verification codes -----------------------------------------------------------------------

std::string PublicService::CodeOf(const domain::Document& doc) const {
  const std::string msg = "xietong-doc-v1:" + std::to_string(doc.id) + ":" + domain::Sha256Hex(doc.snapshot);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(options_.secret.data()),
                              options_.secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(msg.data()), msg.size());
  crypto_auth_hmacsha256_final(&st, mac);
  // 40 bits → 8 characters.
  uint64_t bits = 0;
  for (int i = 0; i < 5; ++i) bits = (bits << 8) | mac[i];
  std::string check(8, '0');
  for (int i = 7; i >= 0; --i) {
    check[i] = kCrockford[bits % 32];
    bits /= 32;
  }
  return Base32Id(doc.id) + "-" + check;
}

Result<VerifiedDocument> PublicService::Verify(std::string_view code) {
  const size_t dash = code.rfind('-');
  if (code.size() > 40 || dash == std::string_view::npos || dash == 0 || code.size() - dash - 1 != 8) {
    return NoSuchCode();
  }
  uint64_t id = 0;
  for (char c : code.substr(0, dash)) {
    const int d = Digit(c);
    if (d < 0 || id > (uint64_t{1} << 50)) return NoSuchCode();
    id = id * 32 + static_cast<uint64_t>(d);
  }
  std::string check;
  for (char c : code.substr(dash + 1)) {
    const int d = Digit(c);
    if (d < 0) return NoSuchCode();
    check += kCrockford[d];
  }
  if (id == 0) return NoSuchCode();
  VerifiedDocument v;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(std::optional<domain::Document> doc,
                        workflow::Maybe(tx.GetDocument(static_cast<Id>(id))));
    if (!doc) return NoSuchCode();
    const std::string want = CodeOf(*doc);
    const std::string got = Base32Id(doc->id) + "-" + check;
    if (want.size() != got.size() || sodium_memcmp(want.data(), got.data(), want.size()) != 0) {
      return NoSuchCode();
    }
    XT_ASSIGN_OR_RETURN(domain::Org issuer, tx.GetOrg(doc->org_id));
    v.code = want;
    v.number = doc->number;
    v.kind = std::string(domain::DocKindName(doc->kind));
    v.kind_label = std::string(domain::DocKindTitleZh(doc->kind));
    v.issuer = issuer.name;
    v.date = domain::FormatDateZh(doc->created_at);
    v.issued_at = core::FormatInstant(doc->created_at);
    v.sha256 = domain::Sha256Hex(doc->snapshot);
    return Status::Ok();
  }));
  return v;
}

// ---- The engine's Definition ------------------------------------------------------------------

struct PublicService::Workflow {
  using Entity = workflow::ItemEntity;
  using Action = std::string_view;
  using Row = domain::CoordTransition;
  using View = CoordItemView;

  PublicService& self;

  static Entity Of(CoordItem it) { return workflow::ParseItem<Entity>(std::move(it)); }
  Result<Entity> Load(storage::Tx& tx, Id id) const {
    XT_ASSIGN_OR_RETURN(CoordItem it, tx.GetCoordItem(id));
    if (it.type != kType) return NotFound();
    return Of(std::move(it));
  }
  Status NotFound() const { return workflow::ItemNotFound(kType); }
  bool CanSee(const Principal& p, const Entity& e) const { return CoordItemService::CanSee(p, e); }
  Result<const Row*> Decide(const Principal& p, const Entity& e, Action a) const {
    domain::CoordActor actor;
    actor.coordinator = p.IsCoordinator();
    return domain::DecideItem(Table(), a, e.state, actor);
  }
  Status CheckGuard(workflow::Step<Workflow>&) const { return Status::Ok(); }
  workflow::Subject SubjectOf(const Entity& e) const { return workflow::ItemSubject(e); }
  Status Save(storage::Tx& tx, Entity& e, core::Instant now) const {
    return workflow::SaveItem(tx, e, now, {});
  }
  std::string AuditAction(Action a) const { return domain::CoordAuditAction(kType, a); }
  std::string ActionLabel(Action a) const { return std::string(domain::ItemActionLabel(Table(), a)); }
  std::string StateName(const Entity& e) const { return std::string(domain::ItemStateName(Table(), e.state)); }
  std::optional<std::string> Number(const Entity&) const { return std::nullopt; }
  Result<CoordItemView> Reload(storage::Tx& tx, Entity e, core::Instant now) const {
    return self.items_.Render(tx, e, true, now, &e.fields);
  }
};

PublicService::PublicService(storage::Store& store, const core::Clock& clock, DutyService& duties,
                             CoordItemService& items, PublicOptions options)
    : store_(store), clock_(clock), duties_(duties), items_(items), options_(std::move(options)) {}

Result<CoordItemView> PublicService::Create(const Principal& p, const Result<PublicNoticeInput>& in) {
  if (!p.IsCoordinator()) return Denied();
  XT_RETURN_IF_ERROR(in.status());
  XT_RETURN_IF_ERROR(domain::ValidatePublicNotice(in->kind, in->title, in->body));
  const domain::CoordTransition* row = domain::ItemCreateRow(Table(), "create");
  Workflow w{*this};
  return workflow::Start<Workflow>(
      w, store_, clock_, duties_, p, *row,
      [&](storage::Tx& tx, core::Instant now) -> Result<Workflow::Entity> {
        XT_ASSIGN_OR_RETURN(domain::Org coordinator, CoordinatorOrg(tx, p));
        CoordItem it;
        it.type = kType;
        it.from_org_id = coordinator.id;
        it.org_ids = {coordinator.id};
        it.kind = in->kind;
        it.title = in->title;
        it.created_by = p.user.id;
        it.created_at = now;
        it.updated_at = now;
        json::object data{{"kind_label", domain::PublicNoticeKindLabel(in->kind)},
                          {"body", in->body},
                          {"published_at", nullptr},
                          {"withdrawn_at", nullptr}};
        it.data = json::serialize(data);
        it.state = row->to;
        XT_ASSIGN_OR_RETURN(it.id, tx.InsertCoordItem(it, {}));
        return Workflow::Of(std::move(it));
      },
      [&](Ctx& x) -> Status {
        x.summary = "新建公开信息：" + workflow::Snip(in->title, 60);
        return Status::Ok();
      });
}

Result<CoordItemView> PublicService::Edit(const Principal& p, Id id, const Result<PublicNoticeInput>& in) {
  return workflow::Run<Workflow>(Workflow{*this}, store_, clock_, duties_, p, id, "edit", [&](Ctx& x) -> Status {
    XT_RETURN_IF_ERROR(in.status());
    XT_RETURN_IF_ERROR(domain::ValidatePublicNotice(in->kind, in->title, in->body));
    x.e.kind = in->kind;
    x.e.title = in->title;
    x.e.fields["kind_label"] = domain::PublicNoticeKindLabel(in->kind);
    x.e.fields["body"] = in->body;
    x.summary = "修改公开信息草稿：" + workflow::Snip(in->title, 60);
    return Status::Ok();
  });
}

Result<CoordItemView> PublicService::Publish(const Principal& p, Id id) {
  return workflow::Run<Workflow>(Workflow{*this}, store_, clock_, duties_, p, id, "publish", [&](Ctx& x) -> Status {
    x.e.fields["published_at"] = core::FormatInstant(x.now);
    x.summary = "向社会公开发布：" + workflow::Snip(x.e.title, 60);
    return Status::Ok();
  });
}

Result<CoordItemView> PublicService::Withdraw(const Principal& p, Id id) {
  return workflow::Run<Workflow>(Workflow{*this}, store_, clock_, duties_, p, id, "withdraw", [&](Ctx& x) -> Status {
    x.e.fields["withdrawn_at"] = core::FormatInstant(x.now);
    x.summary = "撤回公开信息：" + workflow::Snip(x.e.title, 60);
    return Status::Ok();
  });
}

Result<CoordItemView> PublicService::Get(const Principal& p, Id id) {
  return workflow::Get(Workflow{*this}, store_, clock_, p, id);
}

Result<CoordItemList> PublicService::List(const Principal& p, const CoordQuery& q) {
  if (!p.Oversees()) return Denied();  // a regional office manages its notices (R-ACC-2)
  ItemListSpec spec{.type = kType, .table = &Table(), .rule = kRule, .outgoing = false,
                    .kind_ok = [](const std::string& k) { return !domain::PublicNoticeKindLabel(k).empty(); }};
  const core::Instant now = clock_.Now();
  return ListItems(store_, p, spec, q, now, [&](storage::Tx& tx, const CoordItem& it) {
    return items_.Render(tx, it, false, now);
  });
}

// ---- The public pages -------------------------------------------------------------------------

namespace {
Result<PublishedNotice> Published(storage::Tx& tx, const CoordItem& it) {
  PublishedNotice n;
  n.id = it.id;
  n.kind = it.kind;
  n.kind_label = std::string(domain::PublicNoticeKindLabel(it.kind));
  n.title = it.title;
  const json::object f = json::parse(it.data).as_object();
  n.body = Text(f, "body");
  n.published_at = Text(f, "published_at");
  XT_ASSIGN_OR_RETURN(domain::Org org, tx.GetOrg(it.from_org_id));
  n.issuer = org.name;
  return n;
}
}  // namespace

Result<std::vector<PublishedNotice>> PublicService::ListPublished(int offset, int limit, int64_t* total) {
  std::vector<PublishedNotice> out;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    storage::CoordItemFilter f;
    f.type = kType;
    f.states = {domain::public_notice_state::kPublished};
    f.offset = offset;
    f.limit = limit;
    if (total) {
      XT_ASSIGN_OR_RETURN(*total, tx.CountCoordItems(f));
    }
    XT_ASSIGN_OR_RETURN(std::vector<CoordItem> items, tx.ListCoordItems(f));
    for (const CoordItem& it : items) {
      XT_ASSIGN_OR_RETURN(PublishedNotice n, Published(tx, it));
      out.push_back(std::move(n));
    }
    return Status::Ok();
  }));
  return out;
}

Result<PublishedNotice> PublicService::GetPublished(Id id) {
  PublishedNotice n;
  XT_RETURN_IF_ERROR(store_.Read([&](storage::Tx& tx) -> Status {
    XT_ASSIGN_OR_RETURN(std::optional<CoordItem> it, workflow::Maybe(tx.GetCoordItem(id)));
    // A draft, a withdrawn notice or any other item: the same answer (nothing leaks).
    if (!it || it->type != kType || it->state != domain::public_notice_state::kPublished) {
      return Status::NotFound("id", "公开信息不存在或已撤回").En("No such published notice");
    }
    XT_ASSIGN_OR_RETURN(n, Published(tx, *it));
    return Status::Ok();
  }));
  return n;
}

}  // namespace xietong::service
