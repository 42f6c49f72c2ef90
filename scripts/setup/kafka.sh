#!/usr/bin/env bash
# The Kafka broker the tests use: Apache Kafka from Maven Central jars, KRaft combined mode (broker and
# controller in one JVM, no ZooKeeper), loopback only:
#   127.0.0.1:9092 PLAINTEXT   127.0.0.1:9093 controller   127.0.0.1:9094 SASL_PLAINTEXT   127.0.0.1:9095 SASL_SSL
# SASL mechanisms PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512, one test user (airdock / airdock-secret); the
# SASL_SSL listener has a throw-away CA made here (its PEM path goes to the env file).
# Usage: scripts/setup/kafka.sh [start|stop|status|install|install-tools]   (default: start)
#   install        resolve kafka_2.13 (+ the log4j binding) into the cache
#   install-tools  also resolve kafka-tools (ProducerPerformance/ConsumerPerformance, for bench/)
# Idempotent: `start` returns at once when our broker already runs with the same settings, restarts it
# when the settings changed, and fails loudly when another process holds a port.
#
# Gotchas (measured, see the comments below): the log cleaner's dedupe buffer must be lowered for a small
# heap; the cluster id must be passed as --cluster-id=ID (an id may start with '-'); without the log4j
# binding the broker logs nothing and readiness cannot be seen.
#
# Cache: $AIRDOCK_CI_STATE/kafka-dist (jars, Maven repo, formatted log-dir template, CDS archive, TLS).
# Runtime: $AIRDOCK_CI_STATE/kafka (data, log, pid; wiped on each start). Settings for the tests go to
# $AIRDOCK_CI_STATE/services.d/kafka.env, which scripts/ci-setup.sh folds into services.env.
# Env: AIRDOCK_CI_STATE (/var/lib/airdock-ci), KAFKA_VERSION (4.1.1), KAFKA_HEAP (-Xms32m -Xmx256m).
set -euo pipefail

: "${AIRDOCK_CI_STATE:=/var/lib/airdock-ci}"
STATE=$AIRDOCK_CI_STATE
V=${KAFKA_VERSION:-4.1.1}
LOG4J_V=2.24.3
DIST=$STATE/kafka-dist
LIB=$DIST/lib-$V
TOOLS_LIB=$DIST/tools-$V
M2=$DIST/m2
TLS=$DIST/tls
RUN=$STATE/kafka
PIDFILE=$RUN/kafka.pid
LOG=$RUN/kafka.out
ENV_FILE=$STATE/services.d/kafka.env
PLAIN_PORT=9092 CONTROLLER_PORT=9093 SASL_PORT=9094 SSL_PORT=9095
SASL_USER=airdock SASL_PASSWORD=airdock-secret
HEAP=${KAFKA_HEAP:--Xms32m -Xmx256m}
# Small, fast-starting JVM on 2 cores: serial GC, capped metaspace and code cache, C1 only.
JVM_OPTS=(-XX:+UseSerialGC -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=64m -XX:TieredStopAtLevel=1 -Djava.awt.headless=true)

log() { echo "[setup-kafka] $*" >&2; }
fail() { echo "[setup-kafka] FAILED: $*" >&2; exit 1; }

need() { command -v "$1" >/dev/null || fail "$1 is missing (apt-get install $2)"; }

# mvn_copy <dir> <groupId:artifactId:version>...: the artifacts and their runtime dependencies into <dir>
mvn_copy() {
  local out=$1; shift
  [[ -f $out/.complete ]] && return 0
  need java openjdk-17-jre-headless; need mvn maven
  local pom deps='' gav
  pom=$(mktemp -d)
  for gav in "$@"; do
    IFS=: read -r g a v <<<"$gav"
    deps+="<dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version></dependency>"
  done
  cat >"$pom/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>airdock.ci</groupId><artifactId>kafka-deps</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>$deps</dependencies>
</project>
POM
  log "resolving $* from Maven Central (cache $M2)"
  rm -rf "$out.tmp"; mkdir -p "$M2"
  nice -n 10 mvn -q -B -f "$pom/pom.xml" -Dmaven.repo.local="$M2" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$out.tmp" >"$DIST/mvn.log" 2>&1 \
    || { rm -rf "$pom"; tail -30 "$DIST/mvn.log" >&2; fail "mvn dependency:copy-dependencies $* (log $DIST/mvn.log)"; }
  rm -rf "$pom" "$out"; mv "$out.tmp" "$out"; touch "$out/.complete"
  log "$(find "$out" -name '*.jar' | wc -l) jars in $out ($(du -sh "$out" | cut -f1))"
}

