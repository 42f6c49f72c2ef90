#!/usr/bin/env bash
# Build the images the tests need, locally (no registry to pull from), idempotently.
#
# Each image carries the label airdock.content-hash = hash of its inputs (build context, build args,
# parent image id). A build is skipped when the existing image already has that label, so a second run
# costs a few `docker image inspect` calls.
#
#   images/build-images.sh                     base images, faker, misbehave
# The native connectors' images are built by `airdock images build` (after `npm run build`).
#
# Needs: a running Docker daemon, root (debootstrap). State (rootfs tarball, build contexts, logs)
# lives under $AIRDOCK_CI_STATE (default /var/lib/airdock-ci).
set -euo pipefail

IMAGES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$IMAGES_DIR/.." && pwd)
# shellcheck disable=SC1091
source "$IMAGES_DIR/versions.env"
: "${AIRDOCK_CI_STATE:=/var/lib/airdock-ci}"
CACHE=$AIRDOCK_CI_STATE/images
LOG=$AIRDOCK_CI_STATE/logs
mkdir -p "$CACHE" "$LOG"
export DOCKER_BUILDKIT=0   # the docker CLI here has no buildx; the legacy builder is the one that works

WHEELS_ONLY=0
while (( $# )); do
  case $1 in
    --wheels-only) WHEELS_ONLY=1 ;;
    *) echo "[images] unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
secs_since() { local d=$(( $(now_ms) - $1 )); printf '%d.%d' $(( d / 1000 )) $(( d % 1000 / 100 )); }
log() { echo "[images] $*"; }

# hash of stdin
h() { sha256sum | cut -c1-32; }
# hash of a directory's files (names + contents), independent of mtimes
dir_hash() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | h; }
image_label() { docker image inspect -f '{{index .Config.Labels "airdock.content-hash"}}' "$1" 2>/dev/null || true; }
image_id() { docker image inspect -f '{{.Id}}' "$1"; }
up_to_date() { [[ $(image_label "$1") == "$2" ]]; }

