#!/usr/bin/env bash
# Installs the local platform servers into $ROOT/.cache/platform/:
#   kafka/libs/*.jar   Apache Kafka (broker + tools) and runtime deps, from Maven Central
#   bin/ferretdb       FerretDB, built from its Go module
#   bin/mailpit        Mailpit, built from its Go module with its web UI (npm)
#   oidc/node_modules  oidc-provider (the local CSAM stand-in), from npm, pinned by
#                      oidc/package-lock.json (run by oidc/provider.mjs)
# and PostgreSQL (FerretDB's backend) from Debian's package when it is missing, and
# poppler-utils (pdftoppm, for the invoice PDF tests) likewise, and chromium + chromium-driver
# (+ fonts-liberation) for the test that looks at the HTML e-mail in a headless browser,
# axe-core (npm, pinned by axe/package-lock.json) for the portal's accessibility checks,
# and nginx (Debian's binary only) for the gateway.
# Idempotent: every component has a stamp file; a second run is a quick no-op.
# A server whose variable (KAFKA_BOOTSTRAP_SERVERS, MONGODB_URI, SMTP_URL) points to a
# non-local host (CSAM_ISSUER for the OIDC provider) is not installed: the services use the external one (targets.py decides,
# as for servers.py).
# Needs: java >= 17, mvn, go, node >= 20.19 + npm, python3 (for a bit of JSON parsing); apt-get
# (as root, or sudo) when PostgreSQL is missing.
set -euo pipefail
shopt -s inherit_errexit  # failures inside $(…) stop the script too

KAFKA_VERSION=4.1.1            # keep in sync with kafka/pom.xml
FERRETDB_VERSION=v1.24.2
MAILPIT_VERSION=v1.28.0
RECIPE=1                       # bump to force rebuilds when this script's recipe changes

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CACHE="$ROOT/.cache/platform"

log() { printf '[platform] %s\n' "$*"; }
die() { printf '[platform] ERROR: %s\n' "$*" >&2; exit 1; }
trap 'rc=$?; [ $rc -eq 0 ] || printf "[platform] ERROR: install failed (exit %s) at line %s: %s\n" "$rc" "$LINENO" "$BASH_COMMAND" >&2' EXIT

need() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found on PATH ($2)"; }

# stamp_ok NAME KEY ARTIFACT: true when ARTIFACT exists and the stamp holds KEY
stamp_ok() { [ -e "$3" ] && [ -f "$CACHE/stamps/$1" ] && [ "$(cat "$CACHE/stamps/$1")" = "$2" ]; }
stamp_set() { mkdir -p "$CACHE/stamps"; printf '%s' "$2" >"$CACHE/stamps/$1"; }

mkdir -p "$CACHE/bin" "$CACHE/src" "$CACHE/stamps"

# ---------------------------------------------------------------- Go settings
# Everything Go downloads or caches stays under .cache/platform/go.
go_env() {
  export GOPATH="$CACHE/go"
  export GOMODCACHE="$CACHE/go/pkg/mod"
  export GOCACHE="$CACHE/go/cache"
  export GOFLAGS="-mod=mod -buildvcs=false"
  export GOWORK=off
  export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
  export CGO_ENABLED=0
  export GOTELEMETRY=off 2>/dev/null || true
  # Mailpit's checksum-database lookup fails here (404); its own go.sum still pins its deps.
  export GONOSUMDB="github.com/axllent/mailpit${GONOSUMDB:+,$GONOSUMDB}"
}