install() {
  mkdir -p "$DIST"
  # log4j-slf4j-impl is not a dependency of kafka_2.13: without it SLF4J falls back to NOP and the
  # broker prints nothing, not even the line that says it is ready.
  mvn_copy "$LIB" "org.apache.kafka:kafka_2.13:$V" "org.apache.logging.log4j:log4j-slf4j-impl:$LOG4J_V"
}

install_tools() {
  install
  mvn_copy "$TOOLS_LIB" "org.apache.kafka:kafka-tools:$V" "org.apache.logging.log4j:log4j-slf4j-impl:$LOG4J_V"
}

make_tls() {
  [[ -f $TLS/server.pem && -f $TLS/ca.pem ]] && return 0
  need openssl openssl
  rm -rf "$TLS.tmp"; mkdir -p "$TLS.tmp"
  (
    cd "$TLS.tmp"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 -subj "/CN=airdock test CA" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >san.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.crt -days 3650 -extfile san.ext 2>/dev/null
    # Kafka's PEM keystore wants an unencrypted PKCS#8 key followed by the certificate chain
    openssl pkcs8 -topk8 -nocrypt -in server.key -out server.p8
    cat server.p8 server.crt ca.pem >server.pem
    rm -f ca.key server.key server.csr ca.srl san.ext
  ) || fail "making the test TLS certificates with openssl"
  rm -rf "$TLS"; mv "$TLS.tmp" "$TLS"
}

server_properties() {
  cat <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PLAIN_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT,SASL_PLAINTEXT://127.0.0.1:$SASL_PORT,SASL_SSL://127.0.0.1:$SSL_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PLAIN_PORT,SASL_PLAINTEXT://127.0.0.1:$SASL_PORT,SASL_SSL://127.0.0.1:$SSL_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$SASL_USER="$SASL_PASSWORD";
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$SASL_USER="$SASL_PASSWORD";
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.ssl.keystore.type=PEM
listener.name.sasl_ssl.ssl.keystore.location=$TLS/server.pem
log.dirs=$RUN/logs
num.partitions=1
auto.create.topics.enable=true
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
background.threads=2
num.recovery.threads.per.data.dir=1
log.segment.bytes=67108864
log.retention.check.interval.ms=300000
# Deleted topics' files go 1 s after the delete, not 60 s: benchmarks drop GBs of topics per round and
# the disk filled while the old ones waited.
log.segment.delete.delay.ms=1000
# The log cleaner allocates its dedupe buffer on the heap (128 MB by default): with a 192 MB heap the
# broker died at start (OutOfMemoryError in SkimpyOffsetMap); 8 MB passes everything we do.
log.cleaner.dedupe.buffer.size=8388608
CONF
}

write_config() {
  mkdir -p "$RUN/logs"
  server_properties >"$RUN/server.properties"
  cat >"$RUN/log4j2.properties" <<'CONF'
status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = STDOUT
logger.apache.name = org.apache.kafka
logger.apache.level = WARN
logger.controller.name = org.apache.kafka.controller
logger.controller.level = WARN
logger.state.name = state.change.logger
logger.state.level = WARN
CONF
}

