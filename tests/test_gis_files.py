"""Issue 22, GIS files opened as a GIS user would: each reproduction read back with GDAL (pyogrio), SQLite,
pyarrow, an XML parser and xmllint with the OGC KML 2.2 schema."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from pyproj import CRS

from hunan_map import layers
from hunan_map.geo.errors import HunanMapError
from hunan_map.layers.io.export import write_layers

KML = "{http://www.opengis.net/kml/2.2}"
FIRM_COLUMNS = ["企业名称", "统一社会信用代码", "成立日期", "统一社团编号", "注册资本（万元）"]


def firms_csv(path: Path, *, name_column: str = "企业名称", extra: str = "") -> Path:
    cols = [name_column if c == "企业名称" else c for c in FIRM_COLUMNS]
    rows = [["长沙某科技有限公司" + extra, "91430100MA4L000001", "2019-03-01", "A1", "500"],
            ["株洲某材料有限公司", "91430200MA4L000002", "2020-07-15", "A2", "1200"]]
    lines = [",".join([*cols, "lon", "lat"]),
             ",".join([*rows[0], "112.95", "28.20"]), ",".join([*rows[1], "113.13", "27.83"])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_mapping(shp: Path) -> dict[str, str]:
    with open(shp.with_name(shp.stem + ".fields.csv"), encoding="utf-8", newline="") as fh:
        return {row["column"]: row["field"] for row in csv.DictReader(fh)}


# 1. Chinese column names of 4+ characters in a Shapefile ------------------------------------------------

def test_overlay_with_long_chinese_columns_writes_a_shapefile_and_its_mapping(invoke, tmp_path):
    src = firms_csv(tmp_path / "firms.csv")
    out = tmp_path / "firms.shp"
    res = invoke("export", "overlay", "--overlay", src, "-o", out)
    assert res.exit_code == 0, res.output
    mapping = read_mapping(out)
    back = pyogrio.read_dataframe(out)
    fields = [c for c in back.columns if c != "geometry"]
    assert len(set(f.lower() for f in fields)) == len(fields)
    assert all(len(f.encode("utf-8")) <= 10 for f in fields)
    for col in FIRM_COLUMNS:
        assert mapping[col] in fields  # every column under a unique name listed in the mapping file
    assert mapping["统一社会信用代码"] != mapping["统一社团编号"]  # same first 9 bytes, still unique
    code = mapping["统一社会信用代码"]
    assert set(back[code]) == {"91430100MA4L000001", "91430200MA4L000002"}
    assert set(back[mapping["企业名称"]]) == {"长沙某科技有限公司", "株洲某材料有限公司"}
    assert list(mapping.values()) == fields  # the mapping lists the fields in file order


# 2. GCJ-02 only where the file says so ------------------------------------------------------------------

def test_gcj02_geopackage_and_geoparquet_name_their_crs_and_warn(invoke, tmp_path):
    w, g, q = tmp_path / "w.gpkg", tmp_path / "g.gpkg", tmp_path / "g.parquet"
    assert invoke("export", "parks", "-o", w).exit_code == 0
    res = invoke("export", "parks", "--crs", "gcj02", "-o", g)
    assert res.exit_code == 0, res.output
    assert "GCJ-02" in res.stderr and "NOT WGS84" in res.stderr
    info = pyogrio.read_info(g, layer="parks")
    crs = CRS.from_user_input(info["crs"])
    assert "GCJ-02" in crs.name and crs.to_epsg() is None and info["crs"] != "EPSG:4326"
    with sqlite3.connect(g) as con:
        org = con.execute("SELECT s.organization, s.srs_name FROM gpkg_spatial_ref_sys s JOIN gpkg_geometry_columns "
                          "c ON s.srs_id = c.srs_id WHERE c.table_name = 'parks'").fetchone()
    assert org[0].upper() != "EPSG" and "GCJ-02" in org[1]
    a = pyogrio.read_dataframe(w, layer="parks").set_index("id")
    b = pyogrio.read_dataframe(g, layer="parks").set_index("id")
    shift = a.geometry.loc["changsha_hitech"].distance(b.geometry.loc["changsha_hitech"])
    assert 0.003 < shift < 0.008
    # hunan-map's own lon/lat stay WGS84 and say so by their names
    assert "lon" not in b.columns and b.loc["changsha_hitech", "lon_wgs84"] == pytest.approx(a.loc["changsha_hitech", "lon"])
    res = invoke("export", "parks", "--crs", "gcj02", "-o", q)
    assert res.exit_code == 0 and "NOT WGS84" in res.stderr
    back = gpd.read_parquet(q)
    assert "GCJ-02" in back.crs.name and back.crs.to_epsg() is None


def test_gcj02_csv_has_named_columns_and_a_crs_column(invoke, tmp_path):
    out = tmp_path / "g.csv"
    res = invoke("export", "parks", "--crs", "gcj02", "-o", out)
    assert res.exit_code == 0 and "NOT WGS84" in res.stderr
    df = pd.read_csv(out)
    assert {"lon_gcj02", "lat_gcj02", "lon_wgs84", "lat_wgs84", "crs"} <= set(df.columns)
    assert "lon" not in df.columns and df["crs"].str.contains("GCJ-02").all()
    assert ((df["lon_gcj02"] - df["lon_wgs84"]).abs() > 0.002).all()


@pytest.mark.parametrize("suffix, crs", [("shp", "gcj02"), ("shp", "bd09"), ("geojson", "gcj02"), ("kml", "gcj02")])
def test_formats_that_cannot_name_gcj02_refuse_it(invoke, tmp_path, suffix, crs):
    out = tmp_path / f"g.{suffix}"
    res = invoke("export", "parks", "--crs", crs, "-o", out)
    assert res.exit_code == 2
    assert "--crs" in res.stderr and "Traceback" not in res.output
    assert list(tmp_path.iterdir()) == []


# 3. projected CRSs into formats that are WGS84 by definition ----------------------------------------------

@pytest.mark.parametrize("suffix", ["geojson", "kml"])
@pytest.mark.parametrize("crs", ["EPSG:4546", "EPSG:4490"])
def test_geojson_and_kml_refuse_other_crs_naming_geopackage(invoke, tmp_path, suffix, crs):
    res = invoke("export", "zones", "--crs", crs, "-o", tmp_path / f"z.{suffix}")
    assert res.exit_code == 2 and "GeoPackage" in res.stderr and "WGS84 by definition" in res.stderr
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(HunanMapError, match="WGS84 by definition"):
        write_layers({"zones": layers.zones()}, tmp_path / f"z.{suffix}", crs=crs)


def test_projected_geopackage_is_in_metres_and_says_so(invoke, tmp_path):
    out = tmp_path / "p.gpkg"
    assert invoke("export", "parks", "--crs", "EPSG:4546", "-o", out).exit_code == 0
    assert pyogrio.read_info(out, layer="parks")["crs"] == "EPSG:4546"
    x = pyogrio.read_dataframe(out, layer="parks").geometry.x
    assert x.between(200_000, 800_000).all()


# 4. CSV records its CRS ---------------------------------------------------------------------------------

def test_csv_coordinates_are_named_by_their_crs(invoke, tmp_path):
    paths = {crs: tmp_path / f"{crs.replace(':', '')}.csv" for crs in ("WGS84", "EPSG:4546", "EPSG:4490")}
    for crs, path in paths.items():
        assert invoke("export", "parks", *(["--crs", crs] if crs != "WGS84" else []), "-o", path).exit_code == 0
    wgs = pd.read_csv(paths["WGS84"])
    assert {"lon", "lat"} <= set(wgs.columns) and "crs" not in wgs.columns
    gk = pd.read_csv(paths["EPSG:4546"])
    assert {"x", "y", "lon_wgs84", "lat_wgs84"} <= set(gk.columns) and "lon" not in gk.columns
    assert (gk["crs"] == "EPSG:4546").all() and gk["x"].between(200_000, 800_000).all()
    cg = pd.read_csv(paths["EPSG:4490"])
    assert {"lon", "lat", "lon_wgs84"} <= set(cg.columns) and (cg["crs"] == "EPSG:4490").all()
    zones = tmp_path / "zones.csv"
    assert invoke("export", "zones", "--crs", "EPSG:4546", "-o", zones).exit_code == 0
    z = pd.read_csv(zones)
    assert (z["crs"] == "EPSG:4546").all() and z["wkt"].str.startswith(("POLYGON", "MULTIPOLYGON")).all()


# 5. Gauss-Krüger zones named right (distances: tests/test_crs.py) ----------------------------------------

def test_help_suggests_the_gauss_kruger_zone_of_central_hunan(invoke):
    for command in ("export", "render"):
        text = invoke(command, "--help").output
        assert "4545" not in text
    assert "4546" in invoke("export", "--help").output


# 6. default styles --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hunan_gpkg(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    from hunan_map.cli.main import app

    out = tmp_path_factory.mktemp("gpkg") / "hunan.gpkg"
    res = CliRunner().invoke(app, ["export", "all", "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out


def qml_root(text: str) -> ET.Element:
    root = ET.fromstring(text.split("\n", 1)[1] if text.startswith("<!DOCTYPE") else text)
    assert root.tag == "qgis"
    return root


def test_geopackage_has_one_default_style_per_layer(hunan_gpkg):
    names = [n for n, t in pyogrio.list_layers(hunan_gpkg) if t is not None]  # the spatial layers
    assert len(names) == 7
    tables = {n for n, t in pyogrio.list_layers(hunan_gpkg) if t is None}
    assert tables == {"layer_styles", "facts", "industries"}  # attribute tables get no style
    styles = pyogrio.read_dataframe(hunan_gpkg, layer="layer_styles")
    assert {"f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName", "styleQML",
            "styleSLD", "useAsDefault", "description", "owner", "ui", "update_time"} <= set(styles.columns)
    default = styles[styles["useAsDefault"].astype(bool)]
    assert sorted(default["f_table_name"]) == sorted(names) and default["f_table_name"].is_unique
    geometry_columns = {n: pyogrio.read_info(hunan_gpkg, layer=n)["geometry_name"] for n in names}
    for row in default.itertuples():
        root = qml_root(row.styleQML)
        assert row.f_geometry_column == geometry_columns[row.f_table_name]
        fills = [p.get("v") for p in root.iter("prop") if p.get("k") == "color"]
        if row.f_table_name in ("zones", "clusters", "prefectures", "counties"):
            assert fills and all(int(c.split(",")[3]) < 128 for c in fills)  # translucent (or empty) fills
    parks = qml_root(default.set_index("f_table_name").loc["parks", "styleQML"])
    assert parks.get("labelsEnabled") == "1"
    assert parks.find("labeling/settings/text-style").get("fieldName") == "name"
    colors = {c.get("value"): None for c in parks.iter("category")}
    assert {"emerging", "advantage", "future"} <= set(colors)
    symbol = parks.find("renderer-v2/symbols/symbol[@name='0']/layer/prop[@k='color']").get("v")
    assert symbol.startswith("31,119,180")  # #1f77b4, the map's colour for emerging industries
    with sqlite3.connect(hunan_gpkg) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] in (10200, 10300)  # 9. not 1.4


def test_english_labels_with_lang_en(invoke, tmp_path):
    out = tmp_path / "en.gpkg"
    assert invoke("export", "prefectures", "--lang", "en", "-o", out).exit_code == 0
    styles = pyogrio.read_dataframe(out, layer="layer_styles")
    assert qml_root(styles["styleQML"][0]).find("labeling/settings/text-style").get("fieldName") == "name_en"
    assert invoke("export", "prefectures", "--lang", "fr", "-o", tmp_path / "fr.gpkg").exit_code == 2


def test_shapefile_has_a_qml_whose_fields_exist(invoke, tmp_path):
    out = tmp_path / "parks.shp"
    assert invoke("export", "parks", "-o", out).exit_code == 0
    root = qml_root(out.with_suffix(".qml").read_text(encoding="utf-8"))
    fields = set(pyogrio.read_info(out)["fields"])
    assert root.find("labeling/settings/text-style").get("fieldName") in fields
    assert '"tiers"' in root.find("renderer-v2").get("attr") and "tiers" in fields


# 7. Shapefile text over 254 bytes -----------------------------------------------------------------------

def test_shapefile_keeps_whole_list_items_and_names_what_was_cut(invoke, tmp_path):
    out = tmp_path / "parks.shp"
    res = invoke("export", "parks", "-o", out)
    assert res.exit_code == 0
    warning = [line for line in res.stderr.splitlines() if "254 bytes" in line]
    assert len(warning) == 1 and "长沙高新区" in warning[0] and "industries" in warning[0]
    assert "GeoPackage" in warning[0]
    full = layers.parks().set_index("name")
    back = pyogrio.read_dataframe(out).set_index("name")
    cut = 0
    for field in ("industries", "roles", "matched", "sources"):
        if field not in back.columns:
            continue
        items = list(full.loc["长沙高新区", field])
        if not items:
            continue
        kept = back.loc["长沙高新区", field].split(";")
        assert kept == items[:len(kept)]  # whole items, the first ones
        cut += len(kept) < len(items)
        assert len(back.loc["长沙高新区", field].encode("utf-8")) <= 254
    assert cut  # at least one list was too long and lost whole items


def test_cluster_shapefile_fields_are_distinct_and_mapped(invoke, tmp_path):
    out = tmp_path / "clusters.shp"
    assert invoke("export", "clusters", "-o", out).exit_code == 0
    mapping = read_mapping(out)
    assert "indust_en1" not in mapping.values()
    assert mapping["industry_en"] != mapping["industries_en"]
    fields = pyogrio.read_info(out)["fields"].tolist()
    assert sorted(fields) == sorted(mapping.values())


def test_shapefile_sidecars_are_part_of_the_write(invoke, tmp_path):
    out = tmp_path / "parks.shp"
    out.with_name("parks.fields.csv").write_text("keep", encoding="utf-8")
    res = invoke("export", "parks", "-o", out)
    assert res.exit_code == 1 and "parks.fields.csv" in res.stderr
    assert not out.exists()
    assert invoke("export", "parks", "-o", out, "--overwrite").exit_code == 0
    assert read_mapping(out)["prefecture_adcode"] == "pref_code"


# 8. KML: unique ids, names, the OGC schema --------------------------------------------------------------

def xmllint() -> str:
    found = shutil.which("xmllint")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("xmllint is missing (Debian package libxml2-utils, installed by .ci/run)")
        pytest.skip("xmllint (libxml2-utils) is not installed")
    return found


def ogc_kml_schema() -> Path:
    fastkml = pytest.importorskip("fastkml")
    schema = Path(fastkml.__file__).parent / "schema" / "ogckml22.xsd"
    assert schema.is_file(), "fastkml no longer ships the OGC KML 2.2 schema"
    return schema


def test_all_kml_validates_against_the_ogc_schema(invoke, tmp_path):
    out = tmp_path / "all.kml"
    assert invoke("export", "all", "-o", out).exit_code == 0
    run = subprocess.run([xmllint(), "--noout", "--schema", str(ogc_kml_schema()), str(out)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    root = ET.parse(out).getroot()
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    styles = {el.get("id") for el in root.iter(f"{KML}Style")}
    assert styles == {f"{n}.style" for n in ("parks", "platforms", "clusters", "zones", "corridors", "prefectures",
                                                  "counties")}
    placemarks = list(root.iter(f"{KML}Placemark"))
    assert all(p.find(f"{KML}styleUrl").text[1:] in styles for p in placemarks)
    assert "zones.jg_belt" in ids and "corridors.jg_belt" in ids


@pytest.mark.parametrize("column", ["名称", "企业名称", "name", "Name"])
def test_overlay_placemarks_are_named_from_the_name_column(invoke, tmp_path, column):
    src = firms_csv(tmp_path / "firms.csv", name_column=column)
    out = tmp_path / "firms.kml"
    assert invoke("export", "overlay", "--overlay", src, "-o", out).exit_code == 0
    names = {p.findtext(f"{KML}name") for p in ET.parse(out).getroot().iter(f"{KML}Placemark")}
    assert names == {"长沙某科技有限公司", "株洲某材料有限公司"}


def test_control_characters_are_dropped_from_kml_with_a_warning(tmp_path):
    frame = gpd.GeoDataFrame({"id": ["a"], "name": ["长沙\x01某\x0b公司"], "note": ["ok\x1f"]},
                             geometry=[shapely.Point(112.9, 28.2)], crs="EPSG:4326")
    out = tmp_path / "c.kml"
    with pytest.warns(UserWarning, match="control characters.*name.*note"):
        write_layers({"overlay": frame}, out)
    root = ET.parse(out).getroot()  # well-formed XML 1.0
    assert [p.findtext(f"{KML}name") for p in root.iter(f"{KML}Placemark")] == ["长沙某公司"]
    run = subprocess.run([xmllint(), "--noout", "--schema", str(ogc_kml_schema()), str(out)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]


def test_lang_en_names_kml_placemarks_in_english_and_is_refused_without_labels(invoke, tmp_path):
    out = tmp_path / "p.kml"
    assert invoke("export", "prefectures", "--lang", "en", "-o", out).exit_code == 0
    names = {p.findtext(f"{KML}name") for p in ET.parse(out).getroot().iter(f"{KML}Placemark")}
    assert "Changsha" in " ".join(names) and not any("长沙" in n for n in names)
    res = invoke("export", "prefectures", "--lang", "en", "-o", tmp_path / "p.geojson")
    assert res.exit_code == 2 and "--lang" in res.stderr


# 9. GeoPackage version; BD-09 named like GCJ-02 ---------------------------------------------------------

def test_geopackage_is_version_1_2_and_bd09_is_named(invoke, tmp_path):
    out = tmp_path / "b.gpkg"
    res = invoke("export", "platforms", "--crs", "bd09", "-o", out)
    assert res.exit_code == 0 and "BD-09" in res.stderr and "NOT WGS84" in res.stderr
    with sqlite3.connect(out) as con:
        assert con.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # "GPKG"
        assert con.execute("PRAGMA user_version").fetchone()[0] == 10200
    crs = CRS.from_user_input(pyogrio.read_info(out, layer="platforms")["crs"])
    assert crs.name.startswith("BD-09") and crs.to_epsg() is None


# 6. optional: what QGIS itself makes of the styles (Debian's python3-qgis, offscreen) ---------------------

def _system_qgis() -> str | None:
    python = shutil.which("python3", path="/usr/bin")
    if python is None:
        return None
    probe = subprocess.run([python, "-c", "import qgis.core"], capture_output=True, check=False,
                           env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    return python if probe.returncode == 0 else None


@pytest.mark.slow
def test_qgis_opens_the_geopackage_with_its_default_styles(hunan_gpkg, artifacts):
    python = _system_qgis()
    if python is None:
        pytest.skip("PyQGIS (Debian python3-qgis) is not installed; the layer_styles table is checked above")
    names = ["parks", "platforms", "corridors", "clusters", "zones", "prefectures", "counties"]
    png = artifacts / "qgis_hunan_gpkg.png"
    run = subprocess.run([python, str(Path(__file__).with_name("_qgis_check.py")), str(hunan_gpkg), str(png),
                          ",".join(names)], capture_output=True, text=True, check=False, timeout=300,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert all(seen[n]["valid"] for n in names)
    assert seen["parks"]["renderer"] == "categorizedSymbol" and seen["parks"]["categories"] == 9
    assert seen["zones"]["renderer"] == "categorizedSymbol" and seen["zones"]["categories"] == len(layers.zones())
    assert seen["parks"]["labels"] and seen["parks"]["label_field"] == "name"
    assert seen["prefectures"]["labels"] and not seen["counties"]["labels"]
    assert all(a < 128 for a in seen["zones"]["alphas"]) and all(a < 128 for a in seen["clusters"]["alphas"])
    from PIL import Image

    image = Image.open(png).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # fills, outlines, markers and labels were drawn
