"""The config file, `yenflow config show`, `--version`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import run_view
from yenflow.cli import app

runner = CliRunner()


def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    monkeypatch.setenv("YENFLOW_CONFIG", str(path))
    return path


def test_view_defaults_from_the_config_file(real_store: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = run_view(real_store, "hedge", bond_tenor=5, side="us").frame()
    _config(tmp_path, monkeypatch, "[views.hedge]\nbasis_bp = -30\n")
    wide = run_view(real_store, "hedge", bond_tenor=5, side="us")
    assert wide.params["basis_bp"] == -30.0 and any("constant -30 bp" in c for c in wide.conventions)
    assert wide.frame().loc["basis", "value"] == pytest.approx(-0.30) and plain.loc["basis", "value"] == 0
    # an option given on the command line wins over the file
    assert run_view(real_store, "hedge", bond_tenor=5, side="us", basis_bp=-10).params["basis_bp"] == -10.0


def test_config_show_masks_secrets_and_says_where_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _config(tmp_path, monkeypatch, 'fred_api_key = "abc123secret"\nmirror = "/srv/mirror"\n')
    monkeypatch.setenv("YENFLOW_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("YENFLOW_MIRROR", raising=False)
    monkeypatch.delenv("FRED_API_KEY", raising=False)
    r = runner.invoke(app, ["config", "show", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert "abc123secret" not in r.output
    rows = {row["setting"]: row for row in json.loads(r.output)["tables"][0]["rows"]}
    assert rows["fred_api_key"]["value"] == "(set, hidden)" and str(path) in rows["fred_api_key"]["from"]
    assert rows["mirror"]["value"] == "/srv/mirror"
    assert rows["home"]["from"] == "environment (YENFLOW_HOME)"


@pytest.mark.parametrize("text, message", [
    ("home = ", "not valid TOML"),
    ("colour = 'red'\n", "unknown setting 'colour'"),
    ("[views.hedge]\nbasis_bp = 'wide'\n", "[views.hedge] basis_bp: 'wide' is not a number (--basis on the command line)"),
])
def test_a_broken_config_file_is_one_line(text: str, message: str, real_store: object, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _config(tmp_path, monkeypatch, text)
    r = runner.invoke(app, ["hedge", "--home", str(real_store.path.parent)])  # type: ignore[attr-defined]
    assert r.exit_code in (1, 2)
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: config file") and message in lines[0], r.output


def test_version() -> None:
    import yenflow

    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.output.strip() == f"yenflow {yenflow.__version__}"
    assert yenflow.__version__[0].isdigit()
