# LibreOffice Writer (headless), poppler (pdftotext, pdftoppm) and CJK fonts for the Word report test
# (ecociv-report: docx → PDF → text and page images in test-artifacts/docx/). Sourced by .ci/run; exports
# REQUIRE_LIBREOFFICE=1 so that test fails instead of skipping.
if ! command -v libreoffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1 \
  || ! command -v pdftoppm >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  if [ -z "${ECOCIV_APT_UPDATED:-}" ]; then
    apt-get update -qq
    export ECOCIV_APT_UPDATED=1
  fi
  apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui poppler-utils fonts-noto-cjk >/dev/null
fi
command -v libreoffice >/dev/null || { echo "30-libreoffice.sh: libreoffice did not install" >&2; return 1; }
command -v pdftotext >/dev/null || { echo "30-libreoffice.sh: poppler-utils did not install" >&2; return 1; }
fc-list :lang=zh | grep -q . || { echo "30-libreoffice.sh: no CJK font after installing fonts-noto-cjk" >&2; return 1; }
export REQUIRE_LIBREOFFICE=1
