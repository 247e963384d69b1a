"""Residents (居民) on the district's roll: where they live and the group they belong to."""