# docker_build <tag> <hash> <context> [extra docker build args...]
docker_build() {
  local tag=$1 hash=$2 ctx=$3; shift 3
  local t0 name; t0=$(now_ms); name=${tag//[\/:]/_}
  # --network host: RUN steps reach the network whatever the daemon's iptables setting is.
  # --force-rm: a failed RUN step leaves no stopped container behind (the classic builder keeps it).
  if ! docker build -q --force-rm --network host --label "airdock.content-hash=$hash" -t "$tag" "$@" "$ctx" >"$LOG/build-$name.log" 2>&1; then
    cat "$LOG/build-$name.log" >&2
    log "FAILED to build $tag (log: $LOG/build-$name.log)"
    return 1
  fi
  log "built $tag in $(secs_since "$t0")s"
}

# ---------------------------------------------------------------- debian base (debootstrap + import)
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
debian_inputs() {
  # what the rootfs depends on: this recipe, the host CA bundle, the host's apt sources
  { sed -n '/^make_rootfs()/,/^}/p' "${BASH_SOURCE[0]}"; cat "$CA_BUNDLE" /etc/apt/sources.list.d/debian.sources;
    cat /usr/local/share/ca-certificates/*.crt 2>/dev/null || true; } | h
}
make_rootfs() { # make_rootfs <out.tar>
  local out=$1 r; r=$(mktemp -d /tmp/airdock-rootfs.XXXXXX)
  local mirror; mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  debootstrap --variant=minbase bookworm "$r" "$mirror"
  # slim like the official -slim images
  rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/cache/apt/*.bin "$r"/var/lib/apt/lists/* \
         "$r"/usr/share/doc/* "$r"/usr/share/man/* "$r"/usr/share/info/* "$r"/var/log/*.log "$r"/var/log/apt/*
  find "$r/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
    'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
    'path-include /usr/share/locale/locale.alias' >"$r/etc/dpkg/dpkg.cfg.d/docker-slim"
  cat >"$r/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
EOF
  echo 'APT::Install-Recommends "false";' >"$r/etc/apt/apt.conf.d/docker-no-recommends"
  rm -f "$r/etc/apt/sources.list"
  cp /etc/apt/sources.list.d/debian.sources "$r/etc/apt/sources.list.d/debian.sources"   # same mirrors as the host
  # HTTPS egress may go through a TLS-intercepting proxy the host trusts: give images the host bundle
  mkdir -p "$r/etc/ssl/certs" "$r/usr/local/share/ca-certificates"
  cp "$CA_BUNDLE" "$r/etc/ssl/certs/ca-certificates.crt"
  cp /usr/local/share/ca-certificates/*.crt "$r/usr/local/share/ca-certificates/" 2>/dev/null || true
  : >"$r/etc/hostname"; rm -f "$r/etc/resolv.conf"
  tar -C "$r" -cf "$out.tmp" . && mv "$out.tmp" "$out"
  rm -rf "$r"
}
build_debian() {
  local hash tar; hash=$(debian_inputs); tar=$CACHE/debian-bookworm-$hash.tar
  up_to_date "$BASE_DEBIAN_IMAGE" "$hash" && return 0
  if [[ ! -f $tar ]]; then
    local t0; t0=$(now_ms)
    rm -f "$CACHE"/debian-bookworm-*.tar
    make_rootfs "$tar" >"$LOG/debootstrap.log" 2>&1 || { tail -30 "$LOG/debootstrap.log" >&2; log "debootstrap FAILED"; return 1; }
    log "debootstrap in $(secs_since "$t0")s"
  fi
  docker import -c 'CMD ["bash"]' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c "LABEL airdock.content-hash=$hash" "$tar" "$BASE_DEBIAN_IMAGE" >/dev/null
  log "imported $BASE_DEBIAN_IMAGE"
}

# ---------------------------------------------------------------- python base
build_python() {
  local ctx=$CACHE/ctx-python hash
  rm -rf "$ctx"; mkdir -p "$ctx"
  cat >"$ctx/Dockerfile" <<EOF
FROM $BASE_DEBIAN_IMAGE
# Debian's python3 (3.11 in bookworm) and venv; pip/requests trust the host CA bundle copied into the base
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt \\
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 python3-venv >/dev/null \\
 && rm -rf /var/lib/apt/lists/* && python3 --version
CMD ["python3"]
EOF
  hash=$( { image_id "$BASE_DEBIAN_IMAGE"; dir_hash "$ctx"; } | h)
  up_to_date "$BASE_PYTHON_IMAGE" "$hash" || docker_build "$BASE_PYTHON_IMAGE" "$hash" "$ctx"
}

# ---------------------------------------------------------------- node base (host node binary)
build_node() {
  local nodebin npmdir hash ctx=$CACHE/ctx-node
  nodebin=$(readlink -f "$(command -v node)")
  npmdir=$(npm root -g 2>/dev/null)/npm
  # the binary is ~100 MB: hash its version and size instead of its bytes
  hash=$( { image_id "$BASE_DEBIAN_IMAGE"; node -p process.version; stat -c %s "$nodebin"; cat "$npmdir/package.json";
            sed -n '/^build_node()/,/^}/p' "${BASH_SOURCE[0]}"; } | h)
  up_to_date "$BASE_NODE_IMAGE" "$hash" && return 0
  rm -rf "$ctx"; mkdir -p "$ctx"
  cp "$nodebin" "$ctx/node"; cp -a "$npmdir" "$ctx/npm"
  cat >"$ctx/Dockerfile" <<EOF
FROM $BASE_DEBIAN_IMAGE
ENV NODE_VERSION=$(node -p 'process.versions.node') NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \\
 && node --version >/dev/null
CMD ["node"]
EOF
  docker_build "$BASE_NODE_IMAGE" "$hash" "$ctx"
  rm -rf "$ctx"
}

# ---------------------------------------------------------------- the real Airbyte faker (PyPI)
# One download from PyPI into a wheelhouse, shared by the host venv (scripts/ci-setup.sh) and the image.
# Host and image both run Debian bookworm's python3 (3.11), so the same wheels fit both.
FAKER_WHEELS=$AIRDOCK_CI_STATE/wheels/source-faker-$FAKER_VERSION
ensure_faker_wheels() {
  (
    flock 9
    [[ -f $FAKER_WHEELS/.complete ]] && exit 0
    local t0; t0=$(now_ms)
    rm -rf "$FAKER_WHEELS"; mkdir -p "$FAKER_WHEELS"
    [[ -n ${PIP_CERT:-} || ! -f $CA_BUNDLE ]] || export PIP_CERT=$CA_BUNDLE
    /usr/bin/python3 -m pip wheel -q --disable-pip-version-check -w "$FAKER_WHEELS" "airbyte-source-faker==$FAKER_VERSION" \
      >"$LOG/faker-wheels.log" 2>&1 || { tail -30 "$LOG/faker-wheels.log" >&2; log "FAILED: pip wheel airbyte-source-faker==$FAKER_VERSION"; exit 1; }
    touch "$FAKER_WHEELS/.complete"
    log "faker wheels downloaded in $(secs_since "$t0")s"
  ) 9>"$AIRDOCK_CI_STATE/wheels.lock"
}
if (( WHEELS_ONLY )); then ensure_faker_wheels; exit 0; fi

FAKER_IMAGE=$FAKER_IMAGE_REPO:$FAKER_VERSION
build_faker() {
  local ctx=$CACHE/ctx-faker hash
  rm -rf "$ctx"; mkdir -p "$ctx"
  ensure_faker_wheels
  # the wheel names (name-version-tags) identify their content; hashing 70 MB of zips each run is waste
  (cd "$FAKER_WHEELS" && ls *.whl) >"$ctx/wheels.txt"
  cat >"$ctx/main.py" <<'EOF'
# Entry point laid out like Airbyte's python connector images (/airbyte/integration_code/main.py).
import sys

from source_faker.run import run

if __name__ == "__main__":
    sys.exit(run())
EOF
  cat >"$ctx/Dockerfile" <<EOF
FROM $BASE_PYTHON_IMAGE
COPY wheels /tmp/wheels
RUN python3 -m venv /airbyte/venv \\
 && /airbyte/venv/bin/pip install -q --no-cache-dir --no-index --find-links /tmp/wheels airbyte-source-faker==$FAKER_VERSION \\
 && rm -rf /tmp/wheels \\
 && groupadd --gid 1000 airbyte && useradd --uid 1000 --gid airbyte --home-dir /airbyte --no-create-home airbyte
WORKDIR /airbyte/integration_code
COPY main.py /airbyte/integration_code/main.py
RUN /airbyte/venv/bin/python /airbyte/integration_code/main.py spec >/dev/null
ENV PATH=/airbyte/venv/bin:\$PATH AIRBYTE_ENTRYPOINT="/airbyte/venv/bin/python /airbyte/integration_code/main.py"
USER airbyte
ENTRYPOINT ["/airbyte/venv/bin/python", "/airbyte/integration_code/main.py"]
LABEL io.airbyte.name=airbyte/source-faker io.airbyte.version=$FAKER_VERSION
EOF
  hash=$( { image_id "$BASE_PYTHON_IMAGE"; dir_hash "$ctx"; } | h)
  up_to_date "$FAKER_IMAGE" "$hash" && return 0
  cp -al "$FAKER_WHEELS" "$ctx/wheels" 2>/dev/null || cp -a "$FAKER_WHEELS" "$ctx/wheels"
  docker_build "$FAKER_IMAGE" "$hash" "$ctx"
  rm -rf "$ctx/wheels"
}

# ---------------------------------------------------------------- our fault-injection connector
build_misbehave() {
  local ctx=$CACHE/ctx-misbehave hash
  rm -rf "$ctx"; mkdir -p "$ctx"
  # The one fault-injection program: the process-backend tests run this same file.
  cp "$REPO_DIR/test/fixtures/connectors/misbehave.mjs" "$ctx/"
  cat >"$ctx/Dockerfile" <<EOF
FROM $BASE_NODE_IMAGE
COPY misbehave.mjs /airbyte/misbehave.mjs
ENV AIRBYTE_ENTRYPOINT="node /airbyte/misbehave.mjs"
USER node
ENTRYPOINT ["node", "/airbyte/misbehave.mjs"]
EOF
  hash=$( { image_id "$BASE_NODE_IMAGE"; dir_hash "$ctx"; } | h)
  up_to_date "$MISBEHAVE_IMAGE" "$hash" || docker_build "$MISBEHAVE_IMAGE" "$hash" "$ctx"
}

t0=$(now_ms)
ensure_faker_wheels >"$LOG/faker-wheels.out" 2>&1 & wheels_pid=$!
build_debian
build_python & py_pid=$!
build_node
build_misbehave
wait "$py_pid"
wait "$wheels_pid" || { cat "$LOG/faker-wheels.out" >&2; exit 1; }
cat "$LOG/faker-wheels.out"
build_faker
log "images ready in $(secs_since "$t0")s"
