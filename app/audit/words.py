"""Words for what the audit log stores as codes: the kind of row (its table), its fields, the
roles of the person acting, and the stored values of status-like fields.

The log keeps the codes (they are what the hash chain covers); the pages show these words and
keep the codes under the technical details. A field the app writes only for itself (keys,
hashes, ids of events) is ``TECHNICAL``: shown there and nowhere else.
"""

from __future__ import annotations

from functools import cache

from flask_babel import lazy_gettext as _l

from app.glossary import TERMS
from app.templating import joined

_g = {key: t.label for key, t in TERMS.items()}

#: table → what a person calls one of its rows.
OBJECT_TYPES = {
    "application": _g["application"], "application_line": _l("Budget line of an application"),
    "area": _l("Area"), "award": _g["award"], "award_record": _l("Award record"),
    "call": _g["call"], "certificate": _g["proof"], "complaint": _g["complaint"],
    "contract": _g["contract"], "contract_line": _l("Budget line of a contract"),
    "disbursement": _g["disbursement"], "evaluation": _g["evaluation"],
    "evaluation_feedback": _l("Feedback on an evaluation"),
    "evaluation_template": _l("Evaluation template"), "expenditure": _g["expenditure"],
    "export": _l("Export"), "finding": _g["finding"], "fund": _g["fund"],
    "hours_request": _l("Hours request"), "ledger_account": _g["ledger_account"],
    "ledger_txn": _g["ledger_transaction"], "ledger_verification": _l("Books verification"),
    "merchant": _l("Merchant"), "objection": _l("Objection to an award"),
    "org_area": _l("Area served by an organization"), "org_invitation": _l("Staff invitation"),
    "organization": _g["organization"], "overseer_objection": _l("Overseer's objection"),
    "overseer_signoff": _l("Overseer's sign-off"),
    "points_entry": _l("Points entry"), "points_wallet": _l("Points account"),
    "project": _g["project"], "project_evidence": _l("Closing photo"), "receipt": _g["receipt"],
    "redemption": _g["redemption"], "role_grant": _l("Role"), "scan_run": _l("Anomaly scan"),
    "service_notice": _l("Service reminder"), "service_rating": _l("Rating"),
    "service_record": _g["service_record"], "service_slot": _g["slot"], "shift": _g["shift"],
    "shift_signup": _g["signup"], "slot_booking": _g["booking"], "spot_check": _g["spot_check"],
    "need": _g["need"], "need_decline": _l("Need given back"),
    "need_escalation": _l("Step up of a late need"),
    "complaint_escalation": _l("Step up of a complaint"),
    "area_staff": _l("Staff member in charge of an area"),
    "rule_change": _l("Change to a rule"),
    "assembly_decision": _l("Residents' assembly decision"),
    "procurement_record": _l("Procurement record"), "step_file": _l("Approval step document"),
    "spot_check_item": _l("Spot-check sample"), "tenant": _l("District"),
    "training_record": _l("Training record"), "tranche": _g["tranche"],
    "tranche_evidence": _l("Milestone evidence file"), "user": _l("User account"), "account_claim": _l("Account claim code"),
    "volunteer_profile": _g["volunteer_record"], "volunteer_standing": _l("Star level"),
    "consent": _l("Consent"), "series": _g["series"], "calendar_feed": _l("Calendar address"),
    "import_batch": _l("Import"), "resident_profile": _l("Resident record"),
    "community_notice": _g["community_notice"],
    "notice_choice": _l("Choice about community notices"),
    "slot_attendance": _g["attendance"], "return_visit_sample": _l("Return-visit sample"),
    "return_visit": _g["return_visit"], "monthly_report": _g["monthly_report"],
    "consultation": _g["consultation"], "consultation_option": _l("Option of a consultation"),
    "consultation_vote": _l("Vote in a consultation"),
    "consultation_comment": _l("Comment in a consultation"),
    "consultation_tally": _l("Paper or meeting votes entered"),
    "team": _g["team"],
    "team_member": _l("Team member"), "team_signup": _l("Team sign-up"),
    "team_place": _l("Place on a team sign-up"),
    "time_account": _l("Time-bank account"), "time_entry": _l("Time-bank movement"),
    "filing": _l("Filing record"), "incubation": _l("Incubation"),
    "stage_move": _l("Move to another incubation stage"),
    "incubation_milestone": _l("Incubation milestone"),
    "leader_training": _l("Group leader's training"),
}

