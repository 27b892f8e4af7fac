#!/usr/bin/env bash
# Runs the unit tests under AddressSanitizer and ThreadSanitizer, each in its own scratch path
# (.build-asan, .build-tsan) so the normal debug build is untouched. Slow (a sanitized debug
# build plus a test run each): run it in the background, e.g.
#   nice scripts/sanitizers.sh > sanitizers.log 2>&1 &
#   scripts/sanitizers.sh address NodeTests    # one sanitizer, one test filter
# Arguments: [address|thread|all] [swift test --filter pattern]. Logs go to
# .build-<asan|tsan>/sanitizer-test.log; the exit status is non-zero when a run failed.
# ThreadSanitizer needs the process to map its shadow memory at fixed addresses: if it dies
# with "unexpected memory mapping", run with `setarch $(uname -m) -R` (no ASLR).
set -uo pipefail
cd "$(dirname "$0")/.."

which=${1:-all}
filter=${2:-}
status=0

run() {
  local sanitizer=$1 scratch=$2
  local log="$scratch/sanitizer-test.log"
  mkdir -p "$scratch"
  # Reports go to files (log_path), so those of child processes (the tests start real
  # `r4ncl node` processes, built with the same sanitizer) are counted too.
  local reports_dir="$PWD/$scratch/sanitizer-reports"
  rm -rf "$reports_dir"
  mkdir -p "$reports_dir"
  echo "== swift test --sanitize=$sanitizer --scratch-path $scratch ${filter:+--filter $filter}"
  local started=$SECONDS
  # halt_on_error=0 (ASan needs -fsanitize-recover, so it still stops at the first error; TSan
  # reports every race and continues). Leak detection is off: XCTest and Foundation keep
  # process-lifetime caches that LeakSanitizer reports as leaks.
  # The socket fuzz test sends 20,000 messages instead of 100,000 here (sanitized code is 5-20x
  # slower); R4NCL_FUZZ_MESSAGES overrides.
  # R4NCL_SANITIZER tells timing-bound tests (the overload test) to report, not assert, latencies.
  R4NCL_SANITIZER=$sanitizer R4NCL_FUZZ_MESSAGES=${R4NCL_FUZZ_MESSAGES:-20000} \
    ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0} log_path=$reports_dir/asan" \
    TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=0 second_deadlock_stack=1} log_path=$reports_dir/tsan" \
    swift test --sanitize="$sanitizer" --scratch-path "$scratch" ${filter:+--filter "$filter"} >"$log" 2>&1
  local rc=$?
  local reports
  reports=$(cat "$log" "$reports_dir"/* 2>/dev/null | grep -cE "(ERROR: AddressSanitizer|WARNING: ThreadSanitizer)")
  echo "exit $rc after $((SECONDS - started)) s; sanitizer reports: $reports (log: $log, report files: $reports_dir)"
  grep -E "Executed [0-9]+ tests?" "$log" | tail -1
  grep -E "failed \(" "$log" | head -20
  cat "$log" "$reports_dir"/* 2>/dev/null | grep -E "(ERROR: AddressSanitizer|WARNING: ThreadSanitizer|SUMMARY:)" | sort | uniq -c | head -40
  if [ "$rc" -ne 0 ] || [ "$reports" -ne 0 ]; then status=1; fi
}

case "$which" in
  address) run address .build-asan ;;
  thread) run thread .build-tsan ;;
  all)
    run address .build-asan
    run thread .build-tsan
    ;;
  *)
    echo "usage: $0 [address|thread|all] [filter]" >&2
    exit 2
    ;;
esac
exit "$status"