# go_source NAME MODULE@VERSION -> a writable copy of the module in $CACHE/src/NAME;
# prints the commit it was cut from (or nothing)
go_source() {
  local tmp out dir
  tmp="$(mktemp -d)"
  out="$(cd "$tmp" && go mod download -json "$2")" || { rm -rf "$tmp"; die "go mod download $2 failed"; }
  rm -rf "$tmp"
  dir="$(printf '%s' "$out" | python3 -c 'import json, sys; d = json.load(sys.stdin); sys.exit("go mod download: " + d["Error"]) if d.get("Error") else print(d["Dir"])')"
  rm -rf "$CACHE/src/$1"
  cp -R "$dir" "$CACHE/src/$1"
  chmod -R u+w "$CACHE/src/$1"
  printf '%s' "$out" | python3 -c 'import json, sys; print((json.load(sys.stdin).get("Origin") or {}).get("Hash", ""))'
}

# install_bin NAME STAMP_KEY BUILT_BIN CHECK_ARGS... -> moves BUILT_BIN.tmp in place
# once "BUILT_BIN CHECK_ARGS" runs, then records the stamp
install_bin() {
  local name="$1" key="$2" bin="$3"
  shift 3
  mv "$bin.tmp" "$bin"
  "$bin" "$@" >/dev/null || die "built $name does not run"
  stamp_set "$name" "$key"
  log "$name: installed ${bin#$ROOT/}"
}

# wanted NAME: true when NAME runs locally (its variable does not point elsewhere)
wanted() {
  local rc=0 var
  var="$(python3 "$HERE/targets.py" is-local "$1")" || rc=$?
  case $rc in
    0) return 0 ;;
    1) log "$1: not installed, $var points to an external server"; return 1 ;;
    *) die "targets.py is-local $1 failed (exit $rc)" ;;
  esac
}

# ---------------------------------------------------------------- Debian packages
# apt_install PACKAGE [SUDO...]: Debian's package, waiting for a fresh machine's own apt
# (lock timeout) and retrying twice; the log stays in $CACHE/apt-PACKAGE.log
apt_install() {
  local pkg="$1"
  shift
  log "$pkg: installing Debian's package (apt-get) ..."
  local apt=("$@" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300)
  local try ok="" logfile="$CACHE/apt-$pkg.log"
  for try in 1 2 3; do
    if "${apt[@]}" update >"$logfile" 2>&1 \
      && "${apt[@]}" install -y --no-install-recommends "$pkg" >>"$logfile" 2>&1; then
      ok=1
      break
    fi
    log "$pkg: apt-get failed (attempt $try of 3)"
    sleep $((try * 10))
  done
  [ -n "$ok" ] || { tail -n 40 "$logfile" >&2; die "apt-get install $pkg failed (log: $logfile)"; }
}

# ---------------------------------------------------------------- test tools
# poppler-utils: pdftoppm renders invoice PDFs to PNG so the tests decode their payment QR
# code from the page as a person sees it (issue 18). Not a server: always wanted.
install_poppler() {
  if command -v pdftoppm >/dev/null 2>&1; then
    log "poppler-utils: installed"
    return
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; then
      log "poppler-utils: missing and no root; the invoice PDF tests need it (sudo apt-get install poppler-utils)"
      return
    fi
    sudo=(sudo -n)
  fi
  need apt-get "Debian/Ubuntu package manager, to install poppler-utils"
  apt_install poppler-utils "${sudo[@]}"
  command -v pdftoppm >/dev/null 2>&1 || die "pdftoppm still not found after apt-get install poppler-utils"
  log "poppler-utils: installed"
}

# chromium + chromium-driver (Debian's, never a browser download) and fonts-liberation
# (Arial's metrics): the HTML e-mail is looked at in Mailpit's page in headless chromium
# through Selenium, screenshots in .cache/test-artifacts/ (issue 19 item 5). A test tool.
CHROMIUM_PACKAGES=(chromium chromium-driver fonts-liberation)
install_chromium() {
  local key="${CHROMIUM_PACKAGES[*]}"
  if stamp_ok chromium "$key" /usr/bin/chromedriver && command -v chromium >/dev/null 2>&1; then
    log "chromium: installed"
    return
  fi
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && [ -d /usr/share/fonts/truetype/liberation ]; then
    stamp_set chromium "$key"
    log "chromium: installed"
    return
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; then
      log "chromium: missing and no root; the HTML e-mail browser test needs it (sudo apt-get install ${key})"
      return
    fi
    sudo=(sudo -n)
  fi
  need apt-get "Debian/Ubuntu package manager, to install chromium"
  local pkg
  for pkg in "${CHROMIUM_PACKAGES[@]}"; do apt_install "$pkg" "${sudo[@]}"; done
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] \
    || die "/usr/bin/chromium or /usr/bin/chromedriver still missing after apt-get install ${key}"
  stamp_set chromium "$key"
  log "chromium: installed"
}

