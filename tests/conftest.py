import pytest

from cartelsim.world.world import load_world


@pytest.fixture(scope="session")
def world():
    return load_world()