#: Fields the app keeps for itself: shown only in the technical details.
TECHNICAL = {
    "id", "tenant_id", "password_hash", "session_version", "search_grams", "search_text",
    "checkin_ref", "checkout_ref", "event_id", "appropriation_event_id", "commitment_event_id",
    "release_event_id", "refund_event_id", "reversal_event_id", "outbox_id", "digest",
    "signature", "sha256", "stored_name", "file_key", "file_name", "path", "subject_key",
    "population_digest", "params", "rule_stats", "base_url", "locale", "certificate_mime", "mime",
    "document_mime", "evidence_mime", "document_file", "evidence_file",
    "content_type", "download_name", "algorithm", "first_scan_id", "last_scan_id", "settings",
    "rule_timeline", "steps", "slug", "is_platform_admin", "error", "evidence", "details", "indicators", "tiers", "scores",
    "process_questions", "ratings", "object_type", "object_id", "code", "position",
    "search_name", "cover_key", "cover_mime", "met_object_id", "token_hash", "code_hash", "escalated_for",
    "annotated_key", "cursor_user_id",
    "code_ref", "figures",
}

FIELDS = {
    # The time bank (``app.timebank``).
    "account_id": _l("Time-bank account"), "balance_minutes": _l("Time credits held (minutes)"),
    "counterpart_id": _l("Given to or received from"), "by_id": _l("Done by"),
    # Recurring schedules (``app.schedules``).
    "series_id": _g["series"], "occurs_on": _l("Date given by the schedule"),
    "frequency": _l("Repeats"), "interval_n": _l("Every how many weeks or months"),
    "weekdays": _l("Days of the week"), "nth": _l("Which one of the month"),
    "nth_weekday": _l("Weekday of the month"), "until": _l("Last date"),
    "count": _l("Number of dates"), "skip_holidays": _l("Skip official public holidays"),
    "start_time": _l("Start time"), "duration_minutes": _l("Length in minutes"),
    "account": _g["ledger_account"], "active": _l("Active"), "activity_date": _l("Date"),
    "activity_name": _l("Activity"), "address": _l("Address"), "amount_fen": _l("Amount"),
    "answer": _l("Answer"), "answered_at": _l("Answered at"), "answered_by_id": _l("Answered by"),
    "application_id": _g["application"], "approved_at": _l("Approved at"),
    "approved_by_id": _l("Approved by"), "area_id": _l("Area"), "assigned_at": _l("Assigned at"),
    "assignee_id": _l("Assigned to"), "average_tenths": _l("Average"),
    "award_id": _g["award"], "awarded_on": _l("Awarded on"), "balance": _l("Balance"),
    "balance_after": _l("Balance after"), "birth_date": _l("Date of birth"),
    "body": _l("Content"), "booking_id": _g["booking"], "budget_fen": _l("Budget"),
    "budget_lines": _l("Budget"), "bureau_approved_at": _l("Approved by the bureau at"),
    "bureau_approved_by_id": _l("Approved for the bureau by"), "call_id": _g["call"],
    "cancel_deadline_hours": _l("Cancellation deadline (hours before the start)"),
    "cancel_reason": _l("Reason for cancelling"), "cancelled_at": _l("Cancelled at"),
    "capacity": _l("Number of places"), "capped": _l("Capped"), "caption": _l("Caption"),
    "category": _l("Service category"), "ceiling_fen": _l("Budget ceiling"),
    "certificate_file": _l("Registration certificate"), "checked_at": _l("Checked at"),
    "checked_by_id": _l("Checked by"), "checked_in_at": _l("Checked in"),
    "checked_out_at": _l("Checked out"), "closed_at": _l("Closed at"),
    "signed_out_at": _l("Signed out on every device at"),
    "closed_by_id": _l("Closed by"), "closing_report": _l("Closing report"),
    "comment": _l("Comment"), "committed_fen": _g["commitment"], "commodity": _l("Unit"),
    "completed_at": _l("Completed at"), "large_text": _l("Large text"), "confirmed_at": _l("Confirmed at"),
    "confirmed_count": _l("Places confirmed"), "consent_at": _l("Consent recorded"),
    "consent_version": _l("Version agreed to"), "consumed_at": _l("Used at the merchant"),
    "consumed_by_id": _l("Accepted by"), "contact": _l("Contact"),
    "contact_email": _l("Contact email"), "contact_name": _l("Contact person"),
    "contact_phone": _l("Contact mobile number"), "content": _l("Content"),
    "contract_id": _g["contract"], "corrects_id": _l("Corrects"), "created_at": _l("Created at"),
    "created_by_id": _l("Created by"), "credit_code": _l("Unified social credit code"),
    "cutoff_at": _l("Population as of"), "date_from": _l("Date from"), "date_to": _l("Date to"),
    "deadline_at": _l("Deadline for applications"), "decided_at": _l("Decided at"),
    "decided_by_id": _l("Decided by"), "decision_reason": _l("Decision note"),
    "declared_group": _l("Declared group"), "description": _l("Description"),
    "disbursed_fen": _l("Disbursed"), "drawn_by_id": _l("Drawn by"),
    "duration_ms": _l("Time (ms)"), "duties": _l("Duties of both parties"),
    "email": _l("Email"), "ends_at": _l("End time"), "ends_on": _l("Term ends"),
    "evaluation_id": _g["evaluation"], "evaluator_name": _l("Third-party evaluator"),
    "expected_outcomes": _l("Expected outcomes"), "expenditure_id": _g["expenditure"],
    "final_at": _l("Final at"), "finalized_at": _l("Finalized at"),
    "finalized_by_id": _l("Finalized by"), "finished_at": _l("Finished"),
    "first_seen_at": _l("First seen"), "fiscal_year": _l("Fiscal year"), "fmt": _l("Format"),
    "fund_id": _g["fund"], "gender": _l("Gender"), "grantor": _l("Granted by"),
    "held_on": _l("Held on"), "highlights": _l("Highlights"), "hits": _l("Hits"),
    "honour_listed": _l("On the honour list"),
    "honour_full_name": _l("Full name on the honour list"),
    "shift_notices": _l("Told of shifts that suit them"),
    "free_times": _l("Usually free"),
    "id_number": _l("ID number"), "insurance_expires": _l("Insurance valid until"),
    "insurance_policy": _l("Accident insurance policy number"),
    "insurance_required": _l("Insurance required"), "invited_by_id": _l("Invited by"),
    "is_incubator": _l("Incubator or hub organization"), "is_late": _l("Late"),
    "kind": _l("Kind"), "expires_at": _l("Valid until"),
    "attempts": _l("Wrong tries"), "used_at": _l("Used at"), "last_login_at": _l("Last signed in"), "last_seen_at": _l("Last seen"),
    "leader_id": _l("Activity leader"), "leader_name": _l("Activity leader"),
    "legal_representative": _l("Legal representative"), "level": _l("Level"),
    "liability": _l("Liability for breach"), "line_id": _g["budget_line"],
    "marked_by_id": _l("Marked by"), "memo": _l("Note"), "merchant_id": _l("Merchant"),
    "message": _l("Message"), "method": _l("Method"), "milestone": _l("Milestone"),
    "minutes": _l("Minutes served"), "mode": _l("Mode"), "name": _l("Name"),
    "needs_bureau": _l("Needs the bureau's approval"), "needs_window": _l("Must be shown to the overseers"),
    "new_findings": _l("New findings"), "note": _l("Note"), "notes": _l("Note"),
    "notice_ends_at": _l("Notice ends"), "notice_starts_at": _l("Notice starts"),
    "number": _l("Number"), "ok": _l("Verified without problems"),
    "org_approved_at": _l("Approved by the organization at"),
    "org_approved_by_id": _l("Approved for the organization by"), "org_id": _g["organization"],
    "organizer": _l("Organizer"), "organizing_unit": _l("Organizing unit"),
    "original_name": _l("File name"), "outcome": _l("Outcome"),
    "overseer_id": _g["overseer"], "paid_on": _l("Paid on"), "parent_id": _l("Inside"),
    "payee": _l("Payee"), "pdf_rendered_at": _l("PDF made at"), "pdf_status": _l("PDF"),
    "team_id": _g["team"], "team_signup_id": _l("Team sign-up"), "member_id": _l("Team member"), "signup_id": _g["signup"],
    "held": _l("Place held by the team"), "added_by_id": _l("Added by"),
    "joined_at": _l("Joined at"), "left_at": _l("Left at"), "signed_up_by_id": _l("Signed up by"),
    "percent_bp": _l("Share (%)"), "period": _l("Time period"), "phone": _l("Mobile number"),
    "place": _l("Place"), "plan": _l("Project plan"), "planned_on": _l("Planned date"),
    "points": _g["points"], "population_count": _l("Population"), "postings": _l("Postings"),
    "previous_minutes": _l("Minutes before the change"), "price_fen": _l("Price"),
    "problems": _l("Problems found"), "progress": _l("Progress"), "project_id": _g["project"],
    "proposed_by_id": _l("Proposed by"), "published_at": _l("Published at"),
    "quality": _l("Quality standard"), "quantity": _l("Quantity"), "queued_at": _l("Signed up at"),
    "real_name": _l("Real name"), "reason": _l("Reason"), "reasons": _l("Reasons"),
    "record_count": _l("Records"), "record_id": _g["service_record"],
    "recorded_by_id": _l("Recorded by"), "redraw_reason": _l("Why a new draw is needed"),
    "refunded_fen": _l("Refunded"), "registered_by_id": _l("Registered by"),
    "rejected_by_id": _l("Rejected by"), "rejection_reason": _l("Rejected because"),
    "released_fen": _l("Released commitment"), "replied_at": _l("Replied at"),
    "replied_by_id": _l("Replied by"), "reply": _l("Reply"),
    "request_amount_fen": _l("Amount requested"), "request_note": _l("What shows the milestone is met"),
    "request_reason": _l("Reason for paying early or without an evidence file"),
    "requested_at": _l("Requested at"), "requested_by_id": _l("Requested by"),
    "required_skills": _l("Required skills"), "resolution": _l("Outcome"),
    "resolution_note": _l("Resolution note"), "resolved_at": _l("Resolved at"),
    "resolved_by_id": _l("Resolved by"), "responded_at": _l("Answered at"), "role": _l("Role"),
    "reversal_reason": _l("Reversed because"), "reversed_at": _l("Reversed at"),
    "reversed_by_id": _l("Reversed by"), "reverses_id": _l("Reverses"),
    "reviewed_at": _l("Reviewed at"), "reviewed_by_id": _l("Reviewed by"), "rows": _l("Rows"),
    "rule": _l("Rule"), "safety_plan": _l("Safety and emergency plan"),
    "sample_size": _l("Sample size"), "schedule": _l("Schedule of activities"),
    "scheduled_minutes": _l("Scheduled minutes"), "score": _l("Score"), "seed": _l("Seed"),
    "seq": _l("Instalment"), "service_categories": _l("Service categories"),
    "settled_at": _l("Settled at"), "settled_by_id": _l("Settled by"),
    "settlement": _l("Settlement method"), "severity": _l("Severity"), "shift_id": _g["shift"],
    "signed_at": _l("Signed at"), "signed_by_id": _l("Signed by"), "size": _l("File size"),
    "size_bytes": _l("File size"), "skills": _l("Professional skills"), "slot_id": _g["slot"],
    "source": _l("Source of the money"),
    "source_key": _l("Record number in the national system"), "downloads": _l("Downloads"),
    "spent_fen": _l("Spent"), "spent_on": _l("Date of payment"),
    "spot_check_id": _g["spot_check"], "stars": _l("Stars"), "started_at": _l("Started"),
    "starts_at": _l("Start time"), "starts_on": _l("Term starts"), "status": _l("Status"),
    "submitted_at": _l("Submitted at"), "submitted_by_id": _l("Submitted by"),
    "supersedes_id": _l("Re-draw of"), "target_group": _l("Reserved for"),
    "target_groups": _l("Target groups"), "team_roles": _l("Team and roles"), "text": _l("Content"),
    "theme": _l("Theme"), "tier": _l("Tier"), "times_seen": _l("Times seen"), "title": _l("Title"),
    "total_fen": _l("Total"), "total_minutes": _l("Total minutes"), "total_tenths": _l("Score"),
    "tranche_id": _g["tranche"], "transactions": _l("Transactions checked"),
    "trigger": _l("How"), "updated_at": _l("Updated at"), "uploaded_by_id": _l("Uploaded by"),
    "user_id": _l("Person"), "value_fen": _l("Value"), "verified_at": _l("Verified at"),
    "verified_by_id": _l("Verified by"), "verified_minutes": _l("Verified minutes"),
    "volunteer_id": _g["volunteer"], "wallet_id": _l("Points account"),
    "window_ends_at": _l("Overseers may object until"), "year": _l("Fiscal year"),
    "template_id": _l("Evaluation template"), "document": _l("Document"),
    "version": _l("Version"), "given_at": _l("Agreed at"), "withdrawn_at": _l("Withdrawn at"),
    # Monthly reports (每月通报)
    "month": _l("Month"), "subject": _l("Reported on"), "made_by_id": _l("Made by"),
    # Needs (需求)
    "what": _l("What is needed"), "wanted_on": _l("Wanted on"), "urgency": _l("Urgency"),
    "due_at": _l("Deadline"), "on_wall": _l("Shown on the wish wall"),
    "resident_id": _g["resident"], "resident_name": _l("Resident's name"),
    "resident_phone": _l("Resident's mobile number"), "posted_by_id": _l("Posted by"),
    "on_behalf": _l("Posted for the resident"), "claimed_org_id": _l("Taken on by"),
    "claimed_by_id": _l("Taken on for the organization by"), "claimed_at": _l("Taken on at"),
    "met_at": _l("Met at"), "met_kind": _l("How it was met"), "met_note": _l("What was done"),
    "confirmed_by_id": _l("Confirmed by"), "rating": _l("Rating"),
    "rating_comment": _l("Comment with the rating"), "escalated_at": _l("Escalated to the bureau at"),
    "need_id": _g["need"], "complaint_id": _g["complaint"], "told_names": _l("Who was told"), "round": _l("Round (times reopened)"), "declined_by_id": _l("Given back by"),
    "claimed_volunteer_id": _l("Taken on in person by"),
    "reminded_at": _l("Reminded of its deadline at"), "told": _l("People told"),
    "resident_shares_phone_at": _l("Resident let the volunteer see their mobile at"),
    "volunteer_shares_phone_at": _l("Volunteer let the resident see their mobile at"),
    # Rules (规则设置)
    "old_value": _l("Value before"), "new_value": _l("New value"),
    "effective_from": _l("Takes effect on"),
    # The approval ladder's steps
    "leader_approved_by_id": _l("Approved as the second officer by"),
    "leader_approved_at": _l("Approved by the second officer at"),
    "attendance": _l("People present"), "votes_for": _l("Votes for"),
    "votes_against": _l("Votes against"), "votes_abstain": _l("Abstentions"),
    "supplier": _l("Supplier chosen"), "step": _l("Approval step"),
    # Complaints (投诉)
    "volunteer_name": _l("Volunteer named by the resident"), "handler_id": _g["complaint_handler"],
    "due_on": _l("Answer by"), "reopen_reason": _l("Why the resident was not satisfied"),
    "reopened_at": _l("Reopened at"), "reopened_count": _l("Times reopened"),
    # Imports (批量导入)
    "total_rows": _l("Rows in the file"), "valid_rows": _l("New rows"),
    "existing_rows": _l("Rows already recorded"), "error_rows": _l("Rows with problems"),
    "imported_rows": _l("Rows imported"), "errors": _l("Problems found"),
    # Attendance and return visits (到场记录、回访)
    "attended": _l("Came"), "recorded_at": _l("Recorded at"), "sample_id": _l("Return-visit sample"),
    "attendance_id": _g["attendance"], "visited_by_id": _l("Visited by"),
    "taken_at": _l("Visit taken at"), "reached": _l("Resident reached"),
    "confirmed": _l("Confirmed"), "satisfaction": _l("Satisfaction"),
    "remarks": _l("Remarks"), "visited_at": _l("Visited at"),
    # Residents' consultations (居民议事)
    "consultation_id": _g["consultation"], "opens_at": _l("Voting starts"),
    "closes_at": _l("Voting ends"), "published_by_id": _l("Published by"),
    "option_id": _l("Option voted for"), "votes": _l("Votes"), "cast_at": _l("Voted at"),
    "entered_by_id": _l("Entered by"), "detail": _l("Details"),
    # Residents not online (代办) and text messages
    "kept_by_org_id": _l("Acted for by"),
    "consent_how": _l("How consent was given"), "consent_given_by": _l("Consent given by"),
    "consent_recorded_by_id": _l("Consent recorded by"),
    "proxy_id": _l("Done on the resident's behalf by"), "offline": _l("Not online"),
    "sms": _l("Wants text messages"),
    "receives": _l("Receives community notices"), "how": _l("How it was chosen"),
    "changed_at": _l("Changed at"),
    "area_name": _l("Area when sent"), "sent_by_id": _l("Sent by"),
    "by_sms": _l("By text message"), "opted_out": _l("Stopped, skipped"),
    # Community groups and incubation (``app.grassroots``).
    "standing": _l("Registered or filed"), "filed_with_id": _l("Filed with"),
    "filed_on": _l("Filed on"),
    "sponsor_status": _l("Sponsor's answer"), "sponsor_note": _l("Sponsor's note"),
    "sponsor_answered_at": _l("Sponsor answered at"),
    "sponsor_answered_by_id": _l("Answered for the sponsor by"),
    "incubator_id": _l("Incubator"), "stage": _l("Stage"), "stage_since": _l("At this stage since"),
    "incubation_id": _l("Incubation"), "from_stage": _l("From the stage"),
    "to_stage": _l("To the stage"), "moved_on": _l("Day of the move"),
    "moved_by_id": _l("Moved by"), "done_on": _l("Done on"), "done_by_id": _l("Marked done by"),
    "evidence_note": _l("What shows it is done"),
    "person": _l("Person trained"),
    "course": _l("Course"), "trained_on": _l("Day of the training"),
}


