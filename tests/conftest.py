import contextlib
import io
import json

import pytest

from cartelsim.world.world import load_world


@pytest.fixture(scope="session")
def world():
    return load_world()


@pytest.fixture(scope="session")
def quick_validation():
    """`cartelsim validate --quick --json` on the fixed defaults, run once: its exit code and
    its targets by id. (Two replicates cannot make a posterior-predictive interval; the full
    validation, in docs/validation.md, does.)"""
    from cartelsim.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["validate", "--quick", "--json", "--parameters", "fixed"])
    return code, json.loads(out.getvalue())
