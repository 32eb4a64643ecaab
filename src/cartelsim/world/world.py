"""The static world: places, links, crossings, markets, organizations and yearly series.

A world is a folder of CSV files (see `data/mexico-2025/SOURCES.md`); `load_world` reads and
checks it, and every fault names the file, line and column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from cartelsim import defaults
from cartelsim.errors import DataError
from cartelsim.fields import is_name, shown
from cartelsim.world.bacrim import GroupNetwork, load_group_network
from cartelsim.world.csvtable import date, identifier, number, one_of, read_csv, text
from cartelsim.world.posterior import Posterior, load_posterior

PLACE_KINDS = (
    "region",
    "city",
    "seaport",
    "border_city",
    "port_of_entry",
    "between_ports",
    "us_market",
    "precursor_source",
)
LINK_KINDS = ("road", "sea", "crossing", "us_road")
# Upper bounds that keep every count the state derives from them far inside its integer types.
MAX_POPULATION = 2e9  # people in one place: more than any country holds
MAX_TRAFFIC = 1e7  # crossings a week: about thirty times San Ysidro, the busiest land port
MAX_RELATION_WEIGHT = 1000.0  # the 2020 network's weights are at most 13


@dataclass(frozen=True)
class RelationChange:
    """From `since` on, groups a and b are rivals (or allies) with this weight, and no longer
    the other; a run that starts before `since` sees the change happen in that week."""

    a: int
    b: int
    kind: str  # "rival" or "ally"
    weight: float
    since: dt.date


@dataclass(frozen=True)
class Organizations:
    """The criminal groups: ids, rivalries and alliances from the Prieto-Curiel (2020) network,
    with this world's labels and its dated changes to that network."""

    node_ids: tuple[str, ...]
    labels: tuple[str, ...]
    home_states: tuple[str, ...]
    designated: np.ndarray  # bool
    faction_of: np.ndarray  # int index of the parent organization, -1 if none
    fentanyl_share: np.ndarray  # float
    rivalry: np.ndarray  # (n, n) symmetric weights, in the 2020 network
    alliance: np.ndarray
    changes: tuple[RelationChange, ...] = ()  # in date order

    @property
    def n(self) -> int:
        return len(self.node_ids)

    def index(self, node_id: str) -> int:
        try:
            return self.node_ids.index(node_id)
        except ValueError:
            raise DataError(f"unknown organization {node_id!r}") from None


@dataclass(frozen=True)
class World:
    name: str
    places: pd.DataFrame  # one row per place, in index order
    links: pd.DataFrame  # source, target (indices), kind, length_km
    crossings: pd.DataFrame  # place (index), us_state, traffic per week, between_ports flag
    markets: pd.DataFrame  # place (index), demand_share, naloxone_coverage
    presence: np.ndarray  # (places, organizations) strength, 0 where absent
    orgs: Organizations
    series: pd.DataFrame  # indexed by year
    posterior: Posterior | None = None  # parameter sets from `cartelsim calibrate`, if any

    @property
    def n_places(self) -> int:
        return len(self.places)

    def place_index(self, place_id: str) -> int:
        ids = self.places["id"]
        hit = np.flatnonzero(ids.to_numpy() == place_id)
        if hit.size == 0:
            raise DataError(f"unknown place {place_id!r}")
        return int(hit[0])


def world_folder(name_or_path: str | Path = defaults.WORLD) -> Path:
    name = str(name_or_path)
    if not name.strip():
        raise DataError("world: empty name (a bundled world's name, or a folder)")
    try:
        path = Path(name_or_path)
        if path.is_dir():
            return path
        if is_name(name) and name != "prieto-curiel-2023":
            bundled = Path(str(resources.files("cartelsim.world") / "data" / name))
            if bundled.is_dir():
                return bundled
    except (OSError, ValueError) as exc:  # a name too long for the system, a NUL byte
        raise DataError(f"world {shown(name)}: not a usable name ({exc})") from None
    raise DataError(f"world {shown(name)}: no such bundled world or folder")


def load_world(name_or_path: str | Path = defaults.WORLD) -> World:
    folder = world_folder(name_or_path)
    places = _load_places(folder / "places.csv")
    index = {pid: i for i, pid in enumerate(places["id"])}
    links = _load_links(folder / "links.csv", index, places)
    crossings = _load_crossings(folder / "crossings.csv", index, places)
    markets = _load_markets(folder / "markets.csv", index, places)
    network = load_group_network()
    orgs = _load_organizations(folder, network)
    presence = _load_presence(folder / "presence.csv", index, places, orgs)
    series = _load_series(folder / "series.csv")
    posterior = load_posterior(folder)
    return World(folder.name, places, links, crossings, markets, presence, orgs, series, posterior)


