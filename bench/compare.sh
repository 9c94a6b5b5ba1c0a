#!/usr/bin/env bash
# Side-by-side benchmark of georel against the peer tools (raphtory, networkx, igraph) on the
# workload of bench/README.md (tasks T1–T6; semantics in bench/common.py).
#
#   bench/compare.sh [SIZE...]          SIZE ∈ 100000 1000000 10000000 (default: all three)
#
# For each size it
#   1. generates ${BENCH_DIR}/r<SIZE>.csv with bench/gen_relations.py (default seed) if missing;
#   2. runs `georel bench` and each peer script on that file, one after the other, each as a
#      whole process under /usr/bin/time (wall seconds, peak RSS), $RUNS times in a row keeping
#      the fastest run, collecting the per-task results with --json;
#   3. times the CLI target `georel --data DIR snapshot --at DATE --format edges-csv --out FILE`
#      as its own process, the same way (DIR holds relations.csv as a symlink to the file, and no
#      index: each run parses the CSV);
#   4. checks that every tool gives the same answers (and bench/README.md's reference answers),
#      and prints a table (bench/summarise.py).
#
# Environment:
#   BENCH_DIR     where the CSV files, the venv and the results live   (default /tmp/bench)
#   BENCH_VENV    the peers' virtual environment                       (default $BENCH_DIR/venv)
#   RUNS          runs of each tool, the fastest kept                  (default 2)
#
# Results: $BENCH_DIR/results/<SIZE>/ (<tool>.json, .log, .err, .time, .t5.csv, snapshot.*).
# Exit status: 0 when every tool that ran agrees; 1 on any DISAGREEMENT; 2 on a usage error or
# when georel itself fails. A failing peer is reported in the table (FAILED) without failing the
# run, since the comparison is then simply made with the peers that finished.
# Not part of .ci/run: the 10M size alone takes several minutes and needs ~5 GiB of memory.
set -euo pipefail

# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
BENCH_VENV="${BENCH_VENV:-$BENCH_DIR/venv}"
PY="$BENCH_VENV/bin/python"
PEERS=(raphtory networkx igraph)
DEFAULT_SIZES=(100000 1000000 10000000)
# Each tool runs this many times in a row; the fastest run is kept, for every tool alike (the
# first run of a process after others have used much memory is often slower, georel's and the
# peers' alike).
RUNS="${RUNS:-2}"

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'compare.sh: %s\n' "$*" >&2; exit 2; }


# The peers' virtual environment: created and filled from the pinned requirements when missing,
# reused as it is when it already imports every peer package.
ensure_venv() {
    if [[ ! -x "$PY" ]]; then
        log "creating the peers' virtual environment in $BENCH_VENV"
        python3 -m venv "$BENCH_VENV"
    fi
    if ! "$PY" -c 'import raphtory, networkx, igraph, pandas, pyarrow, numpy' 2>/dev/null; then
        log "installing the peers from bench/requirements.txt"
        "$PY" -m pip install --quiet -r "$ROOT/bench/requirements.txt"
    fi
}

build_georel() {
    log "building georel (release)"
    (cd "$ROOT" && cargo build --release --quiet)
}

# The relations file for a size, generated with bench/gen_relations.py's default seed if missing.
ensure_csv() {
    local size="$1" csv="$BENCH_DIR/r$1.csv"
    if [[ ! -s "$csv" ]]; then
        log "generating $csv"
        "$PY" "$ROOT/bench/gen_relations.py" "$size" "$csv" >&2
    fi
    printf '%s\n' "$csv"
}

