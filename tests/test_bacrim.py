"""The bundled Prieto-Curiel et al. (2023) network and trends load as published, and bad data fails
with a DataError that names the file and the row."""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cartelsim.errors import DataError
from cartelsim.world.bacrim import (
    ALLIANCES_FILE,
    NODES_FILE,
    RIVALS_FILE,
    TRENDS_FILE,
    GroupNetwork,
    default_folder,
    load_group_network,
    load_trends,
)

CJNG, NFM, CUINIS, SINALOA = "N10025", "N10076", "N10096", "N10013"


@pytest.fixture(scope="module")
def network() -> GroupNetwork:
    return load_group_network()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data folder."""
    source = Path(str(default_folder()))
    folder = tmp_path / "data"
    shutil.copytree(source, folder)
    return folder


def _replace_line(path: Path, line: int, text: str) -> None:
    """Replace 1-based line ``line`` of a UTF-8-with-BOM file, keeping the BOM."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[line - 1] = text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


def test_network_has_the_150_groups_in_file_order(network: GroupNetwork) -> None:
    assert len(network) == 150
    assert len(set(network.node_ids)) == 150
    assert network.node_ids[0] == "N10001"
    assert network.names[0] == "ACME"
    for values in (network.names, network.short_names, network.home_states):
        assert len(values) == 150
    i = network.index(CJNG)
    assert network.names[i] == "Cártel Jalisco Nueva Generación (CJNG)"
    assert network.short_names[i] == "CJNG"
    assert network.home_states[i] == "Jalisco"


def test_quoted_fields_with_commas_are_read_whole(network: GroupNetwork) -> None:
    i = network.index("N10033")
    assert network.names[i] == "Célula liderada por Alfonso Arzate García, El Aquiles"
    assert network.home_states[i] == "Baja California"


@pytest.mark.parametrize("name", ["rivalry", "alliance"])
def test_matrices_are_symmetric_nonnegative_with_zero_diagonal(
    network: GroupNetwork, name: str
) -> None:
    m = getattr(network, name)
    assert m.shape == (150, 150)
    assert m.dtype == np.float64
    np.testing.assert_array_equal(m, m.T)
    np.testing.assert_array_equal(np.diag(m), 0.0)
    assert (m >= 0).all()
    with pytest.raises(ValueError):
        m[0, 1] = 99.0  # read-only: the network is shared


def test_known_weights(network: GroupNetwork) -> None:
    cjng, nfm, cuinis, sinaloa = (network.index(x) for x in (CJNG, NFM, CUINIS, SINALOA))
    assert network.rivalry[cjng, nfm] == network.rivalry[nfm, cjng] == 13
    assert network.alliance[cjng, cuinis] == network.alliance[cuinis, cjng] == 6
    assert network.rivalry[cjng, sinaloa] == 7
    assert network.alliance[cjng, nfm] == 0


def test_one_direction_edges_are_made_symmetric(network: GroupNetwork) -> None:
    # BACRIM2020_Rivals.csv lists N10143 -> N10134 (weight 4) but not the reverse.
    a, b = network.index("N10143"), network.index("N10134")
    assert network.rivalry[a, b] == network.rivalry[b, a] == 4


def test_totals(network: GroupNetwork) -> None:
    # Undirected totals of the bundled files: 92 rival pairs (weight 179), 91 allied (163).
    assert np.count_nonzero(np.triu(network.rivalry)) == 92
    assert np.count_nonzero(np.triu(network.alliance)) == 91
    assert np.triu(network.rivalry).sum() == 179
    assert np.triu(network.alliance).sum() == 163
    np.testing.assert_array_equal(network.rival_strength, network.rivalry.sum(axis=1))
    assert network.rival_strength[network.index(CJNG)] + network.alliance_strength[
        network.index(CJNG)
    ] == max(network.rival_strength + network.alliance_strength)


def test_index_of_unknown_id_is_a_data_error(network: GroupNetwork) -> None:
    with pytest.raises(DataError, match="N99999"):
        network.index("N99999")


def test_trends() -> None:
    trends = load_trends()
    assert list(trends.columns) == ["year", "homicide", "missings", "arrests"]
    assert trends["year"].tolist() == list(range(2012, 2022))
    assert all(dtype.kind == "i" for dtype in trends.dtypes)
    first = trends.iloc[0]
    assert (first["homicide"], first["missings"], first["arrests"]) == (25967, 10760, 102535)
    assert trends.iloc[-1]["homicide"] == 35625


