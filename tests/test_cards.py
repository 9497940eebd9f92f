"""Sketching projects: additions in code and project cards, checked by the data files' rules, used downstream."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

import pxnet
from pxnet.cards import build_card_schema, schema_problems
from pxnet.cli import main
from pxnet.geo import haversine_km

ILLUSTRATION = "illustration: a sketch to show the method, not a plan or a sourced project"


@pytest.fixture(scope="module")
def net() -> pxnet.Network:
    return pxnet.load_network()


def spur_records(net: pxnet.Network) -> dict:
    """The 萍乡北–莲花 HSR spur at 250 km/h, 20 trains a day; lengths from the data, the rest an illustration."""
    pxb, lianhua = net.nodes.loc["pingxiang_north"], net.nodes.loc["lianhua"]
    crow = haversine_km(pxb.lon, pxb.lat, lianhua.lon, lianhua.lat)
    # Detour of a built HSR line of the data: 沪昆高铁 南昌西–长沙南, its official length over its great circle.
    hukun = net.links[net.links["line_name"] == "沪昆高铁"]
    ncx, csn = net.nodes.loc["nanchang_west"], net.nodes.loc["changsha_south"]
    factor = hukun["length_km"].sum() / haversine_km(ncx.lon, ncx.lat, csn.lon, csn.lat)
    return {
        "nodes": [
            {
                "id": "lianhua_hsr",
                "name_zh": "莲花站（示意）",
                "name_en": "Lianhua (illustration)",
                "kind": "hsr_station",
                "lon": float(lianhua.lon),
                "lat": float(lianhua.lat),
                "place": "lianhua",
                "source": f"{ILLUSTRATION}; placed at the 莲花县 seat",
            }
        ],
        "links": [
            {
                "id": "spur_pingxiang_north_lianhua_hsr",
                "from": "pingxiang_north",
                "to": "lianhua_hsr",
                "mode": "hsr",
                "length_km": round(crow * factor, 1),
                "speed_kph": 250,
                "status": "proposed",
                "source": f"estimate: {ILLUSTRATION}; great-circle {crow:.1f} km × {factor:.2f} (沪昆高铁's detour)",
            },
            {
                "id": "access_lianhua_lianhua_hsr",
                "from": "lianhua",
                "to": "lianhua_hsr",
                "mode": "access",
                "length_km": 1,
                "status": "proposed",
                "source": f"estimate: {ILLUSTRATION}; a nominal 1 km from the seat",
            },
        ],
        "services": [
            {
                "id": "spur_shuttle",
                "name": "萍莲支线 萍乡北–莲花（示意）",
                "mode": "hsr",
                "stops": ["pingxiang_north", "lianhua_hsr"],
                "trains_per_day": 20,
                "status": "proposed",
                "source": ILLUSTRATION,
            }
        ],
    }


def spur_card(net: pxnet.Network) -> dict:
    return {
        "id": "lianhua_spur",
        "name_zh": "萍乡北–莲花高铁支线（示意）",
        "name_en": "Pingxiang North–Lianhua HSR spur (illustration)",
        "category": "hsr",
        "source": ILLUSTRATION,
        "milestones": [{"event": "expected_open", "date": "2030", "source": ILLUSTRATION}],
        "adds": spur_records(net),
    }


@pytest.fixture(scope="module")
def base(net: pxnet.Network) -> pxnet.Scenario:
    return pxnet.get_scenario("expected-2030", network=net)


@pytest.fixture(scope="module")
def sketch(base: pxnet.Scenario) -> pxnet.Scenario:
    return base.apply(pxnet.Card.from_dict(spur_card(base.network)))


def test_sketch_in_code_and_from_a_card_give_identical_results(net, base, sketch, tmp_path):
    in_code = base.derive(name="code", add={"id": "lianhua_spur", **spur_records(net)})
    path = tmp_path / "lianhua_spur.yaml"
    pxnet.Card.from_dict(spur_card(net)).to_yaml(path)
    from_file = base.apply(pxnet.read_card(path))
    places = [*net.places.index, "lianhua_hsr"]
    for mode in ("door_to_door", "hsr"):
        a = pxnet.skim(places, places, mode=mode, scenario=in_code)
        b = pxnet.skim(places, places, mode=mode, scenario=from_file)
        c = pxnet.skim(places, places, mode=mode, scenario=sketch)
        np.testing.assert_array_equal(a.to_numpy(), b.to_numpy())
        np.testing.assert_array_equal(b.to_numpy(), c.to_numpy())
    assert in_code.links.loc["spur_pingxiang_north_lianhua_hsr", "time_min"] == pytest.approx(
        spur_records(net)["links"][0]["length_km"] / 250 * 60
    )


def test_compare_moves_only_the_way_the_added_link_allows(net, base, sketch):
    c = pxnet.compare(base, sketch)
    finite = c.od[np.isfinite(c.od["minutes_a"])]
    assert (finite["change_min"] <= 1e-9).all()  # never worse
    assert np.isfinite(c.od["minutes_b"]).sum() >= np.isfinite(c.od["minutes_a"]).sum()
    # By HSR the new station joins the network: from nowhere (inf) to a time, never the other way.
    hsr = pxnet.compare(base, sketch, origins=["lianhua_hsr"], destinations=["萍乡北", "长沙南", "广州南"], mode="hsr")
    assert np.isinf(hsr.od["minutes_a"]).all() and np.isfinite(hsr.od["minutes_b"]).all()
    # The spur's own run is part of each of those trips: time = length / speed.
    run = sketch.links.loc["spur_pingxiang_north_lianhua_hsr", "time_min"]
    assert (hsr.od["minutes_b"] > run).all()
    # Door to door, 莲花 → 萍乡北 can now take the spur: faster than the road it had.
    before = pxnet.travel_time("莲花", "萍乡北", mode="door_to_door", scenario=base)
    after = pxnet.travel_time("莲花", "萍乡北", mode="door_to_door", scenario=sketch)
    assert after < before


def test_assess_flips_name_the_sketched_project(net):
    """莲花's 60-minute reach of an HSR station (county_hsr_60min) is missed as built in 2024; the spur meets it."""
    card = pxnet.Card.from_dict(spur_card(net))
    scenarios = []
    for name in ("as-built-2024", "plan-2025"):
        base = pxnet.get_scenario(name, network=net)
        scenarios += [base, base.apply(card)]
    assert scenarios[1].network is scenarios[3].network  # the same cards give the same extended network
    a = pxnet.assess(["county_hsr_60min"], scenarios)
    before = a.result("county_hsr_60min", "as-built-2024")
    after = a.result("county_hsr_60min", "as-built-2024+lianhua_spur")
    assert before.satisfied is False and after.satisfied is True  # (pending: the goal falls due in 2025)
    assert any("lianhua_spur" in str(f) for f in after.flips)
    assert a.result("county_hsr_60min", "plan-2025+lianhua_spur").status == "met"


