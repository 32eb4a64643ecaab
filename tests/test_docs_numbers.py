"""The numbers the docs quote are generated (docs/gen_numbers.py) and in step with the model."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REGENERATE = "run `PYTHONPATH=src python docs/gen_numbers.py --run --write`"


@pytest.fixture(scope="module")
def gen():
    spec = importlib.util.spec_from_file_location("gen_numbers", ROOT / "docs" / "gen_numbers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def numbers(gen):
    return json.loads(gen.NUMBERS.read_text(encoding="utf-8"))


def test_the_numbers_were_measured_on_this_model(gen, numbers):
    assert numbers["fingerprint"] == gen.fingerprint(), f"the model changed: {REGENERATE}"


def test_every_generated_block_is_current(gen, numbers):
    generated = gen.blocks(numbers)
    used = set()
    for name in gen.DOCUMENTS:
        text = (ROOT / name).read_text(encoding="utf-8")
        used |= {m.group(2) for m in gen.BLOCK.finditer(text)}
        assert gen.render(text, generated) == text, f"{name} is stale: {REGENERATE}"
    assert used == set(generated), "every generated block appears in the docs, and only those"


def test_the_fingerprint_follows_the_model_not_its_comments(gen):
    code = "def f(x):\n    '''Why.'''\n    return x + 1  # one more\n"
    assert gen._code(code) == gen._code("def f(x):\n    return x + 1\n")
    assert gen._code(code) != gen._code("def f(x):\n    return x + 2\n")


def test_a_block_renders_in_place(gen):
    table = "<!-- numbers:t -->\n{}\n<!-- /numbers:t -->"
    text = "a <!-- numbers:x -->old<!-- /numbers:x --> b\n" + table.format("old")
    out = gen.render(text, {"x": "new", "t": "| row |"})
    assert out == "a <!-- numbers:x -->new<!-- /numbers:x --> b\n" + table.format("| row |")
    with pytest.raises(KeyError):
        gen.render("<!-- numbers:y -->1<!-- /numbers:y -->", {})


@pytest.mark.slow
def test_the_numbers_reproduce(gen, numbers):
    """Measured again, the main job and the validation give the very same numbers."""
    again = gen.measure()
    for part in ("main_job", "validation"):
        again[part].pop("seconds")
        assert {k: v for k, v in numbers[part].items() if k != "seconds"} == again[part]
