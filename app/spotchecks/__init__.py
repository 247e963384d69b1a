"""Spot checks (抽查): reproducible random samples of service records and expenditures,
checked against their evidence, with the outcomes published in aggregate."""
