"""Isolation makers, one module per domain (see ``tests/isolation.py``)."""
