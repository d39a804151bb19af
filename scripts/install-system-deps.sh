#!/bin/sh
# Installs the Debian packages disclose needs to render and to be tested.
# Idempotent: apt-get runs only when something is missing. Run as root.
#   render:  pango, harfbuzz-subset (without it WeasyPrint subsets CJK fonts 4x slower), Noto CJK fonts
#   test:    poppler-utils (pdffonts, pdftoppm), qpdf
#   convert: LibreOffice writer + calc (DOCX/XLSX round trips in tests), Liberation fonts (Times New Roman metric twin)
# Set WITH_LIBREOFFICE=0 to skip the LibreOffice part.
set -e
PKGS="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fontconfig poppler-utils qpdf"
if [ "${WITH_LIBREOFFICE:-1}" = 1 ]; then
  PKGS="$PKGS libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation2"
fi
if dpkg -s $PKGS >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $PKGS
