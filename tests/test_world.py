import datetime as dt
import shutil

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from cartelsim.errors import DataError
from cartelsim.world.graph import build_graph
from cartelsim.world.world import load_world, world_folder


def test_default_world_has_the_places_the_issue_names(world):
    ids = set(world.places["id"])
    for place in [
        "tijuana",
        "mexicali",
        "san_luis_rio_colorado",
        "nogales",
        "agua_prieta",
        "ciudad_juarez",
        "nuevo_laredo",
        "reynosa",
        "matamoros",
        "manzanillo",
        "lazaro_cardenas",
        "mazatlan",
        "culiacan",
        "guadalajara",
        "monterrey",
        "san_ysidro",
        "calexico",
        "san_luis_az",
        "lukeville",
        "nogales_az",
        "douglas",
        "el_paso_poe",
        "laredo_poe",
        "hidalgo_pharr",
        "brownsville_poe",
        "phoenix",
    ]:
        assert place in ids, place


def test_mexico_is_partitioned_by_population(world):
    mx = world.places[world.places["country"] == "MX"]
    assert 120e6 < mx["population"].sum() < 135e6
    assert mx["state"].nunique() == 32
    rate = (mx["homicide_rate"] * mx["population"]).sum() / mx["population"].sum()
    assert 20 < rate < 30  # B3: about 25 per 100k


def test_organizations_come_from_the_prieto_curiel_network(world):
    assert world.orgs.n == 150
    assert (world.presence.sum(axis=0) > 0).all()
    sinaloa, chapitos = world.orgs.index("N10013"), world.orgs.index("N10091")
    assert world.orgs.alliance[sinaloa, chapitos] > 0  # allies in the 2020 network
    (war,) = world.orgs.changes  # ... at war since September 2024
    assert {war.a, war.b} == {sinaloa, chapitos} and war.kind == "rival"
    assert war.since == dt.date(2024, 9, 9)
    assert world.orgs.faction_of[chapitos] == sinaloa
    designated = {world.orgs.node_ids[i] for i in np.flatnonzero(world.orgs.designated)}
    assert {"N10013", "N10025", "N10019", "N10017", "N10076", "N10032"} <= designated


def test_every_crossing_is_reachable_and_every_market_served(world):
    graph = build_graph(world)
    mx = np.flatnonzero((world.places["country"] == "MX").to_numpy())
    edges = csr_matrix(
        (np.ones(graph.src.size), (graph.src, graph.dst)), shape=(graph.n_places,) * 2
    )
    _, labels = connected_components(edges, directed=False)
    assert len(set(labels[mx])) == 1
    share = graph.us_place_share
    # The crossing counts what crosses itself (border); each market receives at least its own
    # demand on the way out.
    assert np.allclose(share[np.arange(graph.crossings.size), graph.crossings], 0.0)
    demand = world.markets["demand_share"].to_numpy()
    assert (share[:, world.markets["place"]] >= demand - 1e-12).all()


def _copy(tmp_path):
    target = tmp_path / "world"
    shutil.copytree(world_folder(), target)
    return target


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_bad_number_names_file_line_and_column(tmp_path):
    folder = _copy(tmp_path)
    lines = (folder / "places.csv").read_text(encoding="utf-8").splitlines()
    fields = lines[3].split(",")
    fields[5] = "north"
    lines[3] = ",".join(fields)
    (folder / "places.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"places.csv, line 4, column 'lat': expected a number"):
        load_world(folder)


def test_unknown_place_in_links_is_named(tmp_path):
    folder = _copy(tmp_path)
    with (folder / "links.csv").open("a", encoding="utf-8") as f:
        f.write("tijuana,atlantis,road,10\n")
    with pytest.raises(
        DataError, match=r"links.csv, line \d+, column 'target': unknown place 'atlantis'"
    ):
        load_world(folder)


def test_missing_column_and_file_are_named(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder / "markets.csv", "demand_share", "demand")
    with pytest.raises(DataError, match=r"markets.csv: missing column\(s\) demand_share"):
        load_world(folder)
    folder = _copy(tmp_path / "b")
    (folder / "series.csv").unlink()
    with pytest.raises(DataError, match=r"series\.csv: file not found"):
        load_world(folder)


def test_demand_shares_must_add_up(tmp_path):
    folder = _copy(tmp_path)
    lines = (folder / "markets.csv").read_text(encoding="utf-8").splitlines()
    fields = lines[1].split(",")
    fields[1] = "0.9"
    lines[1] = ",".join(fields)
    (folder / "markets.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="demand_share sums to"):
        load_world(folder)


def test_unknown_world_name():
    with pytest.raises(DataError, match="no such bundled world"):
        load_world("mars-2090")


def test_a_bad_date_in_the_relation_changes_is_named(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder / "rivalries_2025.csv", "2024-09-09", "September 2024")
    with pytest.raises(
        DataError, match=r"rivalries_2025.csv, line 2, column 'since': expected a date"
    ):
        load_world(folder)
