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


def _section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


def test_using_it_runs_commands_that_exist_from_the_venv_the_makefile_makes() -> None:
    using = _section("Using it")
    names = {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    block = using.split("```sh\n", 1)[1].split("```", 1)[0]
    used = [line.split()[1] for line in block.splitlines() if line.startswith("tagwire ")]
    assert used and all(name in names for name in used), used
    assert ". .venv/bin/activate" in using and ".venv/bin/tagwire" in using  # on the PATH, or in full
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    assert "VENV ?= .venv" in makefile and "\ninstall: $(VENV)/.installed" in makefile
    assert (
        'tagwire = "tagwire.cli:main"' in (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text()
    )


def test_quick_start_names_prerequisites_first_run_and_port() -> None:
    quick = _section("Quick start")
    assert "python3-venv" in quick and "make" in quick and "Python 3.11+" in quick
    assert (
        "needs the internet" in quick and "no setup and no internet" not in quick.split("The demo itself")[0]
    )
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    assert "make demo PORT=" in quick and "PORT ?= 8080" in makefile and "demo --port $(PORT)" in makefile
