"""Ingest stages: fetch (address guard), parse feeds and sitemaps, extract pages, normalize, caps."""
