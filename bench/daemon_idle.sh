#!/usr/bin/env bash
# Benchmark: the resident memory and CPU of an idle `costwatch run` daemon, against the
# targets (idle RSS <= 15 MB). The daemon pulls once from the Cost Explorer stand-in, delivers
# to a file sink, then waits for its next planned pull; we measure it while it waits.
# Usage: bench/daemon_idle.sh [SECONDS]   (default 20; COSTWATCH_BIN picks an existing binary;
# IDLE_WITH="server email" adds the HTTP server, scraped 5 times before the measurement, and/or
# an e-mail notifier with an alarm rule that does not fire)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
work=$(mktemp -d)
trap 'kill "${daemon:-}" "${standin:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

if [[ -z "${COSTWATCH_BIN:-}" ]]; then
  cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DCOSTWATCH_TESTS=OFF >/dev/null
  cmake --build build-bench -j --target costwatch >/dev/null
  COSTWATCH_BIN=build-bench/src/cli/costwatch
fi

python3 tools/ce-standin/ce_standin.py --port 0 --port-file "$work/port" --quiet &
standin=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done

cat >"$work/costwatch.yaml" <<YAML
state_path: $work/state.db
sources:
  - name: main
    group_by: [SERVICE, LINKED_ACCOUNT]
    lookback_days: 7
sinks:
  - name: archive
    type: file
    path: $work/events.jsonl
YAML
server_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
for extra in ${IDLE_WITH:-}; do
  case $extra in
    server) printf 'server:\n  listen: 127.0.0.1:%s\n' "$server_port" >>"$work/costwatch.yaml" ;;
    email) cat >>"$work/costwatch.yaml" <<YAML
notifiers:
  - name: mail
    type: email
    smtp_url: smtp://127.0.0.1:1
    from: costwatch@example.com
    to: [finance@example.com]
alarms:
  - name: never
    type: month_to_date
    threshold: 1000000000
    notify: [mail]
YAML
      ;;
    *) echo "IDLE_WITH: unknown '$extra' (server, email)" >&2; exit 2 ;;
  esac
done

AWS_ACCESS_KEY_ID=AKIDCOSTWATCHDEMO AWS_SECRET_ACCESS_KEY=costwatch/demo/secret/not-a-real-key \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true \
  "$COSTWATCH_BIN" run --config "$work/costwatch.yaml" --endpoint-url "http://127.0.0.1:$(cat "$work/port")" \
  2>"$work/daemon.log" &
daemon=$!

# Wait for the first pull to be delivered.
for _ in $(seq 300); do
  grep -q "delivered" "$work/daemon.log" 2>/dev/null && break
  sleep 0.1
done
grep -q "delivered" "$work/daemon.log" || { cat "$work/daemon.log"; echo "daemon did not deliver" >&2; exit 1; }
events=$(wc -l <"$work/events.jsonl")
if [[ " ${IDLE_WITH:-} " == *" server "* ]]; then
  for _ in 1 2 3 4 5; do
    python3 -c 'import sys, urllib.error, urllib.request
base = "http://127.0.0.1:" + sys.argv[1]
assert b"costwatch_" in urllib.request.urlopen(base + "/metrics", timeout=10).read()
try: urllib.request.urlopen(base + "/readyz", timeout=10).read()
except urllib.error.HTTPError: pass  # 503 when not ready is an answer too' "$server_port"
  done
fi
sleep 1

# Where the resident memory is: file-backed (shared libraries) and anonymous (heap).
rss_file_kb=$(awk '/^RssFile/ {print $2}' "/proc/$daemon/status")
rss_anon_kb=$(awk '/^RssAnon/ {print $2}' "/proc/$daemon/status")
ticks() { awk '{print $14 + $15}' "/proc/$daemon/stat"; }
hz=$(getconf CLK_TCK)
before=$(ticks)
sleep "$seconds"
after=$(ticks)
rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$daemon/status")
hwm_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$daemon/status")
cpu_ms=$(( (after - before) * 1000 / hz ))

printf 'daemon after pulling and delivering %s events, then idle for %ss:\n' "$events" "$seconds"
awk -v rss="$rss_kb" -v hwm="$hwm_kb" -v anon="$rss_anon_kb" -v file="$rss_file_kb" -v cpu="$cpu_ms" -v s="$seconds" 'BEGIN {
  printf "  idle RSS     %6.1f MB   (target <= 15 MB: %s)\n", rss / 1024, rss <= 15360 ? "met" : "MISSED"
  printf "               (%.1f MB anonymous, %.1f MB shared libraries and files)\n", anon / 1024, file / 1024
  printf "  peak RSS     %6.1f MB   (during the pull and delivery)\n", hwm / 1024
  printf "  idle CPU     %6d ms   in %ss (%.3f%% of one core)\n", cpu, s, cpu / (s * 10)
}'

# Where it is, per mapping (/proc/PID/smaps: resident, and the part of it that is anonymous),
# the biggest first: bench/README.md explains the figures.
echo "  by mapping, KB resident (anonymous):"
awk '/^[0-9a-f]+-[0-9a-f]+ / { name = NF >= 6 ? $6 : "[anonymous]"; sub(".*/", "", name) }
     /^Rss:/ { rss[name] += $2 }
     /^Anonymous:/ { anon[name] += $2 }
     END { for (n in rss) if (rss[n] > 0) printf "%d %d %s\n", rss[n], anon[n], n }' \
  "/proc/$daemon/smaps" | sort -rn | head -n 14 |
  awk '{ printf "    %6d (%4d) %s\n", $1, $2, $3 }'
