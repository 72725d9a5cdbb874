#include "domain/shared_info.h"

#include <chrono>

#include "domain/doc_number.h"
#include "domain/duty.h"
#include "domain/referral.h"  // IsBlank, Utf8Length

namespace xietong::domain {

namespace {
using W = CoordWho;
using G = CoordGuard;
namespace ms = material_state;
namespace pf = penalty_filing_state;
constexpr int kNew = kCoordNew;
constexpr std::string_view kAll = workflow::kAllDuties;

// ---- Materials (R-INF-1) ----
constexpr workflow::Named<int> kMaterialStates[] = {
    {ms::kPublished, "published", "已发布"},
    {ms::kWithdrawn, "withdrawn", "已撤回"},
};
constexpr workflow::Named<std::string_view> kMaterialActions[] = {
    {"create", "create", "发布资料"},
    {"acknowledge", "acknowledge", "确认收到资料"},
    {"withdraw", "withdraw", "撤回资料"},
};
// Each addressed township meets its own acknowledgement (one of many: meet_one); the state stays
// "published" (who acknowledged is the receipts' business).
constexpr CoordTransition kMaterialRows[] = {
    {"create", kNew, ms::kPublished, W::kFromStaff, G::kNone, {.open = {kMaterialAckDuty}}},
    {"acknowledge", ms::kPublished, ms::kPublished, W::kToStaff, G::kNone,
     {.meet_one = {kMaterialAckDuty}}},
    {"withdraw", ms::kPublished, ms::kWithdrawn, W::kFromStaff, G::kNone, {.waive = {kAll}}},
};
std::string_view MActionZh(std::string_view a) { return ItemActionLabel(MaterialTable(), a); }
std::string_view ActionEn(std::string_view a) { return a; }
std::string_view MRule(std::string_view) { return "R-INF-1"; }
std::string_view MStateZh(int s) { return ItemStateLabel(MaterialTable(), s); }
std::string_view MStateEn(int s) { return ItemStateName(MaterialTable(), s); }
std::string_view MWho(W w) { return w == W::kToStaff ? "接收资料的乡镇工作人员" : CoordWhoLabelZh(w); }
constexpr workflow::Wording<CoordTransition> kMaterialWording{
    .action_zh = MActionZh, .action_en = ActionEn, .rule = MRule, .state_zh = MStateZh,
    .state_en = MStateEn, .who_zh = MWho, .noun_en = "material"};
constexpr ItemTable kMaterialTable{CoordType::kMaterial, kMaterialStates, kMaterialActions,
                                   kMaterialRows, kMaterialWording};

// ---- Penalty filings (R-INF-3) ----
constexpr workflow::Named<int> kFilingStates[] = {
    {pf::kFiled, "filed", "已报备"},
    {pf::kAcknowledged, "acknowledged", "已确认备案"},
};
constexpr workflow::Named<std::string_view> kFilingActions[] = {
    {"create", "create", "报送处罚备案"},
    {"acknowledge", "acknowledge", "确认备案"},
};
constexpr CoordTransition kFilingRows[] = {
    {"create", kNew, pf::kFiled, W::kFromStaff, G::kNone,
     {.open = {kPenaltyFilingAckDuty}, .document = DocKind::kPenaltyFiling}},
    {"acknowledge", pf::kFiled, pf::kAcknowledged, W::kToStaff, G::kNone,
     {.meet = {kPenaltyFilingAckDuty}}},
};
std::string_view FActionZh(std::string_view a) { return ItemActionLabel(PenaltyFilingTable(), a); }
std::string_view FRule(std::string_view) { return "R-INF-3"; }
std::string_view FStateZh(int s) { return ItemStateLabel(PenaltyFilingTable(), s); }
std::string_view FStateEn(int s) { return ItemStateName(PenaltyFilingTable(), s); }
std::string_view FWho(W w) {
  if (w == W::kToStaff) return "主管该事项的县直部门工作人员";
  if (w == W::kFromStaff) return "乡镇工作人员";
  return CoordWhoLabelZh(w);
}
constexpr workflow::Wording<CoordTransition> kFilingWording{
    .action_zh = FActionZh, .action_en = ActionEn, .rule = FRule, .state_zh = FStateZh,
    .state_en = FStateEn, .who_zh = FWho, .noun_en = "penalty filing"};
constexpr ItemTable kFilingTable{CoordType::kPenaltyFiling, kFilingStates, kFilingActions,
                                 kFilingRows, kFilingWording};

constexpr MaterialKind kKinds[] = {
    {"law", "法律法规"},
    {"rule", "规章"},
    {"standard", "标准"},
    {"interpretation", "司法解释/执法解释"},
    {"normative_document", "规范性文件"},
    {"enforcement_news", "执法动态"},
    {"approval_material", "审批材料"},
};

constexpr ApprovalColumn kColumns[] = {
    {"行政相对人名称", "holder", true},
    {"统一社会信用代码", "credit_code", false},
    {"许可决定文书号", "decision_number", true},
    {"许可类别", "category", true},
    {"许可内容", "content", true},
    {"许可决定日期", "decision_date", true},
    {"有效期自", "valid_from", false},
    {"有效期至", "valid_to", false},
    {"许可机关", "authority", true},
    {"地址", "address", true},
    {"所属乡镇", "township", false},
};

core::Status Bad(std::string_view field, const std::string& zh, const std::string& en,
                 const char* id = "invalid_value") {
  return core::Status::Invalid(std::string(field), zh, "R-INF-2", id).En(en);
}
std::string_view ZhOf(std::string_view field) {
  for (const auto& c : kColumns)
    if (c.field == field) return c.zh;
  return field;
}
}  // namespace

const ItemTable& MaterialTable() { return kMaterialTable; }
const ItemTable& PenaltyFilingTable() { return kFilingTable; }
std::span<const MaterialKind> MaterialKinds() { return kKinds; }
std::string_view MaterialKindLabel(std::string_view name) {
  for (const auto& k : kKinds)
    if (k.name == name) return k.label_zh;
  return "";
}

bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  const int y = std::stoi(std::string(s.substr(0, 4)));
  const unsigned m = std::stoi(std::string(s.substr(5, 2)));
  const unsigned d = std::stoi(std::string(s.substr(8, 2)));
  return std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{m},
                                     std::chrono::day{d}}
      .ok();
}

