# Shared by the scripts: where things are, how to build the jar, and how to run the real Spark
# launcher (spark-submit from SPARK_HOME, or org.apache.spark.deploy.SparkSubmit from the Maven
# classpath when no Spark installation is present). Source it; do not run it.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The Scala build of the jar: 2.12 (local runs, Dataproc clusters) or 2.13 (serverless 2.3).
SCALA_BINARY="${SCALA_BINARY:-2.12}"
case "$SCALA_BINARY" in
  2.12) TARGET="$REPO/jobs/target"; MAVEN_PROFILE=() ;;
  2.13) TARGET="$REPO/jobs/target/scala-2.13"; MAVEN_PROFILE=(-Pscala-2.13) ;;
  *) echo "SCALA_BINARY must be 2.12 or 2.13, not '$SCALA_BINARY'" >&2; return 2 ;;
esac
JAR="$TARGET/warehouse-jobs_$SCALA_BINARY.jar"
SPARK_CLASSPATH_FILE="$TARGET/spark-classpath.txt"
HARNESS_CLASSPATH_FILE="$TARGET/harness-classpath.txt"
SPARK_MASTER="${SPARK_MASTER:-local[*]}"
DRIVER_MEMORY="${DRIVER_MEMORY:-4g}"
LOG_CONFIG="$REPO/conf/log4j2-local.properties"
# Local runs bind to loopback (no warning about the host name resolving to it).
if [[ "$SPARK_MASTER" == local* ]]; then
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
fi

# What spark-submit itself adds on Java 17 (kept in step with spark.java17.opens in pom.xml).
JAVA17_OPENS=(
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
)

# The collector of the driver JVM these scripts start (the only JVM in local mode): on two cores the
# parallel collector spends less CPU than G1 beside the jobs (a delivery run 258 s against 285 s,
# peak resident memory 3.8 GB against 4.9 GB; docs/performance.md, 2026-12-03).
LOCAL_GC=(-XX:+UseParallelGC)

# Builds the jar (and the Spark classpath file) when it is missing or older than any source.
build_jar() {
  local stale=""
  if [[ -f "$JAR" && -f "$SPARK_CLASSPATH_FILE" && -f "$HARNESS_CLASSPATH_FILE" ]]; then
    stale="$(find "$REPO/pom.xml" "$REPO/common" "$REPO/jobs" "$REPO/conf" \
      -path '*/target' -prune -o -type f -newer "$JAR" -print -quit)"
  else
    stale="missing"
  fi
  if [[ -n "$stale" ]]; then
    echo "building $JAR ..." >&2
    (cd "$REPO" && mvn -B -q "${MAVEN_PROFILE[@]}" -DskipTests -Dspotless.check.skip=true package) >&2
  fi
}

# run_or_print <command...>: runs it, or prints it shell-quoted when DRY_RUN=true.
run_or_print() {
  if [[ "${DRY_RUN:-false}" == true ]]; then
    printf '%q ' "$@" | sed 's/ $//'
    echo
  else
    "$@"
  fi
}

# spark_submit <job-or-command> [options]: one Spark application through the real launcher.
# SPARK_JARS adds jars to the application (comma-separated), e.g. the spark-bigquery connector a
# cluster has. SPARK_CLASS runs a harness instead (see harness_submit).
spark_submit() {
  if [[ -n "${SPARK_CLASS:-}" ]]; then
    harness_submit "$@"
    return
  fi
  local launcher=()
  [[ -n "${SPARK_JARS:-}" ]] && launcher+=(--jars "$SPARK_JARS")
  if [[ -n "${SPARK_HOME:-}" ]]; then
    "$SPARK_HOME/bin/spark-submit" --master "$SPARK_MASTER" --driver-memory "$DRIVER_MEMORY" \
      --driver-java-options "${LOCAL_GC[*]} -Dlog4j2.configurationFile=$LOG_CONFIG -Duser.timezone=UTC" \
      "${launcher[@]}" "$JAR" "$@"
  else
    # In-process client mode: this JVM is the driver, so its -Xmx is the driver memory.
    # Executors of a real cluster are other JVMs: they need the same flags.
    java -Xmx"$DRIVER_MEMORY" "${LOCAL_GC[@]}" "${JAVA17_OPENS[@]}" -Duser.timezone=UTC \
      -Dlog4j2.configurationFile="$LOG_CONFIG" \
      -cp "$(cat "$SPARK_CLASSPATH_FILE")" org.apache.spark.deploy.SparkSubmit \
      --master "$SPARK_MASTER" \
      --conf "spark.executor.extraJavaOptions=${JAVA17_OPENS[*]} -Duser.timezone=UTC" \
      "${launcher[@]}" "$JAR" "$@"
  fi
}

# harness_submit [arguments]: the main class SPARK_CLASS of the benchmarks' harnesses or the
# warehouse comparison (jobs/src/test/java/com/acme/warehouse/jobs/bench: test code, kept out of
# the production jar), through the same launcher in local mode, from the test classpath beside the
# unshaded classes of the jobs.
harness_submit() {
  java -Xmx"$DRIVER_MEMORY" "${LOCAL_GC[@]}" "${JAVA17_OPENS[@]}" -Duser.timezone=UTC \
    -Dlog4j2.configurationFile="$LOG_CONFIG" \
    -cp "$TARGET/test-classes:$TARGET/classes:$(cat "$HARNESS_CLASSPATH_FILE")" \
    org.apache.spark.deploy.SparkSubmit --master "$SPARK_MASTER" --class "$SPARK_CLASS" \
    "$TARGET/original-warehouse-jobs_$SCALA_BINARY.jar" "$@"
}
