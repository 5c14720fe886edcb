#!/usr/bin/env bash
# Benchmark: delivery throughput of the HTTP sink per CloudEvents mode (events/s) to a minimal
# local receiver on loopback (bench/deliver_receiver.py). See bench/deliver_bench.md.
# Usage: bench/deliver_bench.sh   (COSTWATCH_BIN and DELIVER_TOOL pick existing binaries;
# otherwise both are built in build-bench-deliver/)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
cd "$repo"
work=$(mktemp -d)
trap 'kill "${receiver_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

if [[ -z "${COSTWATCH_BIN:-}" || -z "${DELIVER_TOOL:-}" ]]; then
  # Its own build directory: deliver_tool is a test tool, and bench/run.sh builds without tests.
  cmake -S . -B build-bench-deliver -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build-bench-deliver -j --target costwatch deliver_tool >/dev/null
  COSTWATCH_BIN=${COSTWATCH_BIN:-build-bench-deliver/src/cli/costwatch}
  DELIVER_TOOL=${DELIVER_TOOL:-build-bench-deliver/tests/sinks/deliver_tool}
fi

# 1,000 real events (one day, 1,000 services), delivered --repeat times.
python3 - "$work/answer.json" <<'PY'
import json, sys
groups = [{"Keys": [f"Service {i} \"q\" caf\u00e9"],
           "Metrics": {"AmortizedCost": {"Amount": f"{i}.0123456789", "Unit": "USD"},
                       "UsageQuantity": {"Amount": f"{i * 3}.5", "Unit": "N/A"}}}
          for i in range(1000)]
json.dump({"GroupDefinitions": [{"Type": "DIMENSION", "Key": "SERVICE"}],
           "ResultsByTime": [{"TimePeriod": {"Start": "2023-01-27", "End": "2023-01-28"},
                              "Total": {}, "Groups": groups, "Estimated": False}]},
          open(sys.argv[1], "w"))
PY
"$COSTWATCH_BIN" convert --source "https://billing.example/acme%20corp" "$work/answer.json" \
  > "$work/events.jsonl"

python3 bench/deliver_receiver.py "$work/port" &
receiver_pid=$!
for _ in $(seq 100); do [[ -s "$work/port" ]] && break; sleep 0.05; done
url="http://127.0.0.1:$(cat "$work/port")/events"

run() {  # label, repeat, deliver_tool args...
  local label=$1 repeat=$2
  shift 2
  local line
  line=$("$DELIVER_TOOL" --type http --url "$url" --quiet --repeat "$repeat" "$@" \
         < "$work/events.jsonl" 2>&1 >/dev/null | tail -1)
  printf '%-28s %s\n' "$label" "${line#deliver_tool: }"
}

echo "event size: $(head -1 "$work/events.jsonl" | wc -c) bytes"
run "structured" 5 --mode structured
run "binary" 5 --mode binary
for size in 100 1000 5000; do
  run "batch (batch size $size)" 500 --mode batch --batch-size "$size"
done
echo "receiver counted $(curl -s "${url%/events}/count") events"