def test_a_copied_folder_loads_like_the_bundled_one(data_copy: Path, network: GroupNetwork) -> None:
    copy = load_group_network(data_copy)
    assert copy.node_ids == network.node_ids
    np.testing.assert_array_equal(copy.rivalry, network.rivalry)
    np.testing.assert_array_equal(copy.alliance, network.alliance)


# (file, 1-based line to overwrite, new text, a word the error message must contain)
CORRUPTIONS = [
    (RIVALS_FILE, 3, "E10083,N10076,La Nueva Familia Michoacana,N10025,CJNG,thirteen", "weight"),
    (RIVALS_FILE, 4, "E10013,N10013,Cártel de Sinaloa,N10025,CJNG,-7", "weight"),
    (RIVALS_FILE, 5, 'E10034,N10025,"CJNG, el grupo",N10013,Cártel de Sinaloa,nan', "weight"),
    (ALLIANCES_FILE, 2, "R10036,N10025,CJNG,N99999,Nadie,6", "N99999"),
    (ALLIANCES_FILE, 3, "R10089,N10096,Los Cuinis,N10096,Los Cuinis,6", "itself"),
    (RIVALS_FILE, 6, "E10099,N10025,CJNG", "fields"),
    (NODES_FILE, 4, "N10001,Otra ACME,Ciudad de México,ACME2", "twice"),
    (TRENDS_FILE, 5, "2015,20763,many,106930", "missings"),
    (TRENDS_FILE, 7, "2017,-32082,17335,105739", "negative"),
]


@pytest.mark.parametrize(("filename", "line", "text", "detail"), CORRUPTIONS)
def test_corrupted_row_names_file_and_row(
    data_copy: Path, filename: str, line: int, text: str, detail: str
) -> None:
    _replace_line(data_copy / filename, line, text)
    loader = load_trends if filename == TRENDS_FILE else load_group_network
    with pytest.raises(DataError) as caught:
        loader(data_copy)
    message = str(caught.value)
    assert filename in message
    assert f"row {line}" in message
    assert detail in message


@pytest.mark.parametrize(
    ("filename", "header", "column"),
    [
        (NODES_FILE, "Node,Group,State", "ShortName"),
        (RIVALS_FILE, "Edge,Node,Group,RNode,RGroup,peso", "weight"),
        (TRENDS_FILE, "YEAR,homicide,missing,arrests", "missings"),
    ],
)
def test_missing_column_is_a_data_error(
    data_copy: Path, filename: str, header: str, column: str
) -> None:
    _replace_line(data_copy / filename, 1, header)
    loader = load_trends if filename == TRENDS_FILE else load_group_network
    with pytest.raises(DataError, match=rf"{filename}, row 1: missing column\(s\) {column}"):
        loader(data_copy)


@pytest.mark.parametrize("filename", [NODES_FILE, RIVALS_FILE, ALLIANCES_FILE, TRENDS_FILE])
def test_missing_file_is_a_data_error(data_copy: Path, filename: str) -> None:
    (data_copy / filename).unlink()
    loader = load_trends if filename == TRENDS_FILE else load_group_network
    with pytest.raises(DataError, match=filename):
        loader(data_copy)


edge_lists = st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 20)).filter(
        lambda e: e[0] != e[1]
    ),
    max_size=30,
)


@settings(max_examples=40, deadline=None)
@given(rivals=edge_lists, allies=edge_lists)
def test_directed_rows_become_max_symmetric(
    rivals: list[tuple[int, int, int]], allies: list[tuple[int, int, int]]
) -> None:
    ids = [f"N{i}" for i in range(6)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with (folder / NODES_FILE).open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(["Node", "Group", "State", "ShortName"])
            w.writerows([i, f"Grupo {i}, con coma", "Jalisco", i] for i in ids)
        expected = {}
        for filename, edges in ((RIVALS_FILE, rivals), (ALLIANCES_FILE, allies)):
            m = np.zeros((6, 6))
            with (folder / filename).open("w", encoding="utf-8-sig", newline="") as f:
                w = csv.writer(f)
                w.writerow(["Edge", "Node", "Group", "RNode", "RGroup", "weight"])
                for k, (a, b, weight) in enumerate(edges):
                    w.writerow([f"E{k}", ids[a], "x", ids[b], "y", weight])
                    m[a, b] = m[b, a] = max(m[a, b], weight)
            expected[filename] = m
        net = load_group_network(folder)
    assert net.names[0] == "Grupo N0, con coma"
    np.testing.assert_array_equal(net.rivalry, expected[RIVALS_FILE])
    np.testing.assert_array_equal(net.alliance, expected[ALLIANCES_FILE])
