#!/usr/bin/env bash
# killrun.sh: the crash-safety run reported in the closing note of issue 3.
# Submits N async jobs (real engine, generated cards) to a `ktpocr serve` on
# SQLite (or DATABASE_URL), kills the server with SIGKILL K times while jobs
# run, restarts it each time, and counts the jobs that end.
#   usage: scripts/killrun.sh [N=20] [K=3]
set -euo pipefail
N=${1:-20}; K=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/bin/ktpocr
work=$(mktemp -d); cd "$work"
port=18181
"$bin" synth -n "$N" --seed 4242 --mix clean --out cards >/dev/null 2>&1
start() { "$bin" serve --addr 127.0.0.1:$port --job-timeout 30s --rescue-after 45s >>serve.out 2>>serve.err & echo $! > pid; for _ in $(seq 50); do curl -fs localhost:$port/healthz >/dev/null && return; sleep 0.2; done; }
start
id=$(grep -A1 'live app' serve.out | awk '/App-ID/{print $2}')
key=$(grep -A2 'live app' serve.out | awk '/API-Key/{print $2}')
for i in $(seq -w 1 "$N"); do
  f=$(ls cards/*.jpg | sed -n "$((10#$i))p")
  printf '{"image":"%s","reference_id":"kill-run-%s"}' "$(base64 -w0 "$f")" "$i" > req.json
  curl -s localhost:$port/ktp/id/extract-async -H "App-ID: $id" -H "API-Key: $key" -d @req.json | grep -q reference_id || { echo "submit $i refused:"; curl -s localhost:$port/ktp/id/extract-async -H "App-ID: $id" -H "API-Key: $key" -d @req.json | head -c 300; exit 1; }
done
echo "submitted $N jobs"
for k in $(seq "$K"); do
  sleep 2
  kill -9 "$(cat pid)"; echo "kill -9 #$k"; sleep 0.5; start
done
deadline=$((SECONDS + 600))
while :; do
  done_n=0
  for i in $(seq -w 1 "$N"); do
    s=$(curl -s "localhost:$port/ktp/id/extract-async/result?reference_id=kill-run-$i" -H "App-ID: $id" -H "API-Key: $key" | sed -n 's/.*"status":"\([A-Z]*\)".*/\1/p')
    [ "$s" = SUCCEEDED ] || [ "$s" = FAILED ] && done_n=$((done_n+1))
  done
  [ "$done_n" = "$N" ] && break
  [ $SECONDS -gt $deadline ] && break
  sleep 3
done
ok=0; for i in $(seq -w 1 "$N"); do
  curl -s "localhost:$port/ktp/id/extract-async/result?reference_id=kill-run-$i" -H "App-ID: $id" -H "API-Key: $key" | grep -q '"status":"SUCCEEDED"' && ok=$((ok+1))
done
echo "jobs submitted: $N, kills: $K, jobs completed: $done_n (succeeded: $ok) after ${SECONDS}s"
kill "$(cat pid)" 2>/dev/null || true
rm -rf "$work"
