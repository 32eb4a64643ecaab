import math

import pytest

from cartelsim.errors import ParameterError
from cartelsim.params import SPECS, WEEKS_PER_YEAR, Params


def test_defaults_are_within_bounds_and_priors():
    for s in SPECS:
        assert s.lo <= s.default <= s.hi, s.name
        if s.prior is not None:
            assert s.lo <= s.prior.lo <= s.prior.hi <= s.hi, s.name


def test_every_parameter_names_a_source_or_assumption():
    for s in SPECS:
        assert s.source.strip() and s.doc.strip() and s.unit is not None, s.name


def test_assumptions_carry_a_prior():
    for s in SPECS:
        if s.source.startswith("assumption"):
            assert s.prior is not None, f"{s.name} is an assumption without a prior"


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"lab_capacity": 1.0}, "'lab_capacity': unknown parameter"),
        ({"labs": 0}, "'labs' = 0 is out of range"),
        ({"labs": 10.5}, "'labs': expected a whole number"),
        ({"pov_share": "high"}, "'pov_share': expected a number"),
        ({"pov_share": True}, "'pov_share': expected a number"),
        ({"demand_elasticity": 0.3}, "'demand_elasticity' = 0.3 is out of range"),
        ({"overdose_hazard": math.nan}, "'overdose_hazard' = nan is out of range"),
        ({"labs": math.inf}, "'labs' = inf is out of range"),
    ],
)
def test_bad_values_name_the_field(overrides, fragment):
    with pytest.raises(ParameterError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        Params(overrides)


def test_unknown_name_suggests_close_names():
    with pytest.raises(ParameterError, match="did you mean"):
        Params({"lab_capacity": 1.0})


def test_overrides_and_replace():
    p = Params({"labs": 200})
    assert p.labs == 200 and isinstance(p.labs, int)
    q = p.replace(scan_pov=0.4)
    assert q.scan_pov == 0.4 and q.labs == 200 and p.scan_pov == -1.0


def test_weekly_rate_conversion():
    p = Params({"lab_raid_rate": WEEKS_PER_YEAR / 2})
    # one event every two weeks on average → weekly probability 1 - e^-0.5
    assert p.weekly("lab_raid_rate") == pytest.approx(1 - math.exp(-0.5))


def test_the_sections_are_those_the_table_heads():
    """SECTIONS names the first parameter under each `# --- section ---` comment of SPECS, so
    a new section cannot silently join the one before it (screening and exploration group by
    them)."""
    import inspect
    import re

    from cartelsim import params
    from cartelsim.params import SECTIONS

    source = inspect.getsource(params)
    heads = re.findall(r"# --- (.+?) -+\n\s+Spec\(\"(\w+)\"", source)
    assert [first for _, first in heads] == list(SECTIONS)
    assert all(name.startswith(SECTIONS[first]) for name, first in heads)
