"""Every filter option on every command and layer either filters (fewer rows) or is refused with exit 2
naming where it applies: an option can never be silently ignored (issue 25)."""

from __future__ import annotations

import json

import pytest

from hunan_map.cli.query import QUERY_LAYERS
from hunan_map.layers.match import APPLIES, OPTIONS

pytestmark = pytest.mark.slow

#: A value for each option that narrows every layer it applies to.
SAMPLES = {"industry": "工程机械", "tier": "future", "layout": "省域副中心", "source": "hn2013", "year": "2013",
           "place": "株洲", "role": "core_carrier", "level": "national", "broader": None}
EXPORT_LAYERS = ("parks", "platforms", "clusters", "zones", "corridors", "prefectures", "counties")


def _args(option: str) -> list[str]:
    if option == "broader":
        return ["--broader"]
    return [f"--{option}", SAMPLES[option]]


def test_the_table_names_every_option_for_every_layer():
    for layer in (*QUERY_LAYERS, "prefectures", "counties"):
        assert set(APPLIES[layer]) <= set(OPTIONS)


@pytest.fixture(scope="module")
def unfiltered(runner_module):
    out = {}
    for layer in QUERY_LAYERS:
        res = runner_module("query", layer, "--format", "json")
        assert res.exit_code == 0, res.output
        out[layer] = len(json.loads(res.stdout))
    return out


@pytest.fixture(scope="module")
def runner_module():
    from typer.testing import CliRunner

    from hunan_map.cli.main import app

    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("layer", QUERY_LAYERS)
@pytest.mark.parametrize("option", OPTIONS)
def test_query_option_filters_or_is_refused(runner_module, unfiltered, layer, option):
    res = runner_module("query", layer, *_args(option), "--format", "json")
    if res.exit_code == 2:
        assert f"--{option}" in res.stderr or (option == "broader" and "--industry" in res.stderr)
        return
    assert res.exit_code == 0, res.output
    assert option in APPLIES[layer], f"{option} is not in APPLIES[{layer!r}] but was accepted"
    assert len(json.loads(res.stdout)) < unfiltered[layer], f"query {layer} --{option} filtered nothing"


@pytest.mark.parametrize("layer", EXPORT_LAYERS)
@pytest.mark.parametrize("option", [o for o in OPTIONS if o != "broader"])
def test_export_option_filters_or_is_refused(runner_module, tmp_path, layer, option):
    import pyogrio

    base = tmp_path / "all.geojson"
    assert runner_module("export", layer, "-o", base).exit_code == 0
    out = tmp_path / "some.geojson"
    res = runner_module("export", layer, *_args(option), "-o", out)
    if res.exit_code == 2:
        assert f"--{option}" in res.stderr
        return
    assert res.exit_code == 0, res.output
    everything = pyogrio.read_info(base)["features"]
    if layer in ("prefectures", "counties"):  # every unit stays; its counts follow the filter
        a = pyogrio.read_dataframe(base)
        b = pyogrio.read_dataframe(out)
        assert len(b) == len(a) and b["n_parks"].sum() + b["n_clusters"].sum() < a["n_parks"].sum() + a["n_clusters"].sum()
    else:
        assert pyogrio.read_info(out)["features"] < everything


@pytest.mark.parametrize("option", OPTIONS)
def test_matrix_option_filters_or_is_refused(runner_module, tmp_path, option):
    import pandas as pd

    base = tmp_path / "all.csv"
    assert runner_module("matrix", "-o", base).exit_code == 0
    out = tmp_path / "some.csv"
    args = [*_args(option)] if option != "broader" else ["--industry", "新能源汽车", "--broader"]
    res = runner_module("matrix", *args, "-o", out)
    if res.exit_code == 2:
        assert f"--{option}" in res.stderr
        return
    assert res.exit_code == 0, res.output
    a = pd.read_csv(base, index_col=0)
    b = pd.read_csv(out, index_col=0)
    assert b.to_numpy().sum() < a.to_numpy().sum() or (option == "broader")


TIMELINE_MODES = (("--place", "株洲市"), ("--industry", "工程机械"), ("--from", "hn2013"))


@pytest.mark.parametrize("mode", TIMELINE_MODES)
@pytest.mark.parametrize("option", [o for o in OPTIONS if o not in ("broader",)])
def test_timeline_option_filters_or_is_refused(runner_module, mode, option):
    base_args = [*mode] + (["--to", "hn2026"] if mode[0] == "--from" else [])
    if option in ("place", "industry") and mode[0] in ("--place", "--industry"):
        pytest.skip("the mode's own option")
    base = runner_module("timeline", *base_args, "--format", "json")
    assert base.exit_code == 0, base.output
    res = runner_module("timeline", *base_args, *_args(option), "--format", "json")
    if res.exit_code == 2:
        assert f"--{option}" in res.stderr or "--place" in res.stderr
        return
    assert res.exit_code == 0, res.output
    present = lambda rows: sum(1 for r in rows if r["present"])  # noqa: E731
    assert present(json.loads(res.stdout)) < present(json.loads(base.stdout)), f"timeline {mode} --{option}"


@pytest.mark.parametrize("args", [("--industry", "工程机械"), ("--source", "hn2026"), ("--year", "2025")])
def test_targets_options_filter(runner_module, args):
    everything = json.loads(runner_module("targets", "--format", "json").stdout)
    some = runner_module("targets", *args, "--format", "json")
    assert some.exit_code == 0 and 0 < len(json.loads(some.stdout)) < len(everything)


@pytest.mark.parametrize("args", [("--status", "both"), ("--industry", "工程机械"), ("--place", "株洲")])
def test_compare_catalogue_options_filter(runner_module, args):
    everything = json.loads(runner_module("compare-catalogue", "--format", "json").stdout)
    some = runner_module("compare-catalogue", *args, "--format", "json")
    assert some.exit_code == 0 and 0 < len(json.loads(some.stdout)) < len(everything)