def object_type(code: str) -> str:
    return str(OBJECT_TYPES.get(code, code))


#: A field whose word depends on its table.
FIELDS_OF = {("expenditure", "tier"): _l("Approval tier"),
             ("time_entry", "minutes"): _l("Minutes moved"),
             ("time_entry", "balance_after"): _l("Time credits held after (minutes)"), ("area", "parent_id"): _l("Inside"),
             ("organization", "parent_id"): _l("Parent incubator"),
             ("need", "target_group"): _l("Target group"),
             ("resident_profile", "target_group"): _l("Target group"),
             ("slot_attendance", "source"): _l("How it is known"),
             ("service_record", "source"): _l("Imported from"),
             ("return_visit", "method"): _l("How the visit was made"),
             ("return_visit", "confirmed"): _l("Confirms being served"),
             ("consultation_tally", "source"): _l("How the votes were cast"),
             ("consultation_tally", "held_on"): _l("Day of the vote"),
             ("consultation", "area_id"): _l("Community"),
             ("community_notice", "reached"): _l("Residents reached"),
             ("community_notice", "area_id"): _l("Sent to"),
             ("team", "leader_id"): _g["team_leader"],
             ("need_escalation", "step"): _l("Step"),
             ("need_escalation", "area_id"): _l("Escalated to the staff of"),
             ("complaint_escalation", "step"): _l("Step"),
             ("complaint_escalation", "area_id"): _l("Escalated to the staff of"),
             ("leader_training", "minutes"): _l("Length of the training (minutes)"),
             ("filing", "number"): _l("Filing number")}


