"""Performance evaluation (绩效评价): a tenant's 100-point template with weighted indicators,
self / department / third-party modes, tiers 优/良/中/差, and the provider's rating of the
bureau's process (two-way evaluation)."""
