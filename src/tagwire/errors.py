"""The exceptions tagwire raises, each carrying the message a person reads.

    TagwireError                 anything tagwire reports to a user in one line
    ├── ConfigError              a setting has a value tagwire cannot use
    ├── StoreError               the database cannot be opened, created, migrated or written
    │   ├── SchemaOutOfDate      the database is older than this tagwire (run `tagwire migrate`)
    │   └── DiskFull             the disk holding the database is full
    ├── FetchError               a source or page could not be fetched
    │   ├── BlockedAddress       the address is loopback/private and that is not allowed
    │   ├── TooLarge             the body is over the size cap
    │   ├── HTTPStatusError      the server answered with an error status
    │   └── NetworkError         DNS, connection, TLS, timeout, redirect loop
    ├── ParseError               a body is not a feed tagwire can read
    ├── InputError               a file or argument given on the command line is unusable
    ├── CannotListen             the web server cannot listen where asked (port in use, ...)
    └── OverBudget               one item's work took longer than its time budget

Stages raise these; the CLI prints `str(error)` and exits non-zero, and fetching records the
message on the source and goes on with the others.
"""

from __future__ import annotations


class TagwireError(Exception):
    """Base of every error a user may see. `str()` is the whole message."""


class ConfigError(TagwireError):
    pass


class StoreError(TagwireError):
    pass


class SchemaOutOfDate(StoreError):
    pass


class DiskFull(StoreError):
    """The disk holding the database is full: nothing is wrong with the data being written."""


class FetchError(TagwireError):
    """`cause` names the kind of failure in a few words ("DNS", "HTTP 404", "too large"), for
    counts of many failures; `str()` is still the whole message."""

    def __init__(self, message: str, cause: str = "fetch failed") -> None:
        super().__init__(message)
        self.cause = cause


class BlockedAddress(FetchError):
    def __init__(self, message: str) -> None:
        super().__init__(message, "private address refused")


class TooLarge(FetchError):
    def __init__(self, message: str) -> None:
        super().__init__(message, "too large")


class HTTPStatusError(FetchError):
    def __init__(self, status: int, message: str, retry_after: float | None = None) -> None:
        super().__init__(message, f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class NetworkError(FetchError):
    """cause: "DNS", "connection refused", "timeout", "TLS", "connection lost", "redirects", ..."""

    def __init__(self, message: str, cause: str = "network error") -> None:
        super().__init__(message, cause)


class ConnectionLost(NetworkError):
    """The connection broke off mid-request (a kept-alive connection the server had closed): asking
    again may well work."""


class ParseError(TagwireError):
    pass


class InputError(TagwireError):
    pass


class CannotListen(TagwireError):
    pass


class OverBudget(TagwireError):
    """Raised inside work on one item (extracting a page, understanding an article) when its
    time budget runs out; the item is given up (quarantined), the run goes on."""
