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
# The suite runs as two halves side by side, each process (and every podium it starts) seeing half the cores: on 2 cores
# each works on one thread, so no two multi-threaded libtorch trainings ever spin against each other (about 14x slower),
# and the many small trainings, whose steps a second thread hardly speeds up, overlap (7.3 minutes instead of 10.8 here).
# Classes listed here form the first half, every other class the second; the halves take about equally long.
first=(OcrPipelineTests TrackingTests PretrainedWeightsTests ResumeTests TuneWorkerTests HeadTrainingTests OcrReadTests TuneTests SelfSupervisedTests
  MultiLabelTests)
in_first=""; not_in_first=""
for c in "${first[@]}"; do
  in_first+="${in_first:+|}FullyQualifiedName~Podium.Tests.$c."
  not_in_first+="${not_in_first:+&}FullyQualifiedName!~Podium.Tests.$c."
done
share=$(( $(nproc) / 2 > 0 ? $(nproc) / 2 : 1 ))
export DOTNET_PROCESSOR_COUNT=$share OMP_NUM_THREADS=$share MKL_NUM_THREADS=$share
logs=("$(mktemp)" "$(mktemp)")
start=$(date +%s)
half() {
  dotnet test Podium.sln -c Release --no-build --nologo -v q -l "console;verbosity=minimal" --filter "$1" > "$2" 2>&1
}
half "$in_first" "${logs[0]}" & first_pid=$!
half "$not_in_first" "${logs[1]}" & second_pid=$!
wait "$first_pid"; first_status=$?
wait "$second_pid"; second_status=$?
status=$(( first_status != 0 ? first_status : second_status ))
passed=0; failed=0; skipped=0
for log in "${logs[@]}"; do
  cat "$log"
  summary=$(grep -E '(Passed|Failed)!  ?- Failed: ' "$log" | tail -1)
  if [ -z "$summary" ]; then
    # A half that ended without xunit's summary (its test host crashed) counts as a failure.
    failed=$((failed + 1)); [ "$status" -ne 0 ] || status=1
    continue
  fi
  failed=$((failed + $(sed -E 's/.*Failed: *([0-9]+).*/\1/' <<<"$summary")))
  passed=$((passed + $(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$summary")))
  skipped=$((skipped + $(sed -E 's/.*Skipped: *([0-9]+).*/\1/' <<<"$summary")))
done
rm -f "${logs[@]}"
elapsed=$(( $(date +%s) - start ))
echo "both halves done in $((elapsed / 60)) m $((elapsed % 60)) s"
echo "tests: $passed passed, $failed failed, $skipped skipped"
# The tests' scratch runs (checkpoints of tens of MB each) and PostgreSQL clusters go with them.
rm -rf "${TMPDIR:-/tmp}/podium-tests" "${TMPDIR:-/tmp}"/podium-pg-*
exit "$status"
