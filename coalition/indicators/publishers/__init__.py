"""Readers of publishers' APIs for indicator values; each writes files the indicator readers read."""
