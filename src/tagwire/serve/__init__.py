"""Serving tagwire on the web: HTML pages (pages.py), the JSON API (api.py), the app and the
server that runs them (app.py)."""

from tagwire.serve.app import create_app, serve

__all__ = ["create_app", "serve"]
