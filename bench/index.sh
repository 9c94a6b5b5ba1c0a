#!/usr/bin/env bash
# What the index file (`georel index`, DIR/.georel-index) buys on the benchmark files: the
# time of `snapshot`, `path` and `neighbours` on one day without an index (parsing the CSV)
# and with one, the time to the first byte of the snapshot's output, peak memory, and the
# cost of building the index; and, on a day when nothing holds, what opening the dataset
# alone costs. The answers with and without the index must be byte-identical.
#
#   bench/index.sh [SIZE...]            SIZE ∈ 100000 1000000 10000000 (default: all three)
#
# It uses the files bench/compare.sh generates ($BENCH_DIR/r<SIZE>.csv; run compare.sh first)
# and works in $BENCH_DIR/index/<SIZE>/. Each command runs once, as its own process, after one
# untimed run that warms the page cache; the table gives wall seconds, peak RSS, and for the
# snapshot (written to stdout) the seconds until its first byte.
# Exit status: 0 when every answer agrees; 1 when one differs; 2 on a usage error.
# Not part of .ci/run.
set -euo pipefail

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

die() { printf 'index.sh: %s\n' "$*" >&2; exit 2; }

# Runs a command; prints "wall_s peak_MiB first_byte_s", where the first byte is that of its
# standard output (saved to FILE). Timed from Python: the wall time from start to exit, the
# peak RSS of the command (RUSAGE_CHILDREN), and the moment its first byte arrives.
timed() {
    python3 - "$@" <<'EOF'
import resource, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t0 = time.monotonic()
p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
first = p.stdout.read(1)
t1 = time.monotonic()
with open(out, "wb") as f:
    f.write(first)
    while chunk := p.stdout.read(1 << 20):
        f.write(chunk)
code = p.wait()
t2 = time.monotonic()
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(f"{t2 - t0:.3f} {peak} {t1 - t0:.3f}")
sys.exit(0 if code in (0, 1) else 2)
EOF
}

bench_size() {
    local size="$1" actor_b csv dir
    actor_b="$(actor_b_for "$size")" || die "unknown size $size"
    csv="$BENCH_DIR/r$size.csv"
    [[ -f "$csv" ]] || die "no $csv: run bench/compare.sh $size first"
    dir="$BENCH_DIR/index/$size"
    rm -rf -- "$dir"
    mkdir -p -- "$dir/data"
    ln -s -- "$csv" "$dir/data/relations.csv"
    cat -- "$csv" >/dev/null

    local -A cmds=(
        [snapshot]="snapshot --at $DATE --format edges-csv --out -"
        [path]="path $ACTOR_A $actor_b --at $DATE"
        [neighbours]="neighbours $ACTOR_A --at $DATE --depth 1 --format csv --out -"
        # A day on which no relation holds: what opening the dataset costs, and nothing else.
        [empty]="neighbours $ACTOR_A --at 1946-01-01 --format csv --out -"
    )
    local name mode
    printf '\n### %s relations\n\n' "$size"
    printf '| command | without index: s | with index: s | speed-up | without: peak MiB | with: peak MiB | first byte without / with: s |\n'
    printf '|---|---|---|---|---|---|---|\n'
    declare -A result
    for mode in without with; do
        if [[ $mode == with ]]; then
            read -r wall mib _ < <(timed "$dir/index.out" "$GEOREL" --data "$dir/data" index)
            result[index]="$wall $mib"
        fi
        for name in snapshot path neighbours empty; do
            # shellcheck disable=SC2086
            "$GEOREL" --data "$dir/data" ${cmds[$name]} >/dev/null 2>&1 || true # warm
            # shellcheck disable=SC2086
            result[$name.$mode]="$(timed "$dir/$name.$mode.out" "$GEOREL" --data "$dir/data" ${cmds[$name]})"
        done
    done
    local status=0
    for name in snapshot path neighbours empty; do
        read -r w0 m0 f0 <<<"${result[$name.without]}"
        read -r w1 m1 f1 <<<"${result[$name.with]}"
        local first=""
        [[ $name == snapshot ]] && first="$f0 / $f1"
        printf '| `%s` | %s | %s | %sx | %s | %s | %s |\n' "${cmds[$name]}" "$w0" "$w1" \
            "$(awk -v a="$w0" -v b="$w1" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')" "$m0" "$m1" "$first"
        if ! cmp -s "$dir/$name.without.out" "$dir/$name.with.out"; then
            printf 'DIFFERENT ANSWERS: %s\n' "$name"
            status=1
        fi
    done
    read -r wi mi <<<"${result[index]}"
    printf '\n`georel index`: %s s, peak %s MiB; index file %s bytes (CSV %s bytes).\n' "$wi" "$mi" \
        "$(stat -c %s "$dir/data/.georel-index")" "$(stat -L -c %s "$csv")"
    [[ $status == 0 ]] && printf 'answers with and without the index: identical\n'
    return $status
}

main() {
    local sizes=("$@")
    [[ ${#sizes[@]} -gt 0 ]] || sizes=(100000 1000000 10000000)
    (cd "$ROOT" && cargo build --release --quiet) || die "cannot build georel"
    local size status=0
    for size in "${sizes[@]}"; do
        bench_size "$size" || status=1
    done
    exit $status
}

main "$@"
