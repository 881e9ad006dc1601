"""Every setting tagwire reads, in one table: the fields of `Settings`, each with its type, default
and help. Each is read from the environment variable `TAGWIRE_<NAME>` (upper case) by `load`;
`tagwire settings` lists them, and tests/test_docs.py checks that the README documents each one.
The type of a field is the parser of its variable (miniflux's config/options.go, as one typed
dataclass), so every reader of a setting gets an `int`, `float`, `bool` or `str`, never Any."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, cast

from platformdirs import user_data_dir

from tagwire.errors import ConfigError

Value = int | float | bool | str
V = TypeVar("V", int, float, bool, str)


def setting(default: V, help: str, *, secret: bool = False) -> V:
    """A field of `Settings`: its default, the sentence `tagwire settings` shows, and whether
    its value is a secret (shown as ***)."""
    return field(default=default, metadata={"help": help, "secret": secret})


@dataclass(frozen=True)
class Settings:
    """Every setting, typed. Build it with `load()` (from the environment); `replace` for tests."""

    database: str = setting(
        "", "SQLite file path or postgresql:// URL (default: tagwire.db in the user's data directory)"
    )
    allow_private_networks: bool = setting(
        False, "Allow fetches to loopback, private and link-local addresses"
    )
    fetch_concurrency: int = setting(16, "How many HTTP requests run at once in all")
    per_origin_concurrency: int = setting(
        2, "How many requests run at once against one origin (scheme, host, port)"
    )
    per_origin_gap: float = setting(0.0, "Least seconds between the starts of two requests to one origin")
    extract_processes: int = setting(-1, "Processes that extract article pages (-1: one per core; 0: none)")
    read_processes: int = setting(
        -1, "Processes that parse fetched feeds when a run brings many (-1: one per core; 0: a thread)"
    )
    fetch_timeout: float = setting(
        20.0,
        "Seconds a request may take, connection to last byte (a server silent for half of it: given up)",
    )
    max_body_bytes: int = setting(10_485_760, "Largest response body read, in bytes")
    max_redirects: int = setting(5, "Redirects followed for one request")
    user_agent_contact: str = setting(
        "", "A URL or e-mail address added to the User-Agent so outlets can reach you"
    )
    fetch_interval: int = setting(1800, "Seconds between checks of a source whose rhythm is not known yet")
    min_fetch_interval: int = setting(300, "Fewest seconds between checks of a source that publishes often")
    max_fetch_interval: int = setting(21_600, "Most seconds between checks of a source that posts rarely")
    understand_processes: int = setting(
        -1,
        "Processes preparing the next batch (hashtags) while one is decided (-1: one on 2+ cores; 0: none)",
    )
    story_window_hours: float = setting(72.0, "How far apart in time two reports of one story can be")
    api_token: str = setting(
        "", "Bearer token that the write routes of the API require (unset: writing is disabled)", secret=True
    )
    alert_attempts: int = setting(8, "Attempts to deliver one alert to a webhook before giving up")
    alert_backoff: float = setting(30.0, "Seconds before an alert's first retry; doubled at each next one")
    alert_backoff_max: float = setting(3600.0, "Longest wait, in seconds, between two tries of an alert")
    alert_timeout: float = setting(10.0, "Seconds a webhook may take to answer an alert")
    job_attempts: int = setting(
        4, "Tries of one job of `tagwire worker` before it is parked (see `tagwire jobs`)"
    )
    job_retry_wait: int = setting(
        2, "Seconds before a failed job's next try, to the power of the try (2: 2, 4, 8 s)"
    )
    host: str = setting("127.0.0.1", "Address `tagwire serve` listens on")
    port: int = setting(8080, "Port `tagwire serve` listens on")
    max_title_chars: int = setting(1000, "Longest headline kept; a longer one is cut (at ingest)")
    max_text_chars: int = setting(
        200_000, "Longest article text (or feed summary standing in for it) kept; a longer one is cut"
    )
    max_field_chars: int = setting(
        300, "Longest author, section, category, outlet name or credit kept; a longer one is cut"
    )
    max_url_chars: int = setting(2048, "Longest article URL accepted; an item with a longer one is skipped")
    max_items_per_feed: int = setting(
        1000, "New items read from one source in one run, newest first (the rest in the next runs)"
    )
    max_links_per_page: int = setting(
        1000, "Links read from one page: feeds discovered on a site, entries of an OPML file or sitemap index"
    )
    understand_budget: float = setting(
        10.0,
        "Seconds understanding one article may take; past it (or on an error) the article is quarantined",
    )
    extract_budget: float = setting(
        20.0,
        "Seconds extracting one article page may take; past it the page is dropped (the feed summary stays)",
    )
    max_request_bytes: int = setting(65_536, "Largest request body the API accepts, in bytes")

    def replace(self, **changes: Value) -> Settings:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]  # (a test's choice)


def _bool(value: str) -> bool:
    v = value.strip().lower()
    if v in {"1", "true", "yes", "on"}:
        return True
    if v in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected 1/0, true/false, yes/no, on/off, not {value!r}")


_PARSERS: dict[str, Callable[[str], Value]] = {"int": int, "float": float, "bool": _bool, "str": str}


@dataclass(frozen=True)
class Setting:
    """One row of the table, as `tagwire settings` and the docs test read it."""

    name: str
    type: Callable[[str], Value]
    default: Value
    help: str
    secret: bool = False

    @property
    def env(self) -> str:
        return "TAGWIRE_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(f.name, _PARSERS[str(f.type)], cast(Value, f.default), f.metadata["help"], f.metadata["secret"])
    for f in dataclasses.fields(Settings)
)


def _default_database() -> str:
    return str(Path(user_data_dir("tagwire")) / "tagwire.db")


def load(environ: Mapping[str, str] | None = None) -> Settings:
    """Read every setting from `environ` (default: os.environ); a bad value is a ConfigError.
    An empty value is the default, except for text settings (an empty contact is a choice)."""
    env = os.environ if environ is None else environ
    values: dict[str, Value] = {}
    for s in SETTINGS:
        raw = env.get(s.env)
        if raw is None or (raw == "" and s.type is not str):
            continue
        try:
            values[s.name] = s.type(raw)
        except ValueError as e:
            raise ConfigError(f"{s.env}={raw!r} is not usable: {e}") from None
    values["database"] = values.get("database") or _default_database()
    return Settings(**values)  # type: ignore[arg-type]  # (each parsed by its own field's type)
