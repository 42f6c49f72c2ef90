#!/usr/bin/env bash
# The single-node Kubernetes cluster the Kubernetes-backend tests use, built from the Go module proxy
# (no container registry is reachable): etcd, kube-apiserver and kubelet compiled from k8s.io/kubernetes,
# a second instance of Debian's containerd with its CRI plugin on (Docker's own containerd is left
# alone), runc, a pause image made from a 10-line static C program, hostNetwork pods. Loopback only:
#   127.0.0.1:16443 kube-apiserver   127.0.0.1:12379-12381 etcd   127.0.0.1:10250/10248 kubelet
# Usage: scripts/setup/kubernetes.sh [start|stop|status|build|load IMAGE...]   (default: start)
#   build   compile the binaries once per version into the cache (cold: 4-7 min on 2 idle cores)
#   start   build if needed, start the cluster unless it already answers, load the test images
#   load    copy images from the Docker engine into the cluster's containerd (docker save | ctr import)
# Idempotent: `start` returns in about a second when the cluster already runs, and loads an image only
# when its Docker image id changed. Failures stop with a "[setup-kubernetes] FAILED" line.
#
# Gotchas (each one measured; the fix is next to the code below): the root of this kind of VM lacks
# CAP_SYS_RESOURCE (restrict_oom_score_adj); cgroup v1 hosts (failCgroupV1: false, cgroupfs driver);
# --node-ip can't be loopback (node named "localhost", apiserver reaches it by Hostname); the kubelet's
# KUBE-FIREWALL iptables rules (makeIPTablesUtilChains: false); the 31 k8s.io staging modules must be
# pinned by hand (kubernetes' go.mod replaces them with ./staging paths).
#
# Cache: $AIRDOCK_CI_STATE/kubernetes-dist (binaries per version, Go module source, PKI).
# Runtime: $AIRDOCK_CI_STATE/kubernetes (etcd data wiped on each start; containerd's image store kept).
# Settings (KUBECONFIG and the test namespace) go to $AIRDOCK_CI_STATE/services.d/kubernetes.env.
# Env: AIRDOCK_CI_STATE (/var/lib/airdock-ci), K8S_VERSION (v1.35.4; etcd and the go line follow its go.mod).
# Needs: root, go >= 1.25, gcc, openssl, curl, Debian's containerd and runc, a Docker engine.
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${AIRDOCK_CI_STATE:=/var/lib/airdock-ci}"
STATE=$AIRDOCK_CI_STATE
K8S_VERSION=${K8S_VERSION:-v1.35.4}
STAGING_VERSION=v0.${K8S_VERSION#v1.}   # the k8s.io/* staging modules, e.g. v0.35.4
DIST=$STATE/kubernetes-dist
BIN=$DIST/bin-$K8S_VERSION
PKI=$DIST/pki
D=$STATE/kubernetes
RUN=$D/run
LOG=$D/log
CTRD_SOCK=$RUN/containerd.sock
KUBECONFIG_FILE=$D/kubeconfig
ENV_FILE=$STATE/services.d/kubernetes.env
NODE=localhost
APISERVER_PORT=16443 ETCD_PORT=12379 ETCD_PEER_PORT=12380 ETCD_METRICS_PORT=12381 KUBELET_PORT=10250 KUBELET_HEALTHZ_PORT=10248
TEST_NAMESPACE=airdock-test
PAUSE_IMAGE=docker.io/airdock-k8s/pause:1
NICE="nice -n 19"

log() { echo "[setup-kubernetes $(date +%T)] $*" >&2; }
fail() { echo "[setup-kubernetes] FAILED: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null || fail "$1 is missing ($2)"; }

# ---------------------------------------------------------------- build (cached per version)
build() {
  local stamp=$BIN/.built
  [[ -f $stamp ]] && return 0
  need go "install Go >= 1.25 (the Go module proxy serves k8s.io/kubernetes)"; need gcc "apt-get install gcc"
  mkdir -p "$DIST"
  # one build at a time (a background build started early, then `start` waiting for it); fd 8 is
  # closed again before any daemon starts, or the daemons would hold the lock forever
  exec 8>"$DIST/build.lock"; flock 8
  if [[ -f $stamp ]]; then exec 8>&-; return 0; fi
  local src=$DIST/src-$K8S_VERSION t0=$SECONDS
  rm -rf "$BIN.tmp"; mkdir -p "$src" "$BIN.tmp"
  (
    cd "$src"
    go mod download -json "k8s.io/kubernetes@$K8S_VERSION" >/dev/null
    kmod=$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$K8S_VERSION.mod
    # the same go/godebug lines and exactly the etcd kubernetes pins, so no dependency moves (a bare
    # `go get` of etcd took a newer one and upgraded grpc, otel and x/sys)
    gover=$(awk '$1 == "go" {print $2}' "$kmod")
    etcd=$(awk '$1 == "go.etcd.io/etcd/server/v3" {print $2}' "$kmod")
    # our own module requiring k8s.io/kubernetes: its go.mod replaces the staging modules with
    # ./staging/... paths, which a dependency's replaces can't do, so each is pinned to v0.X.Y here
    {
      echo "module airdockk8s"; echo; echo "go $gover"; echo; grep '^godebug' "$kmod" || true; echo
      echo "require k8s.io/kubernetes $K8S_VERSION"; echo; echo "replace ("
      grep -oE '^\s*k8s.io/[a-z0-9-]+ => ./staging' "$kmod" | awk -v s="$STAGING_VERSION" '{print "\t"$1" => "$1" "s}'
      echo ")"
    } >go.mod
    rm -f go.sum
    $NICE go get "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION" "k8s.io/kubernetes/cmd/kubelet@$K8S_VERSION" \
      "go.etcd.io/etcd/server/v3@$etcd" 2>&1 | grep -v '^go: \(downloading\|upgraded\|added\|finding\)' || true
    go mod edit -go="$gover"   # go get may raise it
    minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
    # without these the binaries report v0.0.0 and the kubelet/apiserver version skew check complains
    ldf="-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1"
    ldf+=" -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
    ldf+=" -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION"
    CGO_ENABLED=0 $NICE go build -trimpath -ldflags "$ldf" -o "$BIN.tmp/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubelet go.etcd.io/etcd/server/v3
    mv "$BIN.tmp/server" "$BIN.tmp/etcd"   # go names etcd's main package "server"
    # the sandbox ("infra") container: reaps children, exits on SIGTERM, like upstream's pause.c
    cat >pause.c <<'EOF'
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
static void sigdown(int s) { (void)s; _exit(0); }
static void sigreap(int s) { (void)s; while (waitpid(-1, 0, WNOHANG) > 0) {} }
int main(void) {
  struct sigaction a = {0}, r = {0};
  a.sa_handler = sigdown; sigaction(SIGINT, &a, 0); sigaction(SIGTERM, &a, 0);
  r.sa_handler = sigreap; r.sa_flags = SA_NOCLDSTOP; sigaction(SIGCHLD, &r, 0);
  for (;;) pause();
}
EOF
    $NICE gcc -Os -static -o "$BIN.tmp/pause" pause.c && strip "$BIN.tmp/pause"
  ) >"$DIST/build-$K8S_VERSION.log" 2>&1 || { tail -30 "$DIST/build-$K8S_VERSION.log" >&2; fail "building Kubernetes $K8S_VERSION (log $DIST/build-$K8S_VERSION.log)"; }
  rm -rf "$BIN"; mv "$BIN.tmp" "$BIN"; touch "$stamp"
  exec 8>&-
  log "built Kubernetes $K8S_VERSION in $((SECONDS - t0))s into $BIN"
}

# ---------------------------------------------------------------- PKI and kubeconfig (made once)
pki() {
  [[ -f $PKI/admin.token ]] && return 0
  need openssl "apt-get install openssl"
  rm -rf "$PKI.tmp"; mkdir -p "$PKI.tmp"
  (
    cd "$PKI.tmp"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj /CN=airdock-k8s-ca
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj /CN=kube-apiserver
    printf 'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\n' >san.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 3650 -extfile san.ext
    openssl genrsa -out sa.key 2048; openssl rsa -in sa.key -pubout -out sa.pub
    head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >admin.token
    # token,user,uid,"groups": the kubelet uses the same admin identity (no Node authorizer or bootstrap)
    echo "$(cat admin.token),admin,admin,\"system:masters\"" >tokens.csv
  ) >/dev/null 2>&1 || fail "making the cluster's certificates with openssl"
  rm -rf "$PKI"; mv "$PKI.tmp" "$PKI"
}

write_kubeconfig() {
  cat >"$KUBECONFIG_FILE" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: airdock-ci
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $(base64 -w0 <"$PKI/ca.crt")
users:
- name: admin
  user:
    token: $(cat "$PKI/admin.token")
contexts:
- name: airdock-ci
  context: {cluster: airdock-ci, user: admin, namespace: $TEST_NAMESPACE}
current-context: airdock-ci
EOF
}

write_env() {
  mkdir -p "$(dirname "$ENV_FILE")"
  cat >"$ENV_FILE.tmp" <<EOF
# written by scripts/setup/kubernetes.sh (Kubernetes $K8S_VERSION, one node, loopback)
export AIRDOCK_TEST_KUBECONFIG=$KUBECONFIG_FILE AIRDOCK_TEST_K8S_NAMESPACE=$TEST_NAMESPACE AIRDOCK_TEST_K8S_NODE=$NODE
EOF
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

# ---------------------------------------------------------------- daemons
api() { curl -sf --max-time 5 --cacert "$PKI/ca.crt" -H "Authorization: Bearer $(cat "$PKI/admin.token")" "https://127.0.0.1:$APISERVER_PORT$1" "${@:2}"; }
ctrd() { ctr --address "$CTRD_SOCK" -n k8s.io "$@"; }
alive() { [[ -f $RUN/$1.pid ]] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
running() {
  alive etcd && alive containerd && alive kube-apiserver && alive kubelet \
    && api /readyz >/dev/null && api "/api/v1/nodes/$NODE" >/dev/null
}

daemon() { # daemon <name> <command...>: own session (the CI step's shell ending must not stop it), nice'd
  local name=$1; shift
  setsid -f bash -c 'echo $$ > "$0"; exec "$@"' "$RUN/$name.pid" $NICE "$@" >"$LOG/$name.log" 2>&1 </dev/null
  for _ in $(seq 50); do [[ -s $RUN/$name.pid ]] && return 0; sleep 0.02; done
}

wait_for() { # wait_for <name> <seconds> <command...>
  local name=$1 t=$2 i; shift 2
  for ((i = 0; i < t * 5; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    alive "$name" || { tail -30 "$LOG/$name.log" >&2; fail "$name exited (log $LOG/$name.log)"; }
    sleep 0.2
  done
  tail -30 "$LOG/$name.log" >&2; fail "$name not ready after ${t}s (log $LOG/$name.log)"
}

load_pause() {
  ctrd images ls -q | grep -qx "$PAUSE_IMAGE" && return 0
  local r; r=$(mktemp -d); cp "$BIN/pause" "$r/pause"
  tar -C "$r" -c . | docker import -c 'ENTRYPOINT ["/pause"]' - "${PAUSE_IMAGE#docker.io/}" >/dev/null
  docker save "${PAUSE_IMAGE#docker.io/}" | ctrd images import - >/dev/null
  rm -rf "$r"
}

up() {
  local t0=$SECONDS p
  need containerd "apt-get install containerd"; need runc "apt-get install runc"; need curl "apt-get install curl"
  docker info >/dev/null 2>&1 || fail "the Docker engine does not answer (images are loaded from it): run scripts/ci-setup.sh"
  for p in $APISERVER_PORT $ETCD_PORT $ETCD_PEER_PORT $ETCD_METRICS_PORT $KUBELET_PORT $KUBELET_HEALTHZ_PORT; do
    port_open "$p" && fail "port $p is taken by another process (not our cluster: no live pid in $RUN)"
  done
  rm -rf "$D/etcd" "$D/cni"   # a fresh cluster each start; containerd's image store is kept as a cache
  mkdir -p "$RUN" "$LOG" "$D/etcd" "$D/containerd" "$D/kubelet" "$D/pod-logs" "$D/cni"
  write_kubeconfig
  # 1. etcd (fsync off: the data is throw-away)
  daemon etcd "$BIN/etcd" --name default --data-dir "$D/etcd" --unsafe-no-fsync \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "default=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls "http://127.0.0.1:$ETCD_METRICS_PORT"
  # 2. containerd: our own instance (Docker's has the CRI plugin off)
  cat >"$D/containerd.toml" <<EOF
version = 2
root = "$D/containerd"
state = "$RUN/containerd"
[grpc]
  address = "$CTRD_SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  stream_server_address = "127.0.0.1"
  # without CAP_SYS_RESOURCE a negative oom_score_adj (sandboxes get -998) makes runc fail with
  # "can't get final child's PID from pipe: EOF": clamp it to containerd's own score instead
  restrict_oom_score_adj = true
  # pod netns mounts under the state dir, so stop() can unmount leftovers
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$D/cni"
EOF
  daemon containerd containerd --config "$D/containerd.toml"
  wait_for containerd 30 ctr --address "$CTRD_SOCK" version
  load_pause
  # 3. kube-apiserver (no controller-manager: ServiceAccount admission off, pods name their node)
  daemon kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$APISERVER_PORT" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" --client-ca-file "$PKI/ca.crt" \
    --token-auth-file "$PKI/tokens.csv" --authorization-mode RBAC \
    --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$PKI/sa.pub" \
    --service-account-signing-key-file "$PKI/sa.key" --service-cluster-ip-range 10.96.0.0/16 \
    --disable-admission-plugins ServiceAccount --allow-privileged \
    --kubelet-preferred-address-types Hostname --endpoint-reconciler-type none
  wait_for etcd 60 curl -sf "http://127.0.0.1:$ETCD_PORT/health"
  wait_for kube-apiserver 120 api /readyz
  # 4. kubelet. cgroup v1 hosts need failCgroupV1: false from 1.35 on; containerd 1.6 lacks the CRI
  # RuntimeConfig RPC, so the driver is set (cgroupfs); makeIPTablesUtilChains: false, else it adds
  # KUBE-FIREWALL rules (dropping non-loopback-sourced packets to 127/8) to the host's INPUT/OUTPUT.
  cat >"$D/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
failSwapOn: false
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$CTRD_SOCK
address: 127.0.0.1
port: $KUBELET_PORT
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
readOnlyPort: 0
authentication: {anonymous: {enabled: true}, webhook: {enabled: false}}
authorization: {mode: AlwaysAllow}
podLogsDir: $D/pod-logs
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
# A disk that was nearly full for a moment (a benchmark) would otherwise keep refusing pods for 5 minutes.
evictionPressureTransitionPeriod: 30s
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
resolvConf: /etc/resolv.conf
makeIPTablesUtilChains: false
EOF
  daemon kubelet "$BIN/kubelet" --config "$D/kubelet.yaml" --kubeconfig "$KUBECONFIG_FILE" \
    --root-dir "$D/kubelet" --cert-dir "$D/kubelet/pki" --hostname-override "$NODE" -v 1
  wait_for kubelet 120 api "/api/v1/nodes/$NODE"
  # the tests' namespace (no controller-manager: nothing would delete a namespace's pods, so keep one)
  api /api/v1/namespaces -X POST -H 'Content-Type: application/json' \
    -d "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"$TEST_NAMESPACE\"}}" >/dev/null \
    || fail "creating namespace $TEST_NAMESPACE"
  log "cluster up in $((SECONDS - t0))s (kubelet log $LOG/kubelet.log)"
}

# load IMAGE...: Docker engine -> the cluster's containerd, skipped when the Docker image id is unchanged
load() {
  local img id mark
  mkdir -p "$D/loaded"
  for img in "$@"; do
    id=$(docker image inspect -f '{{.Id}}' "$img" 2>/dev/null) || fail "image $img is not in the Docker engine (build it: images/build-images.sh)"
    mark=$D/loaded/$(echo "$img" | tr '/:' '__')
    if [[ -f $mark && $(cat "$mark") == "$id" ]] && ctrd images ls -q | grep -q "$img\$"; then continue; fi
    local t=$SECONDS
    docker save "$img" | ctrd images import - >/dev/null || fail "importing $img into the cluster's containerd"
    echo "$id" >"$mark"
    log "loaded $img in $((SECONDS - t))s"
  done
}

start() {
  build
  pki
  if running; then log "already running (kubeconfig $KUBECONFIG_FILE)"
  else
    alive etcd || alive containerd || alive kube-apiserver || alive kubelet && { log "a part of the cluster is down: restarting it"; stop; }
    up
  fi
  write_env
  # checked on every start: the kubelet's image GC removes images from the node (even the pause
  # image) when the disk fills up, and the cluster keeps running without them
  load_pause
  # the images the Kubernetes tests run as pods
  # shellcheck disable=SC1091
  source "$REPO_DIR/images/versions.env"
  load "$FAKER_IMAGE_REPO:$FAKER_VERSION" "$MISBEHAVE_IMAGE"
}

stop() {
  # pods first (so containerd tears down their shims), then the daemons, newest first
  if [[ -S $CTRD_SOCK ]] && alive containerd; then
    local c
    for c in $(ctrd tasks ls -q 2>/dev/null); do ctrd tasks kill -s KILL "$c" >/dev/null 2>&1 || true; done
    sleep 1
    for c in $(ctrd containers ls -q 2>/dev/null); do ctrd tasks delete "$c" >/dev/null 2>&1 || true; ctrd containers delete "$c" >/dev/null 2>&1 || true; done
  fi
  local n p
  for n in kubelet kube-apiserver containerd etcd; do
    [[ -f $RUN/$n.pid ]] || continue
    p=$(cat "$RUN/$n.pid")
    kill "$p" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
    rm -f "$RUN/$n.pid"
  done
  # the kubelet leaves pod volume mounts (tmpfs, projected) under its root dir; containerd shm/rootfs mounts
  grep -oE " $D/[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -f "$ENV_FILE"
  log "stopped"
}

case "${1:-start}" in
  build) build ;;
  start) start ;;
  stop) stop ;;
  status) if running; then echo "running (KUBECONFIG=$KUBECONFIG_FILE)"; else echo stopped; exit 1; fi ;;
  load) shift; pki; running || fail "the cluster is not running: scripts/setup/kubernetes.sh start"; load "$@" ;;
  *) echo "usage: $0 [start|stop|status|build|load IMAGE...]" >&2; exit 2 ;;
esac