# nginx (Debian's package): the gateway at :8080/:8443 (issue 20 item 1, docs/gateway.md).
# Only the binary is used: infra/gateway runs its own master process with its own
# configuration, pid and temporary files under .cache/platform/gateway; Debian's system
# service is never started (policy-rc.d refuses it during the install).
install_nginx() {
  local key="nginx-r$RECIPE"
  if stamp_ok nginx "$key" /usr/sbin/nginx; then
    log "nginx: installed"
    return
  fi
  if [ -x /usr/sbin/nginx ]; then
    stamp_set nginx "$key"
    log "nginx: installed"
    return
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; then
      log "nginx: missing and no root; make run has no gateway without it (sudo apt-get install nginx)"
      return
    fi
    sudo=(sudo -n)
  fi
  need apt-get "Debian/Ubuntu package manager, to install nginx"
  local policy=/usr/sbin/policy-rc.d made_policy=""
  if [ ! -e "$policy" ]; then  # no service start during the install (Docker's convention)
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"
    made_policy=1
  fi
  apt_install nginx "${sudo[@]}"
  [ -z "$made_policy" ] || "${sudo[@]}" rm -f "$policy"
  [ -x /usr/sbin/nginx ] || die "/usr/sbin/nginx still missing after apt-get install nginx"
  stamp_set nginx "$key"
  log "nginx: installed"
}

