#!/usr/bin/env bash
# Builds the libFuzzer targets (clang 14, ASan and UBSan) in the sanitizer tree build-asan/
# (the one scripts/test.sh tests in: after it, nothing is compiled again) and runs each for
# SECONDS (default 60), seeded from samples/ and the tests, as many at a time as there are
# cores (FUZZ_JOBS). Fails on any crash, leak, timeout or out-of-memory; what crashed is saved
# in build-asan/fuzz/crashes/TARGET/ (add it to the tests).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_values fuzz_set fuzz_parsers fuzz_diff fuzz_manifests fuzz_outputs)

# Graphviz, which fuzz_diff's pictures lay out in-process (to hold a focus's or diff's services
# in their places), keeps memory until exit: not ours, suppressed as in scripts/test.sh.
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
prepare_sanitizer_tree
cmake -S . -B build-asan $(generator_args build-asan) "${sanitizer_cmake_args[@]}" > /dev/null
cmake --build build-asan -j"$(nproc)" --target "${targets[@]}"
out=build-asan/fuzz

seed() {  # seed TARGET DIR: the starting corpus
  mkdir -p "$2"
  case $1 in
    fuzz_values | fuzz_diff) cp samples/*.yaml tests/golden/inputs/*.yaml "$2/" ;;
    fuzz_manifests)
      for f in tests/oracle/*/manifests.yaml; do cp "$f" "$2/$(basename "$(dirname "$f")").yaml"; done
      cp tests/golden/inputs/enabled-rendered.yaml tests/golden/inputs/manifest-*.yaml tests/golden/inputs/manifest-*.json "$2/"
      ;;
    fuzz_outputs)  # NUL-separated: three names, an unknown key, the file's name
      printf 'a"b|c\0x<y>&z</script>\0::error::x ##[w] ##vso[t]y\0<b>k</b>\0v a"l<u>.yaml' > "$2/hostile"
      printf 'db\0s3\0api\0typo\0values.yaml' > "$2/plain"
      ;;
    fuzz_set)
      printf 'global.networkPolicy.enabled=true' > "$2/enabled"
      printf 'ui.networkPolicy.egressTo[0].app=query,a.b={x,y},c\\.d=e' > "$2/list"
      ;;
    fuzz_parsers)
      for s in 10.0.0.0/16 10.0.0.1/16 fd00::/8 300.1.1.1/8 TCP/5432 UDP/53 ingest:4317 \
               http://otel.monitoring:4318/v1 metrics SCTP '[::1]:4317'; do
        printf '%s' "$s" > "$2/$(printf '%s' "$s" | tr -c 'a-zA-Z0-9' '_')"
      done
      cp samples/flows/* "$2/"  # flows files (check --flows)
      ;;
  esac
}

run() {  # run TARGET: one fuzzing session; prints its result
  local t=$1 corpus=$out/corpus/$1 crashes=$out/crashes/$1
  seed "$t" "$corpus"
  mkdir -p "$crashes"
  if ! $out/$t "$corpus" -dict=fuzz/values.dict -max_total_time="$seconds" \
       -timeout=10 -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="$crashes/" \
       -print_final_stats=1 > "$out/$t.log" 2>&1; then
    echo "fuzz: $t FAILED ($out/$t.log, inputs in $crashes/)"
    tail -30 "$out/$t.log"
    return 1
  fi
  {
    echo "fuzz: $t passed ${seconds}s"
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$out/$t.log"
    grep -E 'cov: [0-9]+' "$out/$t.log" | tail -1
  } | sed '2,$s/^/  /'
}

# One session per core at a time: each target still gets its SECONDS.
jobs=${FUZZ_JOBS:-$(nproc)}
status=0
pids=()
for t in "${targets[@]}"; do
  echo "fuzz: $t for ${seconds}s"
  run "$t" > "$out/$t.result" &
  pids+=("$!")
  if [ ${#pids[@]} -ge "$jobs" ]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
for t in "${targets[@]}"; do cat "$out/$t.result"; done
exit $status