# Runs one tool as a whole process under /usr/bin/time, $RUNS times, and keeps the files of the
# fastest successful run (the lowest process wall time).
#   run_timed DIR NAME CMD...   ->  DIR/NAME.log (stdout), .err (stderr), .time ("wall_s rss_kib"),
#                                   .status (exit code), and whatever else the tool wrote as
#                                   DIR/NAME.* (its --json and --out files); every run's wall time
#                                   is in DIR/runs/NAME.walls.
# The tool's task lines are echoed as they come, prefixed by its name.
run_timed() {
    local dir="$1" name="$2"
    shift 2
    local run wall best="" best_dir="$dir/runs/best-$name"
    mkdir -p -- "$dir/runs"
    : >"$dir/runs/$name.walls"
    for ((run = 1; run <= RUNS; run++)); do
        run_once "$dir" "$name" "$@"
        read -r wall _ <"$dir/$name.time" || wall=""
        echo "$wall $(cat "$dir/$name.status")" >>"$dir/runs/$name.walls"
        if [[ "$(cat "$dir/$name.status")" == 0 && -n "$wall" ]] &&
            { [[ -z "$best" ]] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; }; then
            best="$wall"
            rm -rf -- "$best_dir"
            mkdir -p -- "$best_dir"
            cp -p -- "$dir/$name".* "$best_dir/"
        fi
    done
    if [[ -n "$best" ]]; then
        cp -p -- "$best_dir"/* "$dir/"
        rm -rf -- "$best_dir"
    fi
}

run_once() {
    local dir="$1" name="$2"
    shift 2
    local status=0
    /usr/bin/time -f '%e %M' -o "$dir/$name.time" "$@" >"$dir/$name.log" 2>"$dir/$name.err" || status=$?
    echo "$status" >"$dir/$name.status"
    sed "s/^/  [$name] /" "$dir/$name.log" >&2
    if [[ "$status" != 0 ]]; then
        log "$name exited with status $status; last lines of its stderr:"
        tail -n 5 "$dir/$name.err" | sed "s/^/  [$name] /" >&2
    fi
}

# The wall time of reading a file that is already in the page cache, and of counting its lines:
# the floor any loader stands on. Written to DIR/floor.txt as "cat_s wc_s".
measure_floor() {
    local csv="$1" dir="$2" t0 t1 t2
    cat -- "$csv" >/dev/null # warm the page cache, so that no tool pays for the first read
    t0=$(date +%s.%N)
    cat -- "$csv" >/dev/null
    t1=$(date +%s.%N)
    wc -l <"$csv" >/dev/null
    t2=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "%.4f %.4f\n", b - a, c - b }' >"$dir/floor.txt"
}

# A digest of the sorted `source,target,kind` lines of a T5 file (header dropped), so that the
# tools' outputs can be compared as multisets of rows. FIELDS selects the columns (the CLI's
# edges CSV has id,source,target,kind,...).
t5_digest() {
    local file="$1" fields="$2"
    tail -n +2 -- "$file" | cut -d, -f"$fields" | LC_ALL=C sort | sha256sum | cut -c1-16
}

bench_size() {
    local size="$1" actor_b csv dir
    actor_b="$(actor_b_for "$size")" || die "unknown size $size (choose among ${DEFAULT_SIZES[*]})"
    csv="$(ensure_csv "$size")"
    dir="$BENCH_DIR/results/$size"
    rm -rf -- "$dir"
    mkdir -p -- "$dir"

    log "size $size: $csv, $DATE, $ACTOR_A -> $actor_b"
    measure_floor "$csv" "$dir"

    run_timed "$dir" georel "$GEOREL" bench "$csv" "$DATE" "$ACTOR_A" "$actor_b" \
        --out "$dir/georel.t5.csv" --json "$dir/georel.json"
    [[ "$(cat "$dir/georel.status")" == 0 ]] || { cat "$dir/georel.err" >&2; exit 2; }
    local peer
    for peer in "${PEERS[@]}"; do
        run_timed "$dir" "$peer" "$PY" "$ROOT/bench/peer_$peer.py" "$csv" "$DATE" "$ACTOR_A" "$actor_b" \
            --out "$dir/$peer.t5.csv" --json "$dir/$peer.json"
    done

    # The CLI target, cold: one run, its own process, on a dataset folder holding only the file.
    mkdir -p -- "$dir/data"
    ln -sfn -- "$csv" "$dir/data/relations.csv"
    run_timed "$dir" snapshot "$GEOREL" --data "$dir/data" snapshot --at "$DATE" \
        --format edges-csv --out "$dir/snapshot.csv"

    # The written rows, compared as sorted multisets (after the timings, so as not to disturb them).
    {
        local tool
        for tool in georel "${PEERS[@]}"; do
            if [[ "$(cat "$dir/$tool.status")" == 0 && -f "$dir/$tool.t5.csv" ]]; then
                printf '%s %s\n' "$tool" "$(t5_digest "$dir/$tool.t5.csv" 1-3)"
            fi
        done
        if [[ "$(cat "$dir/snapshot.status")" == 0 ]]; then
            printf 'snapshot %s\n' "$(t5_digest "$dir/snapshot.csv" 2-4)"
        fi
    } >"$dir/t5_digests.txt"
}

main() {
    local sizes=("$@")
    [[ ${#sizes[@]} -gt 0 ]] || sizes=("${DEFAULT_SIZES[@]}")
    local size
    for size in "${sizes[@]}"; do
        actor_b_for "$size" >/dev/null || die "unknown size $size (choose among ${DEFAULT_SIZES[*]})"
    done
    [[ -x /usr/bin/time ]] || die "/usr/bin/time is needed (GNU time)"
    mkdir -p -- "$BENCH_DIR"

    ensure_venv
    build_georel
    for size in "${sizes[@]}"; do
        bench_size "$size"
    done

    local dirs=()
    for size in "${sizes[@]}"; do
        dirs+=("$BENCH_DIR/results/$size")
    done
    # summarise.py prints the tables and exits 1 on any disagreement.
    "$PY" "$ROOT/bench/summarise.py" --peers "${PEERS[@]}" -- "${dirs[@]}"
}

main "$@"
