"""Boundaries, seats of government and park points in, lookups by adcode and park id out (EPSG:4326)."""

from __future__ import annotations

from functools import cached_property

import geopandas as gpd
import pandas as pd
import shapely

from hunan_map.geo import boundaries


class Geography:
    """Where things are: the 122 counties and 14 prefectures, their seats, and each park's point.

    Parameters
    ----------
    parks
        The ``parks`` table of the knowledge base (for :attr:`park_points`).
    """

    def __init__(self, parks: pd.DataFrame):
        self.parks = parks

    @cached_property
    def counties(self) -> gpd.GeoDataFrame:
        """The 122 counties (boundaries.counties())."""
        return boundaries.counties()

    @cached_property
    def prefectures(self) -> gpd.GeoDataFrame:
        """The 14 prefectures (boundaries.prefectures())."""
        return boundaries.prefectures()

    @cached_property
    def admin_geom(self) -> dict[tuple[str, str], object]:
        """("county" | "prefecture", adcode) -> polygon."""
        out = {("county", r.adcode): r.geometry for r in self.counties.itertuples()}
        out.update({("prefecture", r.adcode): r.geometry for r in self.prefectures.itertuples()})
        return out

    @cached_property
    def admin_names(self) -> dict[str, tuple[str, str]]:
        """Adcode -> (Chinese name, English name)."""
        frame = pd.concat([self.counties, self.prefectures])
        return {r.adcode: (r.name, r.name_en) for r in frame.itertuples()}

    @cached_property
    def label_points(self) -> dict[str, object]:
        """Adcode -> a label point inside the unit."""
        frame = pd.concat([self.counties, self.prefectures])
        return {r.adcode: shapely.Point(r.label_lon, r.label_lat) for r in frame.itertuples()}

    @cached_property
    def seat_points(self) -> dict[str, object]:
        """Adcode -> the point of its seat of government."""
        return {r.adcode: shapely.Point(round(r.lon, 5), round(r.lat, 5))
                for r in boundaries.seats().itertuples()}

    @cached_property
    def park_points(self) -> dict[str, object]:
        """Park id -> its point: the stated site, else its county's seat, else its prefecture's
        seat; parks placed only in the province (precision ``province``) have none."""
        out = {}
        for row in self.parks.itertuples(index=False):
            if pd.notna(row.lon) and pd.notna(row.lat):
                out[row.id] = shapely.Point(round(row.lon, 5), round(row.lat, 5))
            elif row.county_adcode in self.seat_points:
                out[row.id] = self.seat_points[row.county_adcode]
            elif row.prefecture_adcode in self.seat_points:
                out[row.id] = self.seat_points[row.prefecture_adcode]
            else:
                out[row.id] = None
        return out
