# Shared by the scripts: where things are, how to build the jar, and how to run the real Spark
# launcher (spark-submit from SPARK_HOME, or org.apache.spark.deploy.SparkSubmit from the Maven
# classpath when no Spark installation is present). Source it; do not run it.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$REPO/jobs/target/warehouse-jobs.jar"
SPARK_CLASSPATH_FILE="$REPO/jobs/target/spark-classpath.txt"
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

# Builds the jar (and the Spark classpath file) when it is missing or older than any source.
build_jar() {
  local stale=""
  if [[ -f "$JAR" && -f "$SPARK_CLASSPATH_FILE" ]]; then
    stale="$(find "$REPO/pom.xml" "$REPO/common" "$REPO/jobs" "$REPO/conf" \
      -path '*/target' -prune -o -type f -newer "$JAR" -print -quit)"
  else
    stale="missing"
  fi
  if [[ -n "$stale" ]]; then
    echo "building $JAR ..." >&2
    (cd "$REPO" && mvn -B -q -DskipTests -Dspotless.check.skip=true package) >&2
  fi
}

# spark_submit <job-or-command> [options]: one Spark application through the real launcher.
# SPARK_CLASS runs another main class of the jar (the benchmarks' harnesses).
spark_submit() {
  local class=()
  [[ -n "${SPARK_CLASS:-}" ]] && class=(--class "$SPARK_CLASS")
  if [[ -n "${SPARK_HOME:-}" ]]; then
    "$SPARK_HOME/bin/spark-submit" --master "$SPARK_MASTER" --driver-memory "$DRIVER_MEMORY" \
      --driver-java-options "-Dlog4j2.configurationFile=$LOG_CONFIG -Duser.timezone=UTC" \
      "${class[@]}" "$JAR" "$@"
  else
    # In-process client mode: this JVM is the driver, so its -Xmx is the driver memory.
    # Executors of a real cluster are other JVMs: they need the same flags.
    java -Xmx"$DRIVER_MEMORY" "${JAVA17_OPENS[@]}" -Duser.timezone=UTC \
      -Dlog4j2.configurationFile="$LOG_CONFIG" \
      -cp "$(cat "$SPARK_CLASSPATH_FILE")" org.apache.spark.deploy.SparkSubmit \
      --master "$SPARK_MASTER" \
      --conf "spark.executor.extraJavaOptions=${JAVA17_OPENS[*]} -Duser.timezone=UTC" \
      "${class[@]}" "$JAR" "$@"
  fi
}