def test_downstream_graph_isochrones_and_export_see_the_spur(net, sketch, tmp_path):
    G = sketch.graph(mode="hsr")
    assert "lianhua_hsr" in G
    assert any(d["id"] == "spur_pingxiang_north_lianhua_hsr" for _, _, d in G.edges(data=True))
    bands = pxnet.isochrones("萍乡北", bands=(60,), mode="hsr", scenario=sketch)
    assert len(bands) == 1
    out = tmp_path / "sketch.gpkg"
    pxnet.to_geopackage(sketch, out)
    import geopandas as gpd

    links = gpd.read_file(out, layer="links")
    assert "spur_pingxiang_north_lianhua_hsr" in set(links["id"])


def test_map_draws_the_new_link(sketch):
    import matplotlib

    matplotlib.use("Agg")
    from pxnet import plot

    ax = plot.plot_network(sketch, extent=(113.5, 26.9, 114.3, 28.0))
    texts = {t.get_text() for t in ax.texts}
    assert any("莲花站" in t for t in texts)
    pxb, lianhua = sketch.network.nodes.loc["pingxiang_north"], sketch.network.nodes.loc["lianhua_hsr"]
    from pxnet.plot import root_figure

    assert root_figure(ax) is not None
    del pxb, lianhua


def test_the_original_network_is_left_as_it_was(net, sketch):
    assert "lianhua_hsr" not in net.nodes.index
    assert "lianhua_spur" not in net.projects
    assert sketch.network.extends is net
    assert sketch.network.resolve("莲花站（示意）") == "lianhua_hsr"


