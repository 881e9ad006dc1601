"""A face: the web (HTML pages, JSON API, feeds out, security headers) over app/'s views."""

from tagwire.serve.app import create_app, serve

__all__ = ["create_app", "serve"]
