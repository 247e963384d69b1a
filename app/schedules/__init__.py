"""Recurring schedules (重复安排) of shifts and service slots."""
