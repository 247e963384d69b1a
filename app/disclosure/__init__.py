"""Disclosure (信息公开): what the public sees without signing in — published contracts and
budgets, quarterly itemized statements per organization and contract, the notice board and
the aggregate spot-check results. No personal data; volunteers only as counts."""
