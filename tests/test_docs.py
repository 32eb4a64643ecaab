"""docs/model.md stays in step with the code: every name is mentioned, the tables are current."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from cartelsim.outcomes import SCALARS, SERIES
from cartelsim.params import SPECS

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.fixture(scope="module")
def model_md() -> str:
    return (DOCS / "model.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def gen():
    spec = importlib.util.spec_from_file_location("gen_params_table", DOCS / "gen_params_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _mentioned(text: str, name: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", text) is not None


def _between(text: str, marker: str) -> str:
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    assert text.count(start) == 1 and text.count(end) == 1, f"markers {marker} missing"
    return text.split(start, 1)[1].split(end, 1)[0].strip()


def test_every_parameter_is_documented(model_md):
    missing = [s.name for s in SPECS if not _mentioned(model_md, s.name)]
    assert not missing, f"docs/model.md does not mention parameter(s) {missing}"


def test_every_weekly_series_is_documented(model_md):
    missing = [s.name for s in SERIES if not _mentioned(model_md, s.name)]
    assert not missing, f"docs/model.md does not mention series {missing}"


def test_every_summary_scalar_is_documented(model_md):
    """Declared, the scalars are the summary (tests/test_outcomes.py checks it)."""
    missing = [s.name for s in SCALARS if not _mentioned(model_md, s.name)]
    assert not missing, f"docs/model.md does not mention summary scalar(s) {missing}"


def test_parameter_table_is_current(model_md, gen):
    assert _between(model_md, "params") == gen.params_table().strip(), (
        "the parameter table in docs/model.md is stale: paste the output of "
        "`PYTHONPATH=src python docs/gen_params_table.py` between the params markers"
    )


def test_series_table_is_current(model_md, gen):
    assert _between(model_md, "series") == gen.series_table().strip(), (
        "the series table in docs/model.md is stale: paste the output of "
        "`PYTHONPATH=src python docs/gen_params_table.py --series` between the series markers"
    )


def test_scalar_table_is_current(model_md, gen):
    assert _between(model_md, "scalars") == gen.scalars_table().strip(), (
        "the summary-scalar table in docs/model.md is stale: paste the output of "
        "`PYTHONPATH=src python docs/gen_params_table.py --scalars` between the scalars markers"
    )