running() { [[ -f $PIDFILE ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

write_env() {
  mkdir -p "$(dirname "$ENV_FILE")"
  cat >"$ENV_FILE.tmp" <<ENV
# written by scripts/setup/kafka.sh (Apache Kafka $V, KRaft)
export AIRDOCK_TEST_KAFKA_BROKER=127.0.0.1:$PLAIN_PORT AIRDOCK_TEST_KAFKA_SASL_BROKER=127.0.0.1:$SASL_PORT AIRDOCK_TEST_KAFKA_SASL_SSL_BROKER=127.0.0.1:$SSL_PORT
export AIRDOCK_TEST_KAFKA_SASL_USER=$SASL_USER AIRDOCK_TEST_KAFKA_SASL_PASSWORD=$SASL_PASSWORD AIRDOCK_TEST_KAFKA_CA=$TLS/ca.pem
export AIRDOCK_TEST_KAFKA_LIB=$LIB AIRDOCK_TEST_KAFKA_VERSION=$V
ENV
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

# What decides whether a running broker is the one we want: version, heap and the whole config.
config_stamp() { { echo "$V $HEAP"; server_properties; } | sha256sum | cut -c1-16; }

start() {
  install
  make_tls
  local stamp; stamp=$(config_stamp)
  if running; then
    if [[ -f $RUN/stamp && $(cat "$RUN/stamp") == "$stamp" ]] && port_open $PLAIN_PORT; then
      log "already running (pid $(cat "$PIDFILE"))"; write_env; return 0
    fi
    log "settings changed: restarting the broker"
    stop
  fi
  local p
  for p in $PLAIN_PORT $CONTROLLER_PORT $SASL_PORT $SSL_PORT; do
    port_open "$p" && fail "port $p is taken by another process (not our broker: no live pid in $PIDFILE)"
  done
  # fresh data on every start: tests must not depend on what an earlier run left behind
  rm -rf "$RUN"; mkdir -p "$RUN"
  write_config
  local cp="$LIB/*"
  local fmt_key; fmt_key=$(echo "$V $SASL_USER $SASL_PASSWORD $CONTROLLER_PORT" | sha256sum | cut -c1-12)
  local tmpl=$DIST/kraft-formatted-$fmt_key
  if [[ -f $tmpl/meta.properties ]]; then
    cp -a "$tmpl/." "$RUN/logs/"   # formatted once per cache: saves the ~2 s StorageTool JVM per start
  else
    # cluster id: 16 random bytes, base64url without padding (what `kafka-storage random-uuid` prints).
    # --cluster-id=ID, not "--cluster-id ID": about one id in 32 starts with '-' and is taken for an option.
    local cid; cid=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
    # SCRAM users live in the cluster metadata: in KRaft they are added when the log dir is formatted.
    java "${JVM_OPTS[@]}" -Xmx128m -Dlog4j2.configurationFile="$RUN/log4j2.properties" -cp "$cp" \
      kafka.tools.StorageTool format --cluster-id="$cid" -c "$RUN/server.properties" \
      --add-scram "SCRAM-SHA-256=[name=$SASL_USER,password=$SASL_PASSWORD]" \
      --add-scram "SCRAM-SHA-512=[name=$SASL_USER,password=$SASL_PASSWORD]" >"$RUN/format.out" 2>&1 \
      || { cat "$RUN/format.out" >&2; fail "formatting the KRaft log dir"; }
    rm -rf "$tmpl.tmp"; cp -a "$RUN/logs" "$tmpl.tmp" && rm -rf "$tmpl" && mv "$tmpl.tmp" "$tmpl"
  fi
  # AppCDS: a class-data archive of the broker's classes cuts ~1 s off later starts. It is written when
  # the JVM that made it exits; -Xshare:auto ignores a stale or missing one.
  local cds=(-XX:ArchiveClassesAtExit="$DIST/broker-$V.jsa")
  [[ -f $DIST/broker-$V.jsa ]] && cds=(-XX:SharedArchiveFile="$DIST/broker-$V.jsa")
  log "starting Kafka $V (log $LOG)"
  # its own session: the CI step's shell ending must not take the broker down
  # shellcheck disable=SC2086
  setsid -f bash -c 'echo $$ > "$0"; exec "$@"' "$PIDFILE" java $HEAP "${JVM_OPTS[@]}" "${cds[@]}" \
    -Dlog4j2.configurationFile="$RUN/log4j2.properties" -cp "$cp" kafka.Kafka "$RUN/server.properties" >"$LOG" 2>&1 </dev/null
  local t0=$SECONDS
  for _ in $(seq 1200); do
    if grep -qs "Kafka Server started" "$LOG" && port_open $PLAIN_PORT; then
      config_stamp >"$RUN/stamp"
      log "ready after $((SECONDS - t0))s (pid $(cat "$PIDFILE"))"; write_env; return 0
    fi
    [[ -f $PIDFILE ]] && ! running && { tail -40 "$LOG" >&2; fail "the broker exited (log $LOG)"; }
    sleep 0.1
  done
  tail -40 "$LOG" >&2; fail "the broker was not ready within 120 s (log $LOG)"
}

stop() {
  if running; then
    local pid; pid=$(cat "$PIDFILE"); kill "$pid"
    # a clean stop takes a few seconds (and writes the CDS archive the first time)
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    log "stopped pid $pid"
  fi
  rm -f "$PIDFILE" "$RUN/stamp"
}

case "${1:-start}" in
  install) install ;;
  install-tools) install_tools ;;
  start) start ;;
  stop) stop ;;
  status) if running; then echo "running pid $(cat "$PIDFILE")"; else echo stopped; exit 1; fi ;;
  *) echo "usage: $0 [start|stop|status|install|install-tools]" >&2; exit 2 ;;
esac