def test_card_round_trips_through_yaml(net, tmp_path):
    card = pxnet.Card.from_dict(spur_card(net))
    path = tmp_path / "c.yaml"
    text = card.to_yaml(path)
    assert path.read_text(encoding="utf-8") == text
    assert pxnet.read_card(path) == card
    assert [p.name for p in tmp_path.iterdir()] == ["c.yaml"]  # atomic write, no debris


def test_published_schema_is_the_one_built_from_the_vocabulary():
    published = json.loads((Path(pxnet.__file__).parent / "card.schema.json").read_text(encoding="utf-8"))
    assert published == build_card_schema()
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(published)


def test_every_bundled_project_writes_out_as_a_valid_card(net):
    cards = pxnet.project_cards(network=net)
    with_members = [p for p in net.projects.values() if p.members]
    assert len(cards) == len(net.projects) - len(with_members)
    for card in cards:
        assert schema_problems(card.to_dict()) == []
        linked = set(net.links.index[net.links["project"] == card.id])
        assert {r["id"] for r in card.adds.get("links", ())} == linked


def test_a_bundled_project_card_rebuilds_its_project(net, tmp_path):
    """Take 萍莲高速 out of a copy of the data, apply its card, and get the bundled travel times back."""
    import shutil

    import yaml

    folder = tmp_path / "data"
    shutil.copytree(pxnet.bundled_data_path(), folder)
    card = pxnet.project_card("pinglian_expressway", network=net)
    links = (folder / "links.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    ids = {r["id"] for r in card.adds["links"]}
    (folder / "links.csv").write_text("".join(x for x in links if x.split(",")[0] not in ids), encoding="utf-8")
    projects = yaml.safe_load((folder / "projects.yaml").read_text(encoding="utf-8"))
    for p in projects:
        p["members"] = [m for m in p.get("members", []) if m != "pinglian_expressway"] or None
        if p["members"] is None:
            del p["members"]
    projects = [p for p in projects if p["id"] != "pinglian_expressway"]
    (folder / "projects.yaml").write_text(yaml.safe_dump(projects, allow_unicode=True), encoding="utf-8")
    goals = yaml.safe_load((folder / "goals.yaml").read_text(encoding="utf-8"))
    goals = [g for g in goals if "pinglian_expressway" not in json.dumps(g, default=str)]
    (folder / "goals.yaml").write_text(yaml.safe_dump(goals, allow_unicode=True), encoding="utf-8")
    cut = pxnet.load_network(folder, warn=False)
    assert "pinglian_expressway" not in cut.projects
    rebuilt = pxnet.get_scenario("as-built-2024", network=cut).apply(card, enable=False)
    places = ["lianhua", "pingxiang", "luxi"]
    want = pxnet.skim(places, places, mode="road", scenario=2024, network=net)
    got = pxnet.skim(places, places, mode="road", scenario=rebuilt)
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy())
    before = pxnet.get_scenario("as-built-2020", network=cut).apply(card, enable=False)
    assert "pinglian_expressway" not in before.open_projects  # opened 2021-09: its milestones decide


def test_a_folder_of_cards_applies_to_any_scenario(net, tmp_path):
    pxnet.Card.from_dict(spur_card(net)).to_yaml(tmp_path / "a_spur.yaml")
    second = spur_card(net)
    second["id"] = "lianhua_spur_road"
    second["category"] = "road"
    second["adds"] = {
        "links": [
            {
                **spur_records(net)["links"][1],
                "id": "access_lianhua_lianhua_hsr_2",
                "from": "lianhua_east",
                "to": "lianhua_hsr",
            }
        ]
    }
    pxnet.Card.from_dict(second).to_yaml(tmp_path / "b_road.yaml")
    for which in ("plan-2025", 2026):
        sc = pxnet.get_scenario(which, network=net).apply(tmp_path)
        assert {"lianhua_spur", "lianhua_spur_road"} <= sc.open_projects
        assert "access_lianhua_lianhua_hsr_2" in sc.links.index


# -- bad additions ------------------------------------------------------------------------------------------------


def _error(base: pxnet.Scenario, **changes: object) -> pxnet.AdditionError:
    records = spur_records(base.network)
    for table, (index, field, value) in changes.items():
        records[table][index][field] = value
    start = time.perf_counter()
    with pytest.raises(pxnet.AdditionError) as info:
        base.derive(add=records)
    assert time.perf_counter() - start < 10
    assert isinstance(info.value, pxnet.PxnetError) and isinstance(info.value, ValueError)
    return info.value


