import numpy as np
import pytest

from cartelsim.state.assets import Assets
from cartelsim.state.members import Members


def test_ids_are_stable_when_the_table_grows():
    t = Members(capacity=2)
    first = t.add(2, org=[3, 4], place=1)
    more = t.add(5, org=7)
    assert list(first) == [0, 1] and list(more) == [2, 3, 4, 5, 6]
    assert t.allocated >= 7 and t.count == 7
    assert list(t.org) == [3, 4, 7, 7, 7, 7, 7]
    assert (t.place[:2] == 1).all() and (t.place[2:] == 0).all()


def test_columns_use_small_dtypes():
    m = Members()
    assert m.org.dtype == np.int16 and m.role.dtype == np.int8
    assert m.nbytes_per_row() <= 20


def test_unknown_column_is_refused():
    with pytest.raises(KeyError, match="colour"):
        Assets().add(1, colour=2)