def field(name: str, table: str | None = None) -> str:
    return str(FIELDS_OF.get((table, name)) or FIELDS.get(name, name))


def roles(codes: str) -> str:
    """``"bureau_officer,org_admin"`` → ``"民政局工作人员、组织管理员"``."""
    words = [str(TERMS[c].label) if c in TERMS else c for c in (codes or "").split(",") if c]
    return joined(words)


@cache
def _values() -> dict[tuple[str, str], dict]:
    """(table, field) → {stored value: word}, from the domains' own words where they have them."""
    from app.attendance import labels as attendance
    from app.complaints import labels as complaints
    from app.consultations import labels as consultations
    from app.evaluation.forms import MODE_LABELS
    from app.evaluation.labels import STATUS as EVAL_STATUS
    from app.evaluation.labels import TIER
    from app.funding import ladder
    from app.grassroots import labels as grassroots
    from app.imports import labels as imports
    from app.needs import labels as needs
    from app.notices import labels as notices
    from app.oversight import labels as ov
    from app.oversight.rules import all_rules
    from app.residents import labels as resident_labels
    from app.returnvisits import labels as visits
    from app.rules import labels as rule_labels
    from app.rules.catalogue import CATALOGUE as rule_specs
    from app.service import labels as sv
    from app.teams import labels as teams
    from app.timebank import labels as timebank
    from app.volunteers.availability import FreeTimesWords

    roles_ = {k: t.label for k, t in TERMS.items()}
    payment = {"paid": _l("Paid"), "reversed": _l("Reversed")}
    return {
        ("application", "status"): {"submitted": _l("Submitted"), "proposed": _l("Under public notice"),
                                    "awarded": _l("Awarded"), "declined": _l("Not funded")},
        ("award", "status"): {"notice": _l("Under public notice"), "contracted": _l("Contract signed"),
                              "withdrawn": _l("Withdrawn")},
        ("call", "status"): {"open": _l("Open"), "closed": _l("Closed for applications")},
        ("contract", "status"): {"draft": _l("Draft"), "signed": _l("Signed"), "closed": _l("Closed")},
        ("tranche", "status"): {"planned": _l("Planned"), "requested": _l("Awaiting approval"),
                                "paid": _l("Paid")},
        ("disbursement", "status"): payment,
        ("expenditure", "status"): {"pending": _l("Awaiting approval"), "window": _l("Open for oversight"),
                                    "objected": _l("Objection to resolve"), "final": _l("Final"),
                                    "rejected": _l("Rejected"), "reversed": _l("Reversed")},
        ("expenditure", "method"): {"transfer": _l("Bank transfer"), "online": _l("Official card / online"),
                                    "cash": _l("Cash")},
        ("merchant", "kind"): {"charity_store": _l("Charity store (爱心超市)"), "merchant": _l("Merchant")},
        ("redemption", "status"): {"issued": _l("Not used yet"), "consumed": _l("Used, to settle"),
                                   "settled": _l("Settled"), "cancelled": _l("Cancelled")},
        ("overseer_objection", "resolution"): {"upheld": _l("Upheld"), "dismissed": _l("Dismissed")},
        ("points_entry", "kind"): {"accrual": _l("Points granted"), "reversal": _l("Reversal"),
                                   "redemption": _g["redemption"], "release": _l("Returned")},
        ("resident_profile", "consent_how"): resident_labels.CONSENT_SHORT,
        ("notice_choice", "consent_how"): resident_labels.CONSENT_SHORT,
        ("notice_choice", "how"): notices.CHOICE_HOW, ("community_notice", "status"): notices.STATUS,
        ("evaluation", "mode"): MODE_LABELS, ("evaluation", "tier"): TIER,
        ("evaluation", "status"): EVAL_STATUS,
        ("finding", "severity"): ov.SEVERITY, ("finding", "status"): ov.STATUS,
        ("finding", "resolution"): ov.RESOLUTION,
        ("finding", "rule"): {code: rule.title for code, rule in all_rules().items()}, ("scan_run", "status"): ov.SCAN_STATUS,
        ("scan_run", "trigger"): ov.TRIGGER,
        ("monthly_report", "trigger"): {"schedule": _l("Published on schedule"),
                                        "bureau": _l("Published by the bureau")},
        ("service_record", "method"): sv.METHOD_LABELS,
        ("service_record", "status"): sv.RECORD_STATUS_LABELS,
        ("service_record", "source"): sv.SOURCE_LABELS,
        ("hours_request", "status"): sv.REQUEST_STATUS_LABELS,
        ("hours_request", "kind"): sv.REQUEST_KIND_LABELS,
        ("spot_check", "status"): {"open": _l("In progress"), "completed": _l("Completed"),
                                   "superseded": _l("Replaced by a re-draw")},
        ("spot_check", "kind"): OBJECT_TYPES, ("spot_check_item", "object_type"): OBJECT_TYPES,
        ("spot_check_item", "outcome"): {"pending": _l("Not checked yet"), "matches": _l("Matches the record"),
                                         "discrepancy": _l("Does not match"),
                                         "no_evidence": _l("No evidence produced")},
        ("export", "status"): {"queued": _l("Waiting"), "running": _l("Being built"),
                               "ready": _l("Ready"), "failed": _l("Failed")},
        ("organization", "status"): {"pending": _l("Awaiting verification"), "verified": _l("Verified"),
                                     "rejected": _l("Not approved")},
        ("org_invitation", "status"): {"pending": _l("waiting for an answer"), "accepted": _l("Accepted"),
                                       "declined": _l("Declined"), "withdrawn": _l("Withdrawn")},
        ("org_invitation", "role"): roles_, ("role_grant", "role"): roles_,
        ("project", "status"): {"draft": _l("Draft"), "published": _l("Published"),
                                "closed": _l("Closed"), "cancelled": _l("Cancelled")},
        ("shift_signup", "status"): {"confirmed": _l("Confirmed"), "waitlisted": _g["waitlist"],
                                     "cancelled": _l("Cancelled")},
        ("slot_booking", "status"): {"confirmed": _l("Confirmed"), "waitlisted": _g["waitlist"],
                                     "cancelled": _l("Cancelled")},
        ("certificate", "pdf_status"): {"pending": _l("being prepared"), "ready": _l("Ready")},
        ("volunteer_profile", "gender"): {"M": _l("Male"), "F": _l("Female")},
        ("volunteer_profile", "free_times"): FreeTimesWords(),
        ("consent", "document"): {"terms": _l("User agreement"), "privacy": _l("Privacy notice")},
        ("series", "kind"): {"shift": _g["shift"], "slot": _g["slot"]},
        ("series", "frequency"): {"weekly": _l("Weekly"), "monthly": _l("Monthly")},
        ("need", "status"): needs.STATUS, ("need", "urgency"): needs.URGENCY,
        ("need", "met_kind"): needs.LINK,
        ("rule_change", "rule"): {key: spec.name for key, spec in rule_specs.items()},
        ("rule_change", "status"): rule_labels.STATUS,
        ("procurement_record", "method"): ladder.METHODS, ("step_file", "step"): ladder.STEPS,
        ("complaint", "status"): complaints.STATUS, ("complaint", "kind"): complaints.KIND,
        ("import_batch", "status"): imports.STATUS, ("import_batch", "kind"): imports.KIND,
        ("time_entry", "kind"): timebank.KIND,
        ("slot_attendance", "source"): attendance.SOURCE, ("return_visit", "method"): visits.METHOD,
        ("consultation", "status"): consultations.STATUS,
        ("consultation_tally", "source"): consultations.SOURCE,
        ("team_member", "status"): teams.MEMBER_STATUS, ("team_signup", "status"): teams.SIGNUP_STATUS,
        ("organization", "standing"): grassroots.STANDING,
        ("filing", "sponsor_status"): grassroots.SPONSOR_STATUS,
        ("incubation", "stage"): grassroots.STAGE, ("stage_move", "from_stage"): grassroots.STAGE,
        ("stage_move", "to_stage"): grassroots.STAGE,
    }


def value(table: str, name: str, stored) -> str | None:
    """The word for a stored code, or None when the field holds no code."""
    words = _values().get((table, name))
    if words is None or stored is None:
        return None
    return str(words.get(stored, stored))

