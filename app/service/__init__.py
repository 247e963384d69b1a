"""Service records (志愿服务记录): check-in by rotating QR code, verified hours, corrections
with approval, stars, the points wallet, free verifiable proof of service, and residents'
ratings and complaints.

Rules by concern: ``hours`` (the hours rule, working-day deadline, stars, points — pure
functions), ``services`` (check-in/out and attendance), ``corrections``, ``incentives``
(wallet and ledger outbox), ``standing`` (dashboard figures and star recomputation),
``certificates``, ``feedback``, ``reminders``.
"""
