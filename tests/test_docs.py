"""The README documents every setting and command (datasette's tests/test_docs.py habit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagwire import config
from tagwire.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


@pytest.mark.parametrize("setting", config.SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_in_the_readme(setting: config.Setting) -> None:
    assert f"`{setting.env}`" in README


def test_every_command_is_in_the_readme() -> None:
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    missing = [n for n in names if f"`{n}" not in README]
    assert not missing


def test_bad_setting_values_are_clear() -> None:
    with pytest.raises(config.ConfigError, match="TAGWIRE_FETCH_TIMEOUT='soon'"):
        config.load({"TAGWIRE_FETCH_TIMEOUT": "soon"})
    assert config.load({"TAGWIRE_ALLOW_PRIVATE_NETWORKS": "yes"}).allow_private_networks is True
    assert config.load({}).fetch_concurrency == 16
