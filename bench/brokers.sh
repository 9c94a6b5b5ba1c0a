#!/usr/bin/env bash
# georel brokers --at DATE against networkx and igraph on the same snapshot (BENCHMARKS.md,
# Issue 18, brokers).
#
#   bench/brokers.sh GEOREL DATA_DIR DATE PIVOTS [PYTHON]
#
# DATA_DIR holds relations.csv and its index (`georel index`). PIVOTS is K for a sampled
# estimate on all three (the same K source nodes: georel's, read from its JSON), or 0 for the
# exact count. Exports the day's snapshot once (edges CSV, in DATA_DIR/../brokers-edges.csv,
# removed at the end; georel's JSON stays beside it, brokers-georel.json), then times each tool once with /usr/bin/time -v: wall, user, system,
# peak RSS. The peers print their own load and betweenness times and how far their values are
# from georel's (bench/brokers_peers.py).
set -euo pipefail
georel=$1 data=$2 date=$3 pivots=$4 python=${5:-python3}
here=$(cd "$(dirname "$0")" && pwd)
work=$(cd "$data/.." && pwd)
edges=$work/brokers-edges.csv
json=$work/brokers-georel.json
trap 'rm -f "$edges" "$work/time.txt" "$work/out.txt"' EXIT

timed() { # label, command...
    local label=$1; shift
    /usr/bin/time -v "$@" 2> "$work/time.txt" > "$work/out.txt" || { cat "$work/time.txt"; exit 1; }
    local wall user sys rss
    wall=$(grep 'Elapsed (wall' "$work/time.txt" | awk '{print $NF}')
    user=$(grep 'User time' "$work/time.txt" | awk '{print $NF}')
    sys=$(grep 'System time' "$work/time.txt" | awk '{print $NF}')
    rss=$(grep 'Maximum resident' "$work/time.txt" | awk '{print $NF}')
    echo "$label: wall $wall, user $user s, system $sys s, peak $((rss / 1024)) MiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
    grep -v '^wrote ' "$work/out.txt" | head -c 2000 || true
}

"$georel" --data "$data" snapshot --at "$date" --format edges-csv --out "$edges" > /dev/null
args=(--data "$data" brokers --at "$date" --top 0 --format json --out "$json")
[ "$pivots" != 0 ] && args+=(--pivots "$pivots")
label="georel brokers --at $date"; [ "$pivots" != 0 ] && label+=" --pivots $pivots"
timed "$label" "$georel" "${args[@]}"
"$python" - "$json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))["dates"][0]
print(f"  nodes {d['nodes']}, ties {d['ties']}, exact {d['exact']}; top 10:", [b["actor"] for b in d["brokers"][:10]])
EOF
for tool in igraph networkx; do
    timed "$tool" "$python" "$here/brokers_peers.py" "$tool" "$edges" "$json"
    echo
done
