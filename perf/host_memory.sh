#!/usr/bin/env bash
# The host-memory estimate against measured peak RSS (issue 14). A collective: the estimate
# kernbench refuses by (topo/host_memory.h: the machine; ccl bench --check adds 1.25 x ranks x
# size) next to the peak RSS GNU time reports. A kernel: vector_add as its bench runs it, the
# runtime's running estimate (rt::Session::host_memory: the machine, each tensor's maps, the
# launch) against the peak RSS of the same run in a child of rt_tests, then the peak RSS of
# `kernbench run vector_add` itself against that estimate. Other kernel benches: peak RSS against
# the machine's estimate alone (the CLI does not print the runtime's).
# Usage: perf/host_memory.sh [build directory]
set -euo pipefail
build="${1:-build}"
kernbench="$build/apps/kernbench/kernbench"
rt_tests="$build/tests/rt/rt_tests"
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
# The machine estimate: 8 MiB + 40 KiB per PE, plus with --check 1.25 x ranks x bytes.
estimate() { echo $(( (8 << 20) + $1 * (40 << 10) + $2 * $3 * 5 / 4 )); }
peak_rss() {  # kernbench arguments... -> peak RSS in bytes
  local out; out=$(mktemp)
  /usr/bin/time -o "$out" -f '%M' "$kernbench" -q "$@" >/dev/null 2>&1 || true
  echo $(( $(tail -1 "$out") * 1024 )); rm -f "$out"
}
row() {  # label, estimate bytes, peak RSS bytes
  printf '%-48s estimate %8s MiB  peak RSS %8s MiB  ratio %s\n' "$1" "$(mib "$2")" "$(mib "$3")" \
    "$(awk -v e="$2" -v r="$3" 'BEGIN { printf "%.2f", e / r }')"
}
measure() {  # label, PEs, ranks, bytes per rank (0: no data term), kernbench arguments...
  local label="$1" pes="$2" ranks="$3" bytes="$4"; shift 4
  row "$label" "$(estimate "$pes" "$ranks" "$bytes")" "$(peak_rss "$@")"
}
mesh() { echo --set sip.cube_mesh.w="$1" --set sip.cube_mesh.h="$1" \
  --set system.sips.cubes_per_sip=$(($1 * $1)); }
for size in 256K 1M 4M 16M 64M; do
  bytes=$(numfmt --from=iec "$size")
  measure "ccl bench ring_tcm_8 --check $size" 128 8 "$bytes" \
    ccl bench --algo ring_tcm_8 -b "$size" -e "$size" --check
done
for w in 2 4 6 8 12; do
  measure "ccl bench ring_tcm_8 8 B, ${w}x${w} cubes" $((w * w * 8)) 0 0 \
    $(mesh $w) ccl bench --algo ring_tcm_8 -b 8 -e 8
done
meshes=(2 3 4 6 8)
declare -A runtime_estimate
while read -r w bytes line; do
  echo "$line"
  runtime_estimate[$w]=$bytes
done < <(KERNBENCH_HOST_MEMORY_MESHES=$(IFS=,; echo "${meshes[*]}") "$rt_tests" \
  --gtest_filter=SessionHostMemory.TheEstimateIsWithinTwiceThePeakRss |
  sed -n 's/^\(vector_add on \([0-9]*\)x.* MiB (\([0-9]*\) B).*\)$/\2 \3 \1/p')
for w in "${meshes[@]}"; do
  row "run vector_add --timing-only, ${w}x${w} cubes" "${runtime_estimate[$w]}" \
    "$(peak_rss --timing-only $(mesh "$w") run vector_add)"
done
for bench in softmax matmul layernorm attention matmul_persistent deploy all_reduce; do
  for w in 2 4 6; do
    measure "run $bench --timing-only, ${w}x${w} cubes (machine)" $((w * w * 8)) 0 0 \
      --timing-only $(mesh $w) run "$bench"
  done
done
