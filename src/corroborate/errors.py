"""Errors and rejections.

The exception tree::

    CorroborateError            base: has a stable ``code``, a ``hint`` and optionally the ``source``
    ├── SettingsError           an unknown or malformed setting (config file, environment, flag)
    ├── InputError              one input could not be read or parsed (becomes a ``Rejected`` record)
    ├── FetchError              an http(s) URL could not be fetched (also becomes a ``Rejected``)
    ├── StoreError              the database cannot be opened or is from a newer version
    ├── ModelError              a model package is missing or does not load
    └── NotFound                a story or article id does not exist

A rejected input is never a silent ``None``: readers yield a :class:`Rejected` record that the run
collects, prints as one line on stderr and lists under ``errors`` in the report.
"""

from __future__ import annotations

from dataclasses import dataclass


class CorroborateError(Exception):
    """Base error. ``str(err)`` is one line a person can act on."""

    code = "error"

    def __init__(self, message: str, *, hint: str = "", source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.source = source

    def __str__(self) -> str:
        text = f"{self.source}: {self.message}" if self.source else self.message
        return f"{text} ({self.hint})" if self.hint else text


class SettingsError(CorroborateError):
    code = "settings"


class InputError(CorroborateError):
    code = "input"


class FetchError(InputError):
    code = "fetch"


class StoreError(CorroborateError):
    code = "store"


class ModelError(CorroborateError):
    code = "model"


class NotFound(CorroborateError):
    code = "not_found"


MAX_REASON = 300  # characters; a parser's message can quote a whole binary line


@dataclass(frozen=True)
class Rejected:
    """An input (or one item of it) that could not be processed, and why."""

    source: str
    stage: str
    reason: str

    def __post_init__(self) -> None:
        reason = " ".join(str(self.reason).split())  # one line, and one a person can read
        if len(reason) > MAX_REASON:
            reason = reason[:MAX_REASON - 1].rsplit(" ", 1)[0] + "…"
        object.__setattr__(self, "reason", reason)

    def line(self) -> str:
        return f"error: {self.source}: {self.reason}"

    def to_report(self) -> dict[str, str]:
        return {"source": self.source, "error": f"{self.stage}: {self.reason}"}