def _load_places(path: Path) -> pd.DataFrame:
    rows = read_csv(
        path,
        {
            "id": identifier(),
            "name": text(),
            "kind": one_of(*PLACE_KINDS),
            "state": text(),
            "country": one_of("MX", "US", "CN"),
            "lat": number(-90, 90),
            "lon": number(-180, 180),
            "population": number(0, MAX_POPULATION),
            "density": one_of("rural", "mixed", "urban"),
            "homicide_rate": number(0, 1000),
            "lab_weight": number(0, 1),
        },
    )
    _unique(path, rows, "id")
    frame = pd.DataFrame(rows).drop(columns="_line")
    if frame["lab_weight"].sum() <= 0:
        raise DataError(f"{path}: lab_weight is zero everywhere; no place can hold a lab")
    return frame


def _unique(path: Path, rows: list[dict], column: str) -> None:
    """A value that must appear once: the second row that repeats it is named."""
    first: dict[str, int] = {}
    for row in rows:
        if row[column] in first:
            raise DataError(
                f"{path}, line {row['_line']}: {column} {row[column]!r} appears "
                f"again (first on line {first[row[column]]})"
            )
        first[row[column]] = row["_line"]


def _place_ref(path: Path, row: dict, column: str, index: dict[str, int]) -> int:
    pid = row[column]
    if pid not in index:
        raise DataError(f"{path}, line {row['_line']}, column {column!r}: unknown place {pid!r}")
    return index[pid]


def _load_links(path: Path, index: dict[str, int], places: pd.DataFrame) -> pd.DataFrame:
    rows = read_csv(
        path,
        {
            "source": text(),
            "target": text(),
            "kind": one_of(*LINK_KINDS),
            "length_km": number(0, 50_000),
        },
    )
    out = []
    seen: dict[frozenset, int] = {}
    for row in rows:
        s, t = _place_ref(path, row, "source", index), _place_ref(path, row, "target", index)
        if s == t:
            raise DataError(f"{path}, line {row['_line']}: link from {row['source']!r} to itself")
        pair = frozenset((s, t))
        if pair in seen:
            raise DataError(
                f"{path}, line {row['_line']}: second link between {row['source']!r} and "
                f"{row['target']!r} (first on line {seen[pair]})"
            )
        seen[pair] = row["_line"]
        out.append((s, t, row["kind"], row["length_km"]))
    return pd.DataFrame(out, columns=["source", "target", "kind", "length_km"])


def _load_crossings(path: Path, index: dict[str, int], places: pd.DataFrame) -> pd.DataFrame:
    rows = read_csv(
        path,
        {
            "place": text(),
            "us_state": text(),
            "pov_per_week": number(0, MAX_TRAFFIC),
            "trucks_per_week": number(0, MAX_TRAFFIC),
            "pedestrians_per_week": number(0, MAX_TRAFFIC),
        },
    )
    _unique(path, rows, "place")
    out = []
    for row in rows:
        p = _place_ref(path, row, "place", index)
        kind = places.at[p, "kind"]
        if kind not in ("port_of_entry", "between_ports"):
            raise DataError(
                f"{path}, line {row['_line']}: place {row['place']!r} is a {kind}, "
                "not a port_of_entry or between_ports"
            )
        out.append(
            (
                p,
                row["us_state"],
                row["pov_per_week"],
                row["trucks_per_week"],
                row["pedestrians_per_week"],
                kind == "between_ports",
            )
        )
    frame = pd.DataFrame(
        out,
        columns=[
            "place",
            "us_state",
            "pov_per_week",
            "trucks_per_week",
            "pedestrians_per_week",
            "between_ports",
        ],
    )
    wanted = set(np.flatnonzero(places["kind"].isin(["port_of_entry", "between_ports"])))
    missing = wanted - set(frame["place"])
    if missing:
        names = ", ".join(sorted(places.loc[list(missing), "id"]))
        raise DataError(f"{path}: no row for crossing place(s) {names}")
    return frame


