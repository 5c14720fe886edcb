#!/usr/bin/env bash
# Benchmark: `costwatch convert` against the straightforward Python reference
# (tools/reference/convert_reference.py) on the recorded dataset in bench/data/.
# See bench/README.md. Usage: bench/run.sh [--regen] [--runs N] [--python-only]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
cd "$repo"

runs=${RUNS:-3}
regen=0
python_only=0
target=30
while [[ $# -gt 0 ]]; do
  case $1 in
    --regen) regen=1 ;;
    --runs) runs=$2; shift ;;
    --runs=*) runs=${1#--runs=} ;;
    --python-only) python_only=1 ;;
    -h|--help) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

data=${BENCH_DATA:-bench/data}
out=bench/out
build="build-bench"
mkdir -p "$out"

say() { printf '== %s\n' "$*" >&2; }

# (a) Release build of costwatch (incremental; a no-op when up to date).
cw=${COSTWATCH_BIN:-}
if [[ $python_only -eq 0 && -z $cw ]]; then
  # Configuring every time is cheap and picks up targets added since the last run.
  say "configuring $build (Release)"
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCOSTWATCH_TESTS=OFF >/dev/null
  say "building costwatch in $build"
  cmake --build "$build" -j2 --target costwatch >/dev/null
  cw=$(find "$build" -type f -name costwatch -perm -u+x | head -n 1)
  if [[ -z $cw ]]; then
    echo "run.sh: built target costwatch but found no binary under $build" >&2
    exit 1
  fi
fi

# (b) Dataset.
if [[ $regen -eq 1 || ! -f $data/MANIFEST ]]; then
  say "generating dataset in $data"
  python3 bench/generate_dataset.py --out "$data" >&2
fi
shopt -s nullglob
files=("$data"/*.json)
shopt -u nullglob
if [[ ${#files[@]} -eq 0 ]]; then
  echo "run.sh: no *.json in $data" >&2
  exit 1
fi
input_bytes=$(cat "${files[@]}" | wc -c)

# (c) Timing: best wall time of $runs runs; peak RSS from GNU time when it is there.
gnu_time=""
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
  gnu_time=/usr/bin/time
fi

now_ns() { date +%s%N; }

# measure NAME OUTFILE CMD... -> sets best_s and rss_kb
measure() {
  local name=$1 outfile=$2
  shift 2
  best_s="" rss_kb=""
  local i start end secs rss
  for ((i = 1; i <= runs; i++)); do
    start=$(now_ns)
    if [[ -n $gnu_time ]]; then
      "$gnu_time" -f %M -o "$out/$name.rss" "$@" >"$outfile"
    else
      "$@" >"$outfile"
    fi
    end=$(now_ns)
    secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
    if [[ -n $gnu_time ]]; then
      rss=$(tail -n 1 "$out/$name.rss")
      if [[ -z $rss_kb || $rss -gt $rss_kb ]]; then rss_kb=$rss; fi
    fi
    say "$name run $i: ${secs}s"
    if [[ -z $best_s ]] || awk -v a="$secs" -v b="$best_s" 'BEGIN { exit !(a < b) }'; then
      best_s=$secs
    fi
  done
}

if [[ $python_only -eq 0 ]]; then
  measure costwatch "$out/costwatch.jsonl" "$cw" convert "${files[@]}"
  cw_s=$best_s cw_rss=$rss_kb
fi
measure python "$out/python.jsonl" python3 tools/reference/convert_reference.py "${files[@]}"
py_s=$best_s py_rss=$rss_kb
events=$(wc -l <"$out/python.jsonl")

# (d) Byte-identical output.
status=0
if [[ $python_only -eq 0 ]]; then
  cw_sum=$(sha256sum "$out/costwatch.jsonl" | cut -d' ' -f1)
  py_sum=$(sha256sum "$out/python.jsonl" | cut -d' ' -f1)
  if [[ $cw_sum == "$py_sum" ]]; then
    say "outputs identical (sha256 $cw_sum)"
  else
    status=1
    {
      echo
      echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
      echo "!!! MISMATCH: costwatch and the Python reference disagree"
      echo "!!!   costwatch: $cw_sum  $(wc -l <"$out/costwatch.jsonl") lines  $out/costwatch.jsonl"
      echo "!!!   python:    $py_sum  $events lines  $out/python.jsonl"
      line=$(cmp "$out/costwatch.jsonl" "$out/python.jsonl" 2>&1 | sed -n 's/.*line \([0-9]*\).*/\1/p' | head -n 1) || true
      if [[ -n $line ]]; then
        echo "!!! first difference on line $line:"
        echo "--- costwatch:"
        sed -n "${line}p" "$out/costwatch.jsonl"
        echo "--- python:"
        sed -n "${line}p" "$out/python.jsonl"
      else
        cmp "$out/costwatch.jsonl" "$out/python.jsonl" 2>&1 | sed 's/^/!!! /' || true
      fi
      echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
      echo
    } >&2
  fi
fi

# (e) Table.
row() {  # name seconds rss_kb
  awk -v n="$1" -v s="$2" -v r="$3" -v e="$events" -v b="$input_bytes" 'BEGIN {
    rss = (r == "" ? "n/a" : sprintf("%.1f MB", r / 1024))
    printf "%-12s %10d %9.1f %9.3f %13.0f %9.1f %10s\n", n, e, b / 1e6, s, e / s, b / 1e6 / s, rss
  }'
}
echo
printf '%-12s %10s %9s %9s %13s %9s %10s\n' impl events "input MB" "time s" "events/s" "MB/s" "peak RSS"
if [[ $python_only -eq 0 ]]; then row costwatch "$cw_s" "$cw_rss"; fi
row python "$py_s" "$py_rss"
echo "(best of $runs runs, wall time; ${#files[@]} files in $data)"
if [[ $python_only -eq 0 ]]; then
  awk -v c="$cw_s" -v p="$py_s" -v t="$target" 'BEGIN {
    x = p / c
    printf "speed-up costwatch over Python: %.1fx (target >= %dx: %s)\n", x, t, (x >= t ? "met" : "MISSED")
  }'
  if [[ $status -ne 0 ]]; then echo "OUTPUT MISMATCH (see above)"; fi
fi
exit $status
