"""Readers of publishers' APIs for reference data; each writes files the reference loaders read."""
