#!/usr/bin/env bash
# Benchmark: delivery throughput of the Kafka sink (events/s) to librdkafka's mock cluster, 3
# brokers on loopback, every batch acknowledged (acks=all, idempotent producer) before the next,
# per content mode and compression. Target: at least 500,000 events/s. See bench/README.md.
# Usage: bench/kafka_bench.sh [EVENTS]   (default 500,000 per run; COSTWATCH_BIN and
# KAFKA_BENCH pick existing binaries, otherwise both are built in build-bench-kafka/; MOCK_CLUSTER
# is tests/sinks/kafka_mock_cluster next to KAFKA_BENCH)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
cd "$repo"
events=${1:-500000}
runs=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [[ -z "${COSTWATCH_BIN:-}" || -z "${KAFKA_BENCH:-}" ]]; then
  # Its own build directory: kafka_bench is a test tool, and bench/run.sh builds without tests.
  cmake -S . -B build-bench-kafka -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build-bench-kafka -j --target costwatch kafka_bench kafka_mock_cluster >/dev/null
  COSTWATCH_BIN=${COSTWATCH_BIN:-build-bench-kafka/src/cli/costwatch}
  KAFKA_BENCH=${KAFKA_BENCH:-build-bench-kafka/tests/sinks/kafka_bench}
fi
MOCK_CLUSTER=${MOCK_CLUSTER:-$(dirname "$KAFKA_BENCH")/kafka_mock_cluster}

# 1,000 real cost events of one day: 50 services x 20 accounts, the account as partitionkey.
python3 - "$work/answer.json" <<'PY'
import json, sys
groups = [{"Keys": [f"Service {i % 50} \"q\" caf\u00e9", f"{100000000000 + i // 50}"],
           "Metrics": {"AmortizedCost": {"Amount": f"{i}.0123456789", "Unit": "USD"},
                       "UnblendedCost": {"Amount": f"{i * 3}.5", "Unit": "USD"}}}
          for i in range(1000)]
json.dump({"GroupDefinitions": [{"Type": "DIMENSION", "Key": "SERVICE"},
                                {"Type": "DIMENSION", "Key": "LINKED_ACCOUNT"}],
           "ResultsByTime": [{"TimePeriod": {"Start": "2023-01-27", "End": "2023-01-28"},
                              "Total": {}, "Groups": groups, "Estimated": False}]},
          open(sys.argv[1], "w"))
PY
"$COSTWATCH_BIN" convert "$work/answer.json" > "$work/events.jsonl"

# Each run gets a fresh cluster: the mock keeps every record in memory. It runs in a process of
# its own, as brokers run on hosts of their own, so the sink's CPU time is measured apart.
once() {  # kafka_bench args... -> "events/s sink-CPU brokers-CPU"
  local line bootstraps answer
  coproc MOCK { /usr/bin/time -f "%U %S" -o "$work/mock_time" "$MOCK_CLUSTER" 3; }
  read -r bootstraps <&"${MOCK[0]}"
  echo "topic costs 6" >&"${MOCK[1]}"
  read -r answer <&"${MOCK[0]}"
  [[ $answer == ok ]] || { echo "kafka_mock_cluster: $answer" >&2; exit 1; }
  line=$(/usr/bin/time -f "%U %S" -o "$work/time" "$KAFKA_BENCH" --brokers "$bootstraps" \
         --events "$events" "$@" < "$work/events.jsonl")
  exec {MOCK[1]}>&-
  wait "$MOCK_PID"
  printf '%s %s %s\n' "$(awk '{print $(NF-1)}' <<<"$line")" \
         "$(awk '{printf "%.2f", $1 + $2}' "$work/time")" \
         "$(awk '{printf "%.2f", $1 + $2}' "$work/mock_time")"
}

# The median of $runs runs, and the range: a run now and then is a third slower (the allocator's
# free lists, which thread shares a core with which), so one run proves little.
run() {  # label, kafka_bench args...
  local label=$1
  shift
  local results
  results=$(for ((i = 0; i < runs; i++)); do once "$@"; done | sort -n)
  awk -v label="$label" '
    { rate[NR] = $1; sink[NR] = $2; brokers[NR] = $3 }
    END {
      m = int((NR + 1) / 2)
      printf "%-30s %7d events/s (%d to %d), sink %s s CPU, brokers %s s CPU\n",
             label, rate[m], rate[1], rate[NR], sink[m], brokers[m]
    }' <<<"$results"
}

echo "event size: $(head -1 "$work/events.jsonl" | wc -c) bytes; $events events per run;" \
     "median of $runs runs; target >= 500,000 events/s"
for mode in binary structured; do
  for compression in lz4 none zstd; do
    run "$mode, $compression, batch 10000" --mode "$mode" --compression "$compression"
  done
done
run "binary, lz4, batch 50000" --mode binary --batch-size 50000
run "structured, lz4, batch 50000" --mode structured --batch-size 50000
