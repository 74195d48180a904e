# Shared by scripts/browser-test and scripts/screenshots (sourced, from the repository root):
# the browser and npm packages, the tyndau binary, a demo server on a free port.
#
#   tb_prerequisites   chromium from Debian's packages if missing; npm ci in tests/browser
#   tb_build           cargo build -p tyndau (debug; CARGO_TARGET_DIR respected)
#   tb_start_server    serve --demo on 127.0.0.1:<free port> with a fresh data directory;
#                      exports BASE_URL once GET /health answers "ok"; stopped on exit
#
# With BASE_URL already set, tb_build and tb_start_server do nothing; with TB_NO_BUILD=1,
# tb_build uses the binary already in the target directory.

TB_ROOT="$(pwd)"
TB_DIR="$TB_ROOT/tests/browser"
TB_SERVER_PID=""
TB_DATA_DIR=""

tb_log() { printf '\n== %s\n' "$*" >&2; }

tb_prerequisites() {
  if [ ! -x /usr/bin/chromium ]; then
    tb_log "installing chromium from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  if [ ! -f "$TB_DIR/node_modules/.package-lock.json" ] \
    || ! cmp -s "$TB_DIR/package-lock.json" "$TB_DIR/node_modules/.tb-lock"; then
    tb_log "npm ci (tests/browser)"
    (cd "$TB_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    cp "$TB_DIR/package-lock.json" "$TB_DIR/node_modules/.tb-lock"
  fi
}

tb_build() {
  [ -n "${BASE_URL:-}" ] && return 0
  if [ -n "${TB_NO_BUILD:-}" ]; then
    tb_log "TB_NO_BUILD set: using the binary already built"
  else
    tb_log "cargo build -p tyndau"
    cargo build -p tyndau
  fi
  local target="${CARGO_TARGET_DIR:-target}"
  case "$target" in /*) ;; *) target="$TB_ROOT/$target" ;; esac
  TB_BIN="$target/debug/tyndau"
  [ -x "$TB_BIN" ] || { echo "no binary at $TB_BIN" >&2; return 1; }
}

tb_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

tb_stop_server() {
  if [ -n "$TB_SERVER_PID" ] && kill -0 "$TB_SERVER_PID" 2>/dev/null; then
    kill -INT "$TB_SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$TB_SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$TB_SERVER_PID" 2>/dev/null || true
    wait "$TB_SERVER_PID" 2>/dev/null || true
  fi
  TB_SERVER_PID=""
  if [ -n "$TB_DATA_DIR" ] && [ -d "$TB_DATA_DIR" ]; then
    mkdir -p "$TB_DIR/artifacts"
    cp "$TB_DATA_DIR/server.log" "$TB_DIR/artifacts/server.log" 2>/dev/null || true
    rm -rf "$TB_DATA_DIR"
  fi
  TB_DATA_DIR=""
}

tb_start_server() {
  if [ -n "${BASE_URL:-}" ]; then
    tb_log "using the server at $BASE_URL"
    export BASE_URL
    return 0
  fi
  TB_DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/tyndau-browser.XXXXXX")"
  local port
  port="$(tb_free_port)"
  local url="http://127.0.0.1:$port"
  tb_log "starting $TB_BIN serve --demo on $url (data in $TB_DATA_DIR)"
  trap tb_stop_server EXIT
  trap 'tb_stop_server; exit 130' INT TERM
  # A SQLite database in the fresh data directory, whatever the caller's environment says.
  env -u TYNDAU_DATABASE_URL -u TYNDAU_CONFIG -u TYNDAU_BIND -u TYNDAU_DATA_DIR \
    "$TB_BIN" serve --demo --bind "127.0.0.1:$port" --data-dir "$TB_DATA_DIR" \
    >"$TB_DATA_DIR/server.log" 2>&1 &
  TB_SERVER_PID=$!
  local deadline=$((SECONDS + ${TB_START_TIMEOUT:-120}))
  until [ "$(curl -fsS --max-time 2 "$url/health" 2>/dev/null)" = "ok" ]; do
    if ! kill -0 "$TB_SERVER_PID" 2>/dev/null; then
      echo "the server exited before answering /health; its log:" >&2
      tail -n 40 "$TB_DATA_DIR/server.log" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "the server did not answer /health within ${TB_START_TIMEOUT:-120}s; its log:" >&2
      tail -n 40 "$TB_DATA_DIR/server.log" >&2
      return 1
    fi
    sleep 0.3
  done
  export BASE_URL="$url"
  tb_log "server ready at $BASE_URL"
}
