# What bench/compare.sh and bench/index.sh share: where things are, the day and the actor pairs
# of the workload (bench/README.md). Sourced, not run.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/tmp/bench}"
GEOREL="${CARGO_TARGET_DIR:-$ROOT/target}/release/georel"
DATE="2001-09-11"
ACTOR_A="A00001"

# The actor pair (A -> B) bench/README.md gives for each size.
actor_b_for() {
    case "$1" in
        100000) echo A00483 ;;
        1000000) echo A00777 ;;
        10000000) echo A39600 ;;
        *) return 1 ;;
    esac
}
