// Shared information (信息共享, SPEC §6 R-INF-1..3): the two workflows stored as coordination
// items (domain/coord_items.h) and the plain approval records of R-INF-2.
//
//  - material (资料发布, R-INF-1, CoordType kMaterial): a county department publishes a material
//    (kind, title, issuing body, effective date, description, files) to townships (all or chosen
//    ones); each addressed township owes material.acknowledge (default 3 working days) and meets
//    its own by "acknowledge" (a meet_one row); the publisher may withdraw it (every pending
//    acknowledgement waived).
//  - penalty_filing (处罚备案, R-INF-3, CoordType kPenaltyFiling): after a penalty decision a
//    township files it (numbered 行政处罚备案表 备) with the county department owning the matter,
//    which acknowledges it (penalty_filing.acknowledge, default 5 working days).
//  - approvals (行政审批, R-INF-2): plain records (their own table), validated per row here.
//
// Pure value types and constexpr data; thread-safe.
//
//   XT_ASSIGN_OR_RETURN(const CoordTransition* row,
//       DecideItem(MaterialTable(), "acknowledge", material_state::kPublished, actor));
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"
#include "domain/court_enforcement.h"  // ItemTable
#include "domain/org.h"

namespace xietong::domain {

// Persisted states.
namespace material_state {
inline constexpr int kPublished = 1,  // 已发布
    kWithdrawn = 2;                   // 已撤回
}
namespace penalty_filing_state {
inline constexpr int kFiled = 1,  // 已报备
    kAcknowledged = 2;            // 已确认备案
}

// Duty kinds (domain/duty.cc).
inline constexpr std::string_view kMaterialAckDuty = "material.acknowledge";        // R-INF-1
inline constexpr std::string_view kPenaltyFilingAckDuty = "penalty_filing.acknowledge";  // R-INF-3

// THE tables. Material: create; acknowledge (an addressed township, meet_one); withdraw.
// Penalty filing: create (document 备); acknowledge (the owning department).
const ItemTable& MaterialTable();
const ItemTable& PenaltyFilingTable();

// R-INF-1 kinds of materials (the item's `kind`): law 法律法规, rule 规章, standard 标准,
// interpretation 司法解释/执法解释, normative_document 规范性文件, enforcement_news 执法动态,
// approval_material 审批材料.
struct MaterialKind {
  std::string_view name;
  std::string_view label_zh;
};
std::span<const MaterialKind> MaterialKinds();
std::string_view MaterialKindLabel(std::string_view name);  // "" if unknown

// "YYYY-MM-DD" that is a real day.
bool IsIsoDate(std::string_view s);

// ---- R-INF-2: administrative approvals (行政审批), a provincial 双公示 export's columns --------

struct Approval {
  Id id = 0;
  std::string holder;           // 行政相对人名称 1..200
  std::string credit_code;      // 统一社会信用代码 "" or 18 characters [0-9A-Z]
  std::string decision_number;  // 许可决定文书号 1..100, unique
  std::string category;         // 许可类别 1..100
  std::string content;          // 许可内容 1..2000
  std::string decision_date;    // 许可决定日期 YYYY-MM-DD
  std::string valid_from;       // 有效期自 "" or YYYY-MM-DD
  std::string valid_to;         // 有效期至 "" or YYYY-MM-DD, not before valid_from
  std::string authority;        // 许可机关 1..200
  std::string address;          // 地址 1..300
  std::optional<Id> township_org_id;  // 所属乡镇 (optional)
  Id recorded_by_org_id = 0;
  Id created_by = 0;
  core::Instant created_at{};
  core::Instant updated_at{};
  bool read = false;  // not stored here: filled by feed queries for their reader
  bool operator==(const Approval&) const = default;
};

// The columns of an import, in the export's order, with the field each fills.
struct ApprovalColumn {
  std::string_view zh;     // 行政相对人名称 …
  std::string_view field;  // holder …
  bool required;
};
std::span<const ApprovalColumn> ApprovalColumns();  // 所属乡镇 (township) last, optional

// Checks a record's own fields (not the township, which the service resolves): on failure
// invalid_argument whose field is the API field name ("decision_date"), rule R-INF-2.
core::Status ValidateApproval(const Approval& a);

}  // namespace xietong::domain
