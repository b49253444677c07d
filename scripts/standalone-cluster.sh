#!/usr/bin/env bash
# A real multi-executor Spark standalone cluster on this machine, from the Maven classpath alone:
# one Master and one Worker whose executors are separate JVMs. Used to prove that jobs work off
# local[*] (everything they ship to executors serialises; no driver-local state).
#
#   scripts/standalone-cluster.sh start      # prints the master URL
#   SPARK_MASTER=spark://127.0.0.1:7077 scripts/run-local.sh --layer bronze
#   scripts/standalone-cluster.sh stop
set -euo pipefail
source "$(dirname "$0")/lib.sh"

home="${STANDALONE_HOME:-${TMPDIR:-/tmp}/warehouse-standalone}"
port="${STANDALONE_PORT:-7077}"
url="spark://127.0.0.1:$port"

start() {
  build_jar
  rm -rf "$home" && mkdir -p "$home/jars" "$home/logs" "$home/work"
  # The worker builds executor classpaths from $SPARK_HOME/jars.
  tr ":" "\n" < "$SPARK_CLASSPATH_FILE" | while read -r jar || [[ -n "$jar" ]]; do
    ln -s "$jar" "$home/jars/"
  done
  touch "$home/RELEASE"
  local cp="$home/jars/*"
  export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1
  nohup java -Xmx512m -cp "$cp" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$port" --webui-port 0 > "$home/logs/master.log" 2>&1 &
  echo $! > "$home/master.pid"
  sleep 3
  nohup java -Xmx512m -cp "$cp" org.apache.spark.deploy.worker.Worker \
    --cores "${WORKER_CORES:-2}" --memory "${WORKER_MEMORY:-4g}" --work-dir "$home/work" \
    --webui-port 0 "$url" > "$home/logs/worker.log" 2>&1 &
  echo $! > "$home/worker.pid"
  for _ in $(seq 1 30); do
    if grep -q "Successfully registered with master" "$home/logs/worker.log" 2>/dev/null; then
      echo "$url"
      return 0
    fi
    sleep 1
  done
  echo "worker did not register; see $home/logs" >&2
  return 1
}

stop() {
  for role in worker master; do
    [[ -f "$home/$role.pid" ]] && kill "$(cat "$home/$role.pid")" 2>/dev/null || true
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
