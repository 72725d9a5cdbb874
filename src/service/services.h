// The set of services the HTTP layer and jobs use; assembled by cli (the only place that wires
// concrete types). Plain aggregate of non-owning pointers.
#pragma once

#include "core/clock.h"
#include "storage/store.h"

namespace xietong::service {

class AuthService;
class OrgService;
class CalendarService;
class DutyService;
class NotificationService;
// --- Matters, files, idempotency (v2) ---
class MatterService;
class FileService;
class IdempotencyService;
// --- Referrals and documents (v3) ---
class ReferralService;
// --- Collaborations (v4) ---
class CollaborationService;
// --- Notices, meetings, participation, violation notices (v5) ---
class CoordItemService;
// --- The combined 协作 list (all R-COL items) ---
class CollabItemRegistry;
// --- Jurisdiction disputes (R-DIS-1..3) ---
class DisputeService;
// --- First-contact complaints (R-SYS-3) ---
class ComplaintService;
// --- Court enforcement (R-CRI-3) and police support (R-CRI-4) ---
class CourtPoliceService;
class CriminalTransferService;  // --- Criminal transfers (R-CRI-1a) ---
class GuidanceService;  // --- Guidance, training, technical support (R-GUI-1..3) ---
class PlanService;  // --- Annual plan and commanded tasks (R-PLN-1, R-PLN-2) ---
class UrgingService;            // --- Workbench and 督办 (issue 17) ---
class WorkbenchService;
class SharedInfoService;  // --- Shared information (R-INF-1, R-INF-3) ---
class ApprovalService;    // --- Administrative approvals (R-INF-2) ---
class DeliveryService;  // --- Notifications away from the browser (issue 18) ---
class RegionService;    // --- Regions (R-ACC-2, issue 19) ---

struct Services {
  storage::Store* store = nullptr;
  const core::Clock* clock = nullptr;
  AuthService* auth = nullptr;
  OrgService* orgs = nullptr;
  CalendarService* calendar = nullptr;
  DutyService* duties = nullptr;
  NotificationService* notifications = nullptr;
  // --- Matters, files, idempotency (v2) ---
  MatterService* matters = nullptr;
  FileService* files = nullptr;
  IdempotencyService* idempotency = nullptr;
  // --- Referrals and documents (v3) ---
  ReferralService* referrals = nullptr;
  // --- Collaborations (v4) ---
  CollaborationService* collaborations = nullptr;
  // --- Notices, meetings, participation, violation notices (v5) ---
  CoordItemService* coord_items = nullptr;
  // --- The combined 协作 list (all R-COL items) ---
  const CollabItemRegistry* collab_items = nullptr;
  // --- Jurisdiction disputes (R-DIS-1..3) ---
  DisputeService* disputes = nullptr;
  // --- First-contact complaints (R-SYS-3) ---
  ComplaintService* complaints = nullptr;
  // --- Court enforcement (R-CRI-3) and police support (R-CRI-4) ---
  CourtPoliceService* court_police = nullptr;
  // --- Criminal transfers (行刑衔接, R-CRI-1a) ---
  CriminalTransferService* criminal_transfers = nullptr;
  // --- Guidance, training, technical support (R-GUI-1..3) ---
  GuidanceService* guidance = nullptr;
  // --- Annual plan and commanded tasks (R-PLN-1, R-PLN-2) ---
  PlanService* plans = nullptr;
  // --- Workbench, overview and 督办 (issue 17, R-PLN-2) ---
  UrgingService* urgings = nullptr;
  WorkbenchService* workbench = nullptr;
  // --- Shared information (R-INF-1..3) ---
  SharedInfoService* shared_info = nullptr;
  ApprovalService* approvals = nullptr;
  // --- Notifications away from the browser (issue 18) ---
  DeliveryService* deliveries = nullptr;
  // --- Regions (R-ACC-2, issue 19) ---
  RegionService* regions = nullptr;
};

}  // namespace xietong::service
