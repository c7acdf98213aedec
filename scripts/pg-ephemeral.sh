#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: fresh initdb, 127.0.0.1 only, a free
# port, fsync off, trust auth. Used by .ci/run and by developers:
#
#   export OQU_PG_DIR=$(mktemp -d)            # optional; start makes one if unset
#   export TEST_DATABASE_URL=$(scripts/pg-ephemeral.sh start)
#   npm test
#   scripts/pg-ephemeral.sh stop              # stops the server, deletes OQU_PG_DIR
#
# Commands: start | stop | url | status. The state directory comes from
# $OQU_PG_DIR (or the second argument). start prints only the URL on stdout;
# everything else goes to stderr. PostgreSQL refuses to run as root, so when
# run as root the cluster belongs to (and runs as) the `postgres` user.
# Binaries: $OQU_PG_BINDIR, else /usr/lib/postgresql/15/bin, else the highest
# /usr/lib/postgresql/*/bin, else `pg_config --bindir`.
set -euo pipefail

MARKER=.oqu-pg-ephemeral
cmd=${1:-}
dir=${2:-${OQU_PG_DIR:-}}

log() { printf 'pg-ephemeral: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

usage() {
  cat >&2 <<'EOF'
usage: scripts/pg-ephemeral.sh start|stop|url|status [DIR]
  DIR defaults to $OQU_PG_DIR; `start` creates a temporary directory when neither is set
  (and tells you the OQU_PG_DIR to use for `stop`).
EOF
  exit 2
}

find_bindir() {
  local d
  for d in "${OQU_PG_BINDIR:-}" /usr/lib/postgresql/15/bin; do
    if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
      echo "$d"
      return
    fi
  done
  d=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then
    echo "$d"
    return
  fi
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir)
    if [ -x "$d/initdb" ]; then
      echo "$d"
      return
    fi
  fi
  die "PostgreSQL server binaries (initdb, pg_ctl) not found. Install them: apt-get install postgresql-15 (or set OQU_PG_BINDIR)"
}

# Run a command as the cluster owner: postgres when we are root, else ourselves.
# Runs from the state directory so the owner never needs access to our cwd.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null 2>&1; then
      (cd "$dir" && runuser -u postgres -- "$@")
    else
      local q
      printf -v q '%q ' "$@"
      (cd "$dir" && su -s /bin/sh postgres -c "$q")
    fi
  else
    (cd "$dir" && "$@")
  fi
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"
}

is_running() {
  [ -f "$dir/data/postmaster.pid" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

url() { echo "postgres://postgres@127.0.0.1:$(cat "$dir/port")/postgres"; }

start() {
  if [ -z "$dir" ]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/oqu-pg.XXXXXX")
    log "state directory $dir  (stop with: OQU_PG_DIR=$dir scripts/pg-ephemeral.sh stop)"
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ -n "$(ls -A "$dir")" ] && [ ! -f "$dir/$MARKER" ]; then
    die "$dir is not empty and was not made by this script; refusing to use it"
  fi
  touch "$dir/$MARKER"
  bindir=$(find_bindir)

  if [ -f "$dir/port" ] && is_running; then
    log "already running in $dir"
    url
    return
  fi
  rm -rf "$dir/data" "$dir/port" "$dir/postgres.log"

  if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      log "creating system user postgres"
      useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/sh postgres
    fi
    chown postgres: "$dir"
    chmod 700 "$dir"
    as_owner test -w "$dir" || die "user postgres cannot write to $dir (is a parent directory closed to it?); set OQU_PG_DIR to a directory under /tmp"
  fi

  local locale=C
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then locale=C.UTF-8; fi
  log "initdb ($("$bindir/postgres" --version)) in $dir/data"
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale="$locale" --no-sync >"$dir/initdb.log" 2>&1 ||
    {
      cat "$dir/initdb.log" >&2
      die "initdb failed"
    }

  local port attempt
  for attempt in 1 2 3; do
    port=${OQU_PG_PORT:-$(free_port)}
    cat >"$dir/data/postgresql.auto.conf" <<EOF
# written by scripts/pg-ephemeral.sh: a disposable test cluster, speed over durability
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
log_min_messages = warning
EOF
    if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null; then
      echo "$port" >"$dir/port"
      break
    fi
    log "start on port $port failed (attempt $attempt):"
    tail -n 20 "$dir/postgres.log" >&2 || true
    [ "$attempt" -lt 3 ] && [ -z "${OQU_PG_PORT:-}" ] || die "could not start PostgreSQL"
  done

  local i
  for i in $(seq 1 60); do
    if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; then
      log "ready: $(url)"
      url
      return
    fi
    sleep 0.5
  done
  tail -n 20 "$dir/postgres.log" >&2 || true
  die "PostgreSQL did not become ready on port $port"
}

stop() {
  [ -n "$dir" ] || die "which cluster? set OQU_PG_DIR (or pass the directory)"
  [ -d "$dir" ] || {
    log "$dir does not exist; nothing to stop"
    return
  }
  [ -f "$dir/$MARKER" ] || die "$dir was not made by this script; refusing to touch it"
  if [ -f "$dir/data/postmaster.pid" ]; then
    bindir=$(find_bindir)
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
      local pid
      pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
      if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        log "fast stop failed; sending SIGQUIT to postmaster $pid"
        kill -QUIT "$pid" 2>/dev/null || true
        sleep 1
      fi
    fi
    log "stopped"
  fi
  if [ "${OQU_PG_KEEP:-}" = 1 ]; then
    log "kept $dir (OQU_PG_KEEP=1)"
  else
    rm -rf "$dir"
    log "removed $dir"
  fi
}

case "$cmd" in
start) start ;;
stop) stop ;;
url)
  [ -n "$dir" ] && [ -f "$dir/port" ] || die "no cluster state in '${dir}'"
  url
  ;;
status)
  [ -n "$dir" ] || die "set OQU_PG_DIR (or pass the directory)"
  bindir=$(find_bindir)
  if [ -f "$dir/port" ] && is_running; then
    echo "running: $(url)"
  else
    echo "not running"
    exit 3
  fi
  ;;
*) usage ;;
esac
