"""Complaints (投诉) followed through: about a service, an organization, a volunteer or the
process (办事流程); handled by the organization named (else by the bureau), with a handler
and a deadline in working days; answered; judged by the resident (satisfied, or reopened with
a reason and a new deadline); escalated to the bureau when late or reopened."""
