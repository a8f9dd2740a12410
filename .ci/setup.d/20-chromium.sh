# Chromium, its WebDriver and CJK fonts for the browser tests (ecociv-web screenshots, ecociv-server browser
# flows). Sourced by .ci/run; exports REQUIRE_BROWSER=1 so those tests fail instead of skipping.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  if [ -z "${ECOCIV_APT_UPDATED:-}" ]; then
    apt-get update -qq
    export ECOCIV_APT_UPDATED=1
  fi
  apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-noto-cjk >/dev/null
fi
command -v chromium >/dev/null || { echo "20-chromium.sh: chromium did not install" >&2; return 1; }
command -v chromedriver >/dev/null || { echo "20-chromium.sh: chromedriver did not install" >&2; return 1; }
export REQUIRE_BROWSER=1
