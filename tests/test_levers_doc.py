"""docs/levers.md stays in step with the levers and the strategy library."""

import importlib.util
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _generator():
    spec = importlib.util.spec_from_file_location("gen_levers", DOCS / "gen_levers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lever_doc_is_current():
    text = (DOCS / "levers.md").read_text(encoding="utf-8")
    pasted = text.split("<!-- levers:start -->\n")[1].split("<!-- levers:end -->")[0]
    assert pasted == _generator().levers_text(), "run docs/gen_levers.py and paste its output"