def _load_markets(path: Path, index: dict[str, int], places: pd.DataFrame) -> pd.DataFrame:
    rows = read_csv(
        path, {"place": text(), "demand_share": number(0, 1), "naloxone_coverage": number(0, 1)}
    )
    _unique(path, rows, "place")
    out = []
    for row in rows:
        p = _place_ref(path, row, "place", index)
        if places.at[p, "kind"] != "us_market":
            raise DataError(
                f"{path}, line {row['_line']}: place {row['place']!r} is not a us_market"
            )
        out.append((p, row["demand_share"], row["naloxone_coverage"]))
    frame = pd.DataFrame(out, columns=["place", "demand_share", "naloxone_coverage"])
    total = frame["demand_share"].sum()
    if abs(total - 1.0) > 1e-3:
        raise DataError(f"{path}: demand_share sums to {total:.4f}, expected 1")
    frame["demand_share"] /= total
    return frame


def _load_organizations(folder: Path, network: GroupNetwork) -> Organizations:
    n = len(network.node_ids)
    labels = list(network.short_names)
    designated = np.zeros(n, bool)
    faction_of = np.full(n, -1, np.int32)
    fentanyl = np.zeros(n)
    path = folder / "organizations.csv"
    rows = read_csv(
        path,
        {
            "org": text(),
            "label": text(),
            "designated": one_of("0", "1"),
            "faction_of": text(optional=True),
            "fentanyl_share": number(0, 1),
        },
    )
    ids = {nid: i for i, nid in enumerate(network.node_ids)}

    def org_ref(row: dict, column: str, path: Path = path) -> int:
        if row[column] not in ids:
            raise DataError(
                f"{path}, line {row['_line']}, column {column!r}: "
                f"unknown organization {row[column]!r}"
            )
        return ids[row[column]]

    _unique(path, rows, "org")
    for row in rows:
        i = org_ref(row, "org")
        if row["faction_of"] == row["org"]:
            raise DataError(
                f"{path}, line {row['_line']}: an organization cannot be a faction of itself"
            )
        labels[i] = row["label"]
        designated[i] = row["designated"] == "1"
        fentanyl[i] = row["fentanyl_share"]
        if row["faction_of"]:
            faction_of[i] = org_ref(row, "faction_of")
    changes = _load_relation_changes(folder / "rivalries_2025.csv", org_ref)
    return Organizations(
        network.node_ids,
        tuple(labels),
        network.home_states,
        designated,
        faction_of,
        fentanyl,
        network.rivalry.copy(),
        network.alliance.copy(),
        changes,
    )


def _load_relation_changes(path: Path, org_ref) -> tuple[RelationChange, ...]:
    if not path.exists():
        return ()
    rows = read_csv(
        path,
        {
            "org_a": text(),
            "org_b": text(),
            "kind": one_of("rival", "ally"),
            "weight": number(0, MAX_RELATION_WEIGHT),
            "since": date(),
        },
    )
    changes = []
    for row in rows:
        a, b = org_ref(row, "org_a", path), org_ref(row, "org_b", path)
        if a == b:
            raise DataError(f"{path}, line {row['_line']}: a group cannot be its own rival or ally")
        changes.append(RelationChange(a, b, row["kind"], row["weight"], row["since"]))
    return tuple(sorted(changes, key=lambda c: c.since))


def _load_presence(
    path: Path, index: dict[str, int], places: pd.DataFrame, orgs: Organizations
) -> np.ndarray:
    rows = read_csv(path, {"place": text(), "org": text(), "weight": number(0, 1)})
    presence = np.zeros((len(places), orgs.n))
    ids = {nid: i for i, nid in enumerate(orgs.node_ids)}
    for row in rows:
        p = _place_ref(path, row, "place", index)
        if places.at[p, "country"] != "MX":
            raise DataError(f"{path}, line {row['_line']}: place {row['place']!r} is not in Mexico")
        if row["org"] not in ids:
            raise DataError(
                f"{path}, line {row['_line']}, column 'org': unknown organization {row['org']!r}"
            )
        presence[p, ids[row["org"]]] = max(presence[p, ids[row["org"]]], row["weight"])
    absent = np.flatnonzero(presence.sum(axis=0) == 0)
    if absent.size:
        raise DataError(
            f"{path}: organization(s) present nowhere: "
            f"{', '.join(orgs.node_ids[i] for i in absent[:5])}"
        )
    return presence


def _load_series(path: Path) -> pd.DataFrame:
    rows = read_csv(
        path,
        {
            "year": number(1990, 2100),
            "lethal_share": number(0, 1),
            "mg_per_pill": number(0.01, 100),
            "naloxone_index": number(0, 10),
            "scan_pov": number(0, 1),
            "scan_truck": number(0, 1),
        },
    )
    frame = pd.DataFrame(rows).drop(columns="_line")
    frame["year"] = frame["year"].astype(int)
    if frame["year"].duplicated().any():
        raise DataError(f"{path}: a year appears twice")
    return frame.set_index("year").sort_index()
