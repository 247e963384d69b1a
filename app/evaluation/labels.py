"""Words for stored codes: dimensions, tiers, statuses."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DIMENSION = {"economy": _l("Economy"), "efficiency": _l("Efficiency"),
             "effectiveness": _l("Effectiveness"), "equity": _l("Fairness (equity)"),
             "satisfaction": _l("Resident satisfaction")}
TIER = {"excellent": _l("Excellent"), "good": _l("Good"), "fair": _l("Fair"), "poor": _l("Poor")}
STATUS = {"draft": _l("Draft"), "final": _l("Finalized")}
#: The tier as written on award papers: 优/良/中/差.
TIER_SHORT = {"excellent": _l("Tier excellent"), "good": _l("Tier good"),
              "fair": _l("Tier fair"), "poor": _l("Tier poor")}

ALL = {"dimension": DIMENSION, "tier": TIER, "status": STATUS, "tier_short": TIER_SHORT}
