#!/usr/bin/env bash
# Two builds of georel side by side on one benchmark file: the wall time (best of RUNS) and
# the peak memory of `snapshot`, `conflicts --at` and `path` on one day, without an index
# (the CSV alone in a folder) and with one (each build makes its own: formats differ between
# versions). The two builds alternate run by run, so that a slow moment of the machine falls
# on both. Answers are not compared: the builds may mean different things (that is why one
# runs them); bench/compare.sh checks answers.
#
#   bench/versions.sh BEFORE AFTER [SIZE]     SIZE ∈ 100000 1000000 10000000 (default 10000000)
#
# Uses $BENCH_DIR/r<SIZE>.csv (bench/compare.sh or bench/gen_relations.py makes it) and works
# in $BENCH_DIR/versions/. RUNS (default 3) runs each. Not part of .ci/run.
set -euo pipefail

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

die() { printf 'versions.sh: %s\n' "$*" >&2; exit 2; }
[[ $# -ge 2 ]] || die "usage: bench/versions.sh BEFORE AFTER [SIZE]"
before="$1" after="$2" size="${3:-10000000}" runs="${RUNS:-3}"
actor_b="$(actor_b_for "$size")" || die "unknown size $size"
csv="$BENCH_DIR/r$size.csv"
[[ -f "$csv" ]] || die "no $csv: run bench/gen_relations.py $size $csv first"

# Prints "wall_s peak_MiB" of one run of a command, its output thrown away.
timed() {
    python3 - "$@" <<'PY'
import resource, subprocess, sys, time
t0 = time.monotonic()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
t1 = time.monotonic()
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(f"{t1 - t0:.3f} {peak}")
sys.exit(0 if code in (0, 1, 3) else 2)
PY
}

work="$BENCH_DIR/versions"
rm -rf -- "$work"
declare -A bin=([before]="$before" [after]="$after")
for v in before after; do
    for mode in csv index; do
        mkdir -p -- "$work/$v.$mode"
        ln -s -- "$csv" "$work/$v.$mode/relations.csv"
    done
    "${bin[$v]}" --data "$work/$v.index" index >/dev/null 2>&1
done
cat -- "$csv" >/dev/null

declare -A cmds=(
    [snapshot]="snapshot --at $DATE --format edges-csv --out -"
    [conflicts]="conflicts --at $DATE --format csv --out -"
    [path]="path $ACTOR_A $actor_b --at $DATE"
)
printf '| command | data | before: s | after: s | after / before | before: peak MiB | after: peak MiB |\n'
printf '|---|---|---|---|---|---|---|\n'
for name in snapshot conflicts path; do
    for mode in csv index; do
        declare -A best=() peak=()
        for ((i = 0; i < runs; i++)); do
            for v in before after; do
                # shellcheck disable=SC2086
                read -r wall mib < <(timed "${bin[$v]}" --data "$work/$v.$mode" ${cmds[$name]})
                if [[ -z "${best[$v]:-}" ]] || python3 -c "import sys; sys.exit(0 if $wall < ${best[$v]} else 1)"; then
                    best[$v]="$wall"
                fi
                peak[$v]="$mib"
            done
        done
        ratio="$(python3 -c "print(f'{${best[after]} / ${best[before]}:.2f}')")"
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$mode" "${best[before]}" "${best[after]}" "$ratio" "${peak[before]}" "${peak[after]}"
    done
done
