"""Ingest stages: fetch, parse, extract, normalize, discover."""
