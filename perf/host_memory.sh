#!/usr/bin/env bash
# The host-memory estimate against measured peak RSS (issue 14): prints, per run, the estimate
# kernbench refuses by (topo/host_memory.h; ccl bench --check adds 1.25 x ranks x size) and the
# peak RSS GNU time reports. Usage: perf/host_memory.sh [path/to/kernbench]
set -euo pipefail
kernbench="${1:-build/apps/kernbench/kernbench}"
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
# The estimate: 8 MiB + 40 KiB per PE, plus with --check 1.25 x ranks x bytes.
estimate() { echo $(( (8 << 20) + $1 * (40 << 10) + $2 * $3 * 5 / 4 )); }
measure() {  # label, PEs, ranks, bytes per rank (0: no data term), kernbench arguments...
  local label="$1" pes="$2" ranks="$3" bytes="$4"; shift 4
  local out; out=$(mktemp)
  /usr/bin/time -o "$out" -f '%M' "$kernbench" -q "$@" >/dev/null 2>&1 || true
  local rss_kib; rss_kib=$(tail -1 "$out"); rm -f "$out"
  local est; est=$(estimate "$pes" "$ranks" "$bytes")
  local ratio
  ratio=$(awk -v e="$est" -v r="$rss_kib" 'BEGIN { printf "%.2f", e / (r * 1024) }')
  printf '%-44s estimate %8s MiB  peak RSS %8s MiB  ratio %s\n' "$label" "$(mib "$est")" \
    "$(mib $((rss_kib * 1024)))" "$ratio"
}
for size in 256K 1M 4M 16M 64M; do
  bytes=$(numfmt --from=iec "$size")
  measure "ccl bench ring_tcm_8 --check $size" 128 8 "$bytes" \
    ccl bench --algo ring_tcm_8 -b "$size" -e "$size" --check
done
for w in 2 4 6 8 12; do
  measure "ccl bench ring_tcm_8 8 B, ${w}x${w} cubes" $((w * w * 8)) 0 0 \
    --set sip.cube_mesh.w=$w --set sip.cube_mesh.h=$w --set system.sips.cubes_per_sip=$((w * w)) \
    ccl bench --algo ring_tcm_8 -b 8 -e 8
done
for w in 2 3 4 6 8; do
  measure "run vector_add --timing-only, ${w}x${w} cubes" $((w * w * 8)) 0 0 --timing-only \
    --set sip.cube_mesh.w=$w --set sip.cube_mesh.h=$w --set system.sips.cubes_per_sip=$((w * w)) \
    run vector_add
done
# Every other default bench at three sizes (the estimate has no kernel-bench term: perf/README.md).
for bench in softmax matmul layernorm attention matmul_persistent deploy all_reduce; do
  for w in 2 4 6; do
    measure "run $bench --timing-only, ${w}x${w} cubes" $((w * w * 8)) 0 0 --timing-only \
      --set sip.cube_mesh.w=$w --set sip.cube_mesh.h=$w \
      --set system.sips.cubes_per_sip=$((w * w)) run "$bench"
  done
done