def test_an_unknown_stop_is_named_with_its_field(base):
    err = _error(base, services=(0, "stops", ["pingxiang_north", "lianhua_hsrr"]))
    assert [p.column for p in err.problems] == ["stops"]
    assert "services[0]" in str(err) and "unknown stop 'lianhua_hsrr'" in str(err) and "did you mean" in str(err)


def test_a_link_to_a_nonexistent_node_is_named_with_its_field(base):
    err = _error(base, links=(0, "to", "lianhua_hsx"))
    assert err.problems[0].column == "to"
    assert "links[0]" in str(err) and "link to unknown node 'lianhua_hsx'" in str(err)


@pytest.mark.parametrize("speed", [-250, 0, float("nan"), "fast"])
def test_a_bad_speed_is_named_with_its_field(base, speed):
    err = _error(base, links=(0, "speed_kph", speed))
    assert err.problems[0].column == "speed_kph"  # (the service on it then lacks track: reported after)
    assert "links[0]" in str(err) and "spur_pingxiang_north_lianhua_hsr" in str(err)


def test_the_messages_are_those_of_the_data_files(base, tmp_path):
    """The same bad value in links.csv and as an addition gives the same message."""
    err = _error(base, links=(0, "speed_kph", -250))
    assert err.problems[0].message == "'-250' must be greater than zero"


def test_a_service_without_track_between_its_stops_is_refused(base):
    records = spur_records(base.network)
    records["links"] = records["links"][1:]  # no spur: the new station has no HSR track at all
    with pytest.raises(pxnet.AdditionError) as info:
        base.derive(add=records)
    assert info.value.problems[0].column == "stops"
    assert "hsr" in str(info.value)


def test_a_service_between_unconnected_tracks_is_refused(base, net):
    records = spur_records(net)
    records["nodes"].append({**records["nodes"][0], "id": "island_hsr", "lon": 114.5, "lat": 27.0})
    records["links"].append({**records["links"][0], "id": "island_link", "from": "lianhua_hsr", "to": "island_hsr"})
    records["nodes"].append({**records["nodes"][0], "id": "island_b", "lon": 114.6, "lat": 27.1})
    records["nodes"].append({**records["nodes"][0], "id": "island_c", "lon": 114.7, "lat": 27.2})
    records["links"].append(
        {**records["links"][0], "id": "island_bc", "from": "island_b", "to": "island_c", "length_km": 16}
    )
    records["services"][0]["stops"] = ["pingxiang_north", "island_b"]
    with pytest.raises(pxnet.AdditionError, match="no hsr track from stop 'pingxiang_north' to stop 'island_b'"):
        base.derive(add=records)


def test_a_taken_id_and_an_unknown_field_are_refused(base):
    records = spur_records(base.network)
    records["links"][0]["id"] = "hukun_hsr_pingxiang_north_liling_east"
    records["links"][1]["speeed_kph"] = 5
    with pytest.raises(pxnet.AdditionError) as info:
        base.derive(add=records)
    text = str(info.value)
    assert "already has this id" in text and "speeed_kph" in text and "did you mean 'speed_kph'" in text


