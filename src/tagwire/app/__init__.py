"""Use cases every face calls: fetching, understanding, analysing, the views, alerts (no face below)."""
