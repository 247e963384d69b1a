"""Residents' needs (需求 / 微心愿): posted by a resident or on their behalf, routed to the
organizations serving the area and category, claimed by one, met, confirmed and rated; late
ones are escalated to the bureau, and each community's wish wall shows them masked."""
