"""Every setting tagwire reads, in one table. Each is read from the environment variable
`TAGWIRE_<NAME>` (upper case); `tagwire settings` lists them and tests/test_docs.py checks that
the README documents each one."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir

from tagwire.errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    type: Callable[[str], Any]
    default: Any
    help: str
    secret: bool = False

    @property
    def env(self) -> str:
        return "TAGWIRE_" + self.name.upper()


def _bool(value: str) -> bool:
    v = value.strip().lower()
    if v in {"1", "true", "yes", "on"}:
        return True
    if v in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected 1/0, true/false, yes/no, on/off, not {value!r}")


def _default_database() -> str:
    return str(Path(user_data_dir("tagwire")) / "tagwire.db")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "database",
        str,
        None,
        "SQLite file path or postgresql:// URL (default: tagwire.db in the user's data directory)",
    ),
    Setting(
        "allow_private_networks", _bool, False, "Allow fetches to loopback, private and link-local addresses"
    ),
    Setting("fetch_concurrency", int, 16, "How many HTTP requests run at once in all"),
    Setting(
        "per_origin_concurrency",
        int,
        2,
        "How many requests run at once against one origin (scheme, host, port)",
    ),
    Setting("per_origin_gap", float, 0.0, "Least seconds between the starts of two requests to one origin"),
    Setting("extract_processes", int, -1, "Processes that extract article pages (-1: one per core; 0: none)"),
    Setting("fetch_timeout", float, 20.0, "Seconds a request may take, connection to last byte"),
    Setting("max_body_bytes", int, 10 * 1024 * 1024, "Largest response body read, in bytes"),
    Setting("max_redirects", int, 5, "Redirects followed for one request"),
    Setting(
        "user_agent_contact",
        str,
        "",
        "A URL or e-mail address added to the User-Agent so outlets can reach you",
    ),
    Setting("fetch_interval", int, 1800, "Seconds between checks of a source whose rhythm is not known yet"),
    Setting("min_fetch_interval", int, 300, "Fewest seconds between checks of a source that publishes often"),
    Setting("max_fetch_interval", int, 21600, "Most seconds between checks of a source that posts rarely"),
    Setting(
        "understand_processes",
        int,
        -1,
        "Processes preparing the next batch (hashtags) while one is decided (-1: one on 2+ cores; 0: none)",
    ),
    Setting("story_window_hours", float, 72.0, "How far apart in time two reports of one story can be"),
    Setting(
        "api_token",
        str,
        "",
        "Bearer token that the write routes of the API require (unset: writing is disabled)",
        secret=True,
    ),
    Setting("alert_attempts", int, 8, "Attempts to deliver one alert to a webhook before giving up"),
    Setting("alert_backoff", float, 30.0, "Seconds before an alert's first retry; doubled at each next one"),
    Setting("alert_backoff_max", float, 3600.0, "Longest wait, in seconds, between two tries of an alert"),
    Setting("alert_timeout", float, 10.0, "Seconds a webhook may take to answer an alert"),
    Setting("host", str, "127.0.0.1", "Address `tagwire serve` listens on"),
    Setting("port", int, 8080, "Port `tagwire serve` listens on"),
    Setting("max_title_chars", int, 1000, "Longest headline kept; a longer one is cut (at ingest)"),
    Setting(
        "max_text_chars",
        int,
        200_000,
        "Longest article text (or feed summary standing in for it) kept; a longer one is cut",
    ),
    Setting(
        "max_field_chars",
        int,
        300,
        "Longest author, section, category, outlet name or credit kept; a longer one is cut",
    ),
    Setting("max_url_chars", int, 2048, "Longest article URL accepted; an item with a longer one is skipped"),
    Setting(
        "max_items_per_feed",
        int,
        1000,
        "New items read from one source in one run, newest first (the rest in the next runs)",
    ),
    Setting(
        "max_links_per_page",
        int,
        1000,
        "Links read from one page: feeds discovered on a site, entries of an OPML file or sitemap index",
    ),
    Setting(
        "understand_budget",
        float,
        10.0,
        "Seconds understanding one article may take; past it (or on an error) the article is quarantined",
    ),
    Setting(
        "extract_budget",
        float,
        20.0,
        "Seconds extracting one article page may take; past it the page is dropped (the feed summary stays)",
    ),
    Setting("max_request_bytes", int, 65536, "Largest request body the API accepts, in bytes"),
)


@dataclass(frozen=True)
class Settings:
    values: Mapping[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def database(self) -> str:
        value: str | None = self.values.get("database")
        return value or _default_database()

    def replace(self, **changes: Any) -> Settings:
        return Settings({**self.values, **changes})


def load(environ: Mapping[str, str] | None = None) -> Settings:
    """Read every setting from `environ` (default: os.environ); a bad value is a ConfigError."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for s in SETTINGS:
        raw = env.get(s.env)
        if raw is None or (raw == "" and s.default is not None and s.type is not str):
            values[s.name] = s.default
            continue
        try:
            values[s.name] = s.type(raw)
        except ValueError as e:
            raise ConfigError(f"{s.env}={raw!r} is not usable: {e}") from None
    return Settings(values)