std::span<const ApprovalColumn> ApprovalColumns() { return kColumns; }

core::Status ValidateApproval(const Approval& a) {
  struct Len {
    std::string_view field;
    const std::string& v;
    size_t max;
    bool required;
  };
  const Len lens[] = {{"holder", a.holder, 200, true},
                      {"credit_code", a.credit_code, 18, false},
                      {"decision_number", a.decision_number, 100, true},
                      {"category", a.category, 100, true},
                      {"content", a.content, 2000, true},
                      {"decision_date", a.decision_date, 10, true},
                      {"valid_from", a.valid_from, 10, false},
                      {"valid_to", a.valid_to, 10, false},
                      {"authority", a.authority, 200, true},
                      {"address", a.address, 300, true}};
  for (const auto& l : lens) {
    const std::string zh(ZhOf(l.field));
    if (l.required && IsBlank(l.v)) {
      return Bad(l.field, "缺少必填项：" + zh, "Missing field: " + std::string(l.field), "missing_field");
    }
    if (Utf8Length(l.v) > l.max) {
      return Bad(l.field, zh + "不能超过" + std::to_string(l.max) + "个字",
                 std::string(l.field) + " is too long", "too_long");
    }
  }
  if (!a.credit_code.empty()) {
    bool ok = a.credit_code.size() == 18;
    for (char c : a.credit_code) ok = ok && ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'));
    if (!ok) {
      return Bad("credit_code", "统一社会信用代码应为18位数字或大写字母",
                 "credit_code must be 18 digits or capital letters");
    }
  }
  for (auto [field, v] : {std::pair<std::string_view, const std::string*>{"decision_date", &a.decision_date},
                          {"valid_from", &a.valid_from},
                          {"valid_to", &a.valid_to}}) {
    if (!v->empty() && !IsIsoDate(*v)) {
      return Bad(field, std::string(ZhOf(field)) + "应为日期，如 2026-11-25",
                 std::string(field) + " must be a date YYYY-MM-DD");
    }
  }
  if (!a.valid_from.empty() && !a.valid_to.empty() && a.valid_to < a.valid_from) {
    return Bad("valid_to", "有效期至不能早于有效期自", "valid_to is before valid_from");
  }
  return core::Status::Ok();
}

}  // namespace xietong::domain
