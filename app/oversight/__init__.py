"""Oversight (监督): the anomaly queue the bureau works every morning, and its dashboards."""