# ---------------------------------------------------------------- PostgreSQL
pg_installed() {
  local f
  for f in /usr/lib/postgresql/*/bin/postgres; do [ -x "$f" ] && return 0; done
  command -v postgres >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1
}

install_postgres() {
  if pg_installed; then
    log "postgresql: installed"
  else
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
      command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null \
        || die "PostgreSQL is missing; install it (Debian: sudo apt-get install postgresql)"
      sudo=(sudo -n)
    fi
    need apt-get "Debian/Ubuntu package manager, to install PostgreSQL"
    apt_install postgresql "${sudo[@]}"
    pg_installed || die "PostgreSQL still not found after apt-get install postgresql"
    log "postgresql: installed"
  fi
  # as root the cluster runs as the postgres user (PostgreSQL refuses root)
  if [ "$(id -u)" -eq 0 ]; then
    need setpriv "util-linux, to run PostgreSQL as the postgres user"
    id postgres >/dev/null 2>&1 || die "no 'postgres' OS user (Debian's postgresql package creates it)"
  fi
}

# ---------------------------------------------------------------- Kafka
install_kafka() {
  local pom="$HERE/kafka/pom.xml" libs="$CACHE/kafka/libs" key
  key="kafka-$KAFKA_VERSION-r$RECIPE-$(sha256sum "$pom" | cut -c1-16)"
  if stamp_ok kafka "$key" "$libs"; then
    log "kafka $KAFKA_VERSION: up to date"
    return
  fi
  need java "Java 17+ runtime"
  need mvn "Apache Maven"
  local jv
  jv="$(java -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')"
  [ "${jv%%.*}" -ge 17 ] 2>/dev/null || die "Kafka 4.x needs Java 17+, found '$jv'"
  log "kafka $KAFKA_VERSION: fetching jars from Maven Central (mvn) ..."
  rm -rf "$libs.tmp"
  (cd "$HERE/kafka" && mvn -B -q \
      -Dmaven.repo.local="$CACHE/m2" \
      dependency:copy-dependencies \
      -DoutputDirectory="$libs.tmp" -DincludeScope=runtime) \
    || die "mvn dependency:copy-dependencies failed"
  ls "$libs.tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || die "kafka_2.13 jar missing after mvn"
  rm -rf "$libs"
  mv "$libs.tmp" "$libs"
  log "kafka $KAFKA_VERSION: checking the jars load (kafka.tools.StorageTool) ..."
  java -cp "$libs/*" kafka.tools.StorageTool random-uuid >/dev/null \
    || die "kafka.tools.StorageTool does not run from $libs"
  stamp_set kafka "$key"
  log "kafka $KAFKA_VERSION: installed $(ls "$libs" | wc -l) jars in ${libs#$ROOT/}"
}

# ---------------------------------------------------------------- FerretDB
install_ferretdb() {
  local bin="$CACHE/bin/ferretdb" key="ferretdb-$FERRETDB_VERSION-r$RECIPE" commit src="$CACHE/src/ferretdb"
  if stamp_ok ferretdb "$key" "$bin"; then
    log "ferretdb $FERRETDB_VERSION: up to date"
    return
  fi
  need go "Go toolchain"
  go_env
  log "ferretdb $FERRETDB_VERSION: downloading Go module ..."
  commit="$(go_source ferretdb "github.com/FerretDB/FerretDB@$FERRETDB_VERSION")"
  [ -d "$src/cmd/ferretdb" ] || die "unexpected FerretDB module layout in $src"
  # FerretDB panics at start-up without build/version/version.txt (normally made by its Taskfile).
  printf '%s\n' "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  printf '%s\n' "${commit:-unknown}" >"$src/build/version/commit.txt"
  printf '%s\n' "$FERRETDB_VERSION" >"$src/build/version/branch.txt"
  printf '%s\n' "local" >"$src/build/version/package.txt"
  log "ferretdb $FERRETDB_VERSION: go build (slow the first time) ..."
  (cd "$src" && go build -trimpath -ldflags "-s -w" -o "$bin.tmp" ./cmd/ferretdb) \
    || die "go build of FerretDB failed"
  install_bin ferretdb "$key" "$bin" --version
}

# ---------------------------------------------------------------- Mailpit
install_mailpit() {
  local bin="$CACHE/bin/mailpit" key="mailpit-$MAILPIT_VERSION-r$RECIPE" src="$CACHE/src/mailpit" size
  if stamp_ok mailpit "$key" "$bin"; then
    log "mailpit $MAILPIT_VERSION: up to date"
    return
  fi
  need go "Go toolchain"
  need npm "Node.js + npm (to build Mailpit's web UI)"
  go_env
  log "mailpit $MAILPIT_VERSION: downloading Go module ..."
  go_source mailpit "github.com/axllent/mailpit@$MAILPIT_VERSION" >/dev/null
  [ -f "$src/package-lock.json" ] || die "unexpected Mailpit module layout in $src"
  log "mailpit $MAILPIT_VERSION: building web UI (npm ci + npm run build) ..."
  (cd "$src" \
    && npm_config_cache="$CACHE/npm-cache" npm ci --no-audit --no-fund --loglevel=error \
    && npm_config_cache="$CACHE/npm-cache" npm run --silent build) >"$CACHE/src/mailpit-npm.log" 2>&1 \
    || { tail -n 40 "$CACHE/src/mailpit-npm.log" >&2; die "Mailpit web UI build failed (log: $CACHE/src/mailpit-npm.log)"; }
  for f in app.js app.css; do
    size="$(stat -c %s "$src/server/ui/dist/$f" 2>/dev/null || echo 0)"
    [ "$size" -gt 10000 ] || die "Mailpit UI asset server/ui/dist/$f missing or too small ($size bytes)"
  done
  rm -rf "$src/node_modules"   # only needed for the UI build; the assets are embedded in the binary
  log "mailpit $MAILPIT_VERSION: go build (slow the first time) ..."
  (cd "$src" && go build -trimpath \
      -ldflags "-s -w -X github.com/axllent/mailpit/config.Version=$MAILPIT_VERSION" -o "$bin.tmp" .) \
    || die "go build of Mailpit failed"
  install_bin mailpit "$key" "$bin" version --no-release-check
}

# ---------------------------------------------------------------- OIDC provider (CSAM)
install_oidc() {
  local dir="$CACHE/oidc" key
  key="oidc-$(sha256sum "$HERE/oidc/package-lock.json" | cut -c1-16)-r$RECIPE"
  if stamp_ok oidc "$key" "$dir/node_modules/oidc-provider/package.json"; then
    log "oidc-provider: up to date"
    return
  fi
  need node "Node.js >= 20.19"
  need npm "npm, to install oidc-provider"
  log "oidc-provider: npm ci (pinned by infra/local/oidc/package-lock.json) ..."
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$HERE/oidc/package.json" "$HERE/oidc/package-lock.json" "$dir/"
  (cd "$dir" && npm_config_cache="$CACHE/npm-cache" npm_config_update_notifier=false \
      npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error) >"$CACHE/oidc-npm.log" 2>&1 \
    || { tail -n 40 "$CACHE/oidc-npm.log" >&2; die "npm ci of oidc-provider failed (log: $CACHE/oidc-npm.log)"; }
  (cd "$dir" && node --input-type=module -e "await import('oidc-provider')") \
    || die "oidc-provider does not load with $(node --version)"
  stamp_set oidc "$key"
  log "oidc-provider $(node -p "require('$dir/node_modules/oidc-provider/package.json').version"): installed ${dir#$ROOT/}"
}

# ---------------------------------------------------------------- axe-core (test tool)
# axe-core from npm, pinned by infra/local/axe/package-lock.json: the portal's browser
# tests (testkit/browser.py) inject its axe.min.js into each page (issue 20 item 3).
# Not a server: always wanted.
install_axe() {
  local dir="$CACHE/axe" key
  key="axe-$(sha256sum "$HERE/axe/package-lock.json" | cut -c1-16)-r$RECIPE"
  if stamp_ok axe "$key" "$dir/node_modules/axe-core/axe.min.js"; then
    log "axe-core: installed"
    return
  fi
  if ! command -v npm >/dev/null 2>&1; then
    log "axe-core: npm missing; the portal's browser tests need it (install Node.js + npm)"
    return
  fi
  log "axe-core: npm ci (pinned by infra/local/axe/package-lock.json) ..."
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$HERE/axe/package.json" "$HERE/axe/package-lock.json" "$dir/"
  (cd "$dir" && npm_config_cache="$CACHE/npm-cache" npm_config_update_notifier=false \
      npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error) >"$CACHE/axe-npm.log" 2>&1 \
    || { tail -n 40 "$CACHE/axe-npm.log" >&2; die "npm ci of axe-core failed (log: $CACHE/axe-npm.log)"; }
  [ -s "$dir/node_modules/axe-core/axe.min.js" ] || die "axe-core installed without axe.min.js"
  stamp_set axe "$key"
  # The same line as the other test tools (poppler-utils, chromium): "installed" ends it,
  # so tests-e2e/test_local_platform.py tells tools from servers.
  log "axe-core $(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' "$dir/node_modules/axe-core/package.json") in ${dir#$ROOT/}: installed"
}

start=$SECONDS
if wanted kafka; then install_kafka; fi
if wanted postgres; then install_postgres; fi
if wanted ferretdb; then install_ferretdb; fi
if wanted mailpit; then install_mailpit; fi
if wanted oidc; then install_oidc; fi
install_poppler
install_chromium
install_axe
install_nginx
log "done in ${CACHE#$ROOT/} ($((SECONDS - start))s)"
