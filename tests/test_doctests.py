"""The examples in docstrings run."""

import doctest

import pytest

import cartelsim.experiment.api
import cartelsim.sim


@pytest.mark.parametrize("module", [cartelsim.sim, cartelsim.experiment.api])
def test_docstring_examples(module):
    failures, tried = doctest.testmod(module)
    assert tried > 0 and failures == 0
