#!/usr/bin/env bash
# The test suite, as CI runs it: set up (idempotent), then every xunit test. Real-data tests read
# ../shared/datasets. Ends with one "tests: N passed, N failed, N skipped" line.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh || exit 1
# Style: the .editorconfig rules (whitespace, usings, namespaces); StyleTests checks line length and file names.
if ! dotnet format Podium.sln --verify-no-changes --no-restore -v q; then
  echo "style: run 'dotnet format Podium.sln' and commit the result" >&2
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi
log="$(mktemp)"
dotnet test Podium.sln -c Release --no-build --nologo -v q -l "console;verbosity=minimal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
summary=$(grep -E '(Passed|Failed)!  ?- Failed: ' "$log" | tail -1)
if [ -n "$summary" ]; then
  failed=$(sed -E 's/.*Failed: *([0-9]+).*/\1/' <<<"$summary")
  passed=$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$summary")
  skipped=$(sed -E 's/.*Skipped: *([0-9]+).*/\1/' <<<"$summary")
  echo "tests: $passed passed, $failed failed, $skipped skipped"
fi
rm -f "$log"
# The tests' scratch runs (checkpoints of tens of MB each) and PostgreSQL clusters go with them.
rm -rf "${TMPDIR:-/tmp}/podium-tests" "${TMPDIR:-/tmp}"/podium-pg-*
exit "$status"