def test_a_card_breaking_the_schema_names_the_field(net, tmp_path):
    card = spur_card(net)
    card["adds"]["links"][0]["mode"] = "hyperloop"
    path = tmp_path / "bad.yaml"
    path.write_text(json.dumps(card, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(pxnet.CardError, match=r"adds\.links\[0\]\.mode"):
        pxnet.read_card(path)


def test_an_addition_without_a_source_is_refused(base):
    records = spur_records(base.network)
    del records["nodes"][0]["source"]
    with pytest.raises(pxnet.AdditionError, match=r"nodes\[0\].*column 'source': required value is empty"):
        base.derive(add=records)


# -- command line -------------------------------------------------------------------------------------------------


def test_cli_compare_and_assess_with_a_card(net, tmp_path, capsys):
    path = tmp_path / "spur.yaml"
    pxnet.Card.from_dict(spur_card(net)).to_yaml(path)
    code = main(["compare", "expected-2030", "--with", str(path), "--origins", "莲花", "--destinations", "长沙"])
    out = capsys.readouterr().out
    assert code == 0 and "expected-2030+lianhua_spur" in out
    code = main(
        [
            "assess",
            "--scenario",
            "expected-2030",
            "--with",
            str(path),
            "--goal",
            "county_hsr_60min",
            "--no-flips",
            "--json",
        ]
    )
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert "expected-2030+lianhua_spur" in json.dumps(doc, ensure_ascii=False)
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n", encoding="utf-8")
    assert main(["compare", "expected-2030", "--with", str(bad)]) == 2
    assert "name_zh" in capsys.readouterr().err


def test_journeys_take_the_sketched_service_as_modelled_trips(sketch):
    trips = pxnet.journeys("莲花站（示意）", "萍乡北", scenario=sketch, mode="hsr", window=("06:00", "22:00"))
    assert len(trips) > 0
    assert set(trips["basis"]) == {"modelled"}
    # 20 trains a day on the spur, each way: no more departures than that
    assert len(trips) <= 20
    # the run: the spur's length at 250 km/h (the train's stop losses come on top)
    spur = sketch.network.links.loc["spur_pingxiang_north_lianhua_hsr"]
    assert trips["minutes"].min() >= float(spur["length_km"]) / 250 * 60


# -- cards at the edges -------------------------------------------------------------------------------
def test_applying_the_same_card_twice_is_a_clear_error(sketch):
    card = sketch.network.cards[-1]
    with pytest.raises(pxnet.CardError, match="already applied to this network"):
        sketch.apply(card)
    with pytest.raises(pxnet.CardError, match="already applied"):
        sketch.derive(add=card)


@pytest.mark.parametrize("thing", [42, 4.5, None, b"card.yaml", [{"id": "x"}, 7]])
def test_apply_of_something_that_is_not_a_card_is_a_clear_error(base, thing):
    with pytest.raises(pxnet.PxnetError, match=r"[Cc]ard"):
        base.apply(thing)


def test_a_card_that_adds_a_link_and_closes_it_is_refused(base):
    card = spur_card(base.network)
    card["closes"] = ["spur_pingxiang_north_lianhua_hsr"]
    with pytest.raises(pxnet.AdditionError, match="adds this link and closes it") as info:
        base.apply(card)
    assert "'spur_pingxiang_north_lianhua_hsr'" in str(info.value) and "closes" in str(info.value)


def test_added_stations_may_not_take_a_name_the_network_has(base):
    card = spur_card(base.network)
    card["adds"]["nodes"][0]["name_zh"] = "萍乡北"  # the name of the existing station pingxiang_north
    with pytest.raises(pxnet.AdditionError, match="node 'pingxiang_north' is already named '萍乡北'") as info:
        base.apply(card)
    assert "nodes[0]" in str(info.value) and "name_zh" in str(info.value)
    card = spur_card(base.network)
    twin = {**card["adds"]["nodes"][0], "id": "lianhua_hsr_2"}
    card["adds"]["nodes"].append(twin)  # two new nodes of one name
    with pytest.raises(pxnet.AdditionError, match="node 'lianhua_hsr' is already named"):
        base.apply(card)


def test_an_extended_network_keeps_the_data_sets_metadata_and_defaults(net, sketch):
    """``data/dataset.yaml`` gives data_date 2026-11 and the default origin 萍乡; a card changes neither."""
    extended = sketch.network
    assert extended.extends is net
    assert extended.metadata == net.metadata and extended.data_date == net.data_date != "unknown"
    assert extended.defaults == net.defaults and extended.defaults.origin == "萍乡"
    assert extended.observed.equals(net.observed) and extended.goals == net.goals


def test_a_cards_project_is_a_project_record(net):
    card = pxnet.project_card("pinglian_expressway", network=net)
    assert card.project == net.projects["pinglian_expressway"]  # one definition of a project
    assert card.id == card.project.id and card.closes == card.project.closes


def test_errors_live_in_pxnet_errors_and_keep_their_old_names():
    from pxnet import errors
    from pxnet.cards import CardError
    from pxnet.geo import CoordinateError

    assert CardError is errors.CardError is pxnet.CardError and issubclass(CardError, ValueError)
    assert CoordinateError is errors.CoordinateError and issubclass(CoordinateError, pxnet.PxnetError)
