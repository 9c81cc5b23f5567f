#!/usr/bin/env bash
# Runs the C# notebooks in notebooks/ headless, as CI does, and fails on the first cell that fails. It packs the Podium library
# into artifacts/packages (the package source notebooks/nuget.config names), drops the copy of this version that NuGet cached
# from an earlier pack, and runs each notebook with dotnet-repl (a local tool, .config/dotnet-tools.json), in file-name order
# (notebook 3 reads the run notebook 2 trains). Each executed notebook, outputs included, goes to artifacts/notebooks/NAME.ipynb.
# Usage: scripts/notebooks.sh [notebooks/NAME.dib ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet tool restore > /dev/null
version=$(dotnet msbuild src/Podium/Podium.csproj -getProperty:Version)
dotnet pack src/Podium/Podium.csproj -c Release -o artifacts/packages -v q --nologo -clp:ErrorsOnly
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/podium/$version"
out="$PWD/artifacts/notebooks"
mkdir -p "$out"
if [ $# -gt 0 ]; then notebooks=("$@"); else notebooks=(notebooks/*.dib); fi
for notebook in "${notebooks[@]}"; do
  name=$(basename "$notebook" .dib)
  start=$(date +%s)
  if ! (cd notebooks && dotnet repl --run "$name.dib" --exit-after-run --output-path "$out/$name.ipynb" > "$out/$name.log" 2>&1); then
    echo "notebook $name: a cell failed after $(( $(date +%s) - start )) s; its outputs: $out/$name.ipynb" >&2
    # The failing cells' errors, one line each.
    python3 - "$out/$name.ipynb" >&2 <<'PY' || tail -n 20 "$out/$name.log" >&2
import json, sys
for i, cell in enumerate(json.load(open(sys.argv[1]))["cells"]):
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error":
            print(f"  cell {i}: " + o.get("evalue", "").splitlines()[0] if o.get("evalue") else f"  cell {i}: error")
PY
    exit 1
  fi
  echo "notebook $name: ran in $(( $(date +%s) - start )) s"
done
