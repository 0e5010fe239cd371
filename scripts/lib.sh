# Shared shell functions for scripts/start, scripts/stop, scripts/test and scripts/bench.
# Source it; it does nothing by itself.

KEFU_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KEFU_SERVICES="gateway routing store knowledge reporting"

log() { printf '[kefu] %s\n' "$*" >&2; }
die() { printf '[kefu] error: %s\n' "$*" >&2; exit 1; }

# The closing summary's line about agent accounts: the demo agents exist only when the demo data was loaded.
demo_agents_line() {
  if [ "${KEFU_NO_DEMO:-0}" = 1 ]; then
    echo "  agents     none yet (KEFU_NO_DEMO=1): the admin creates them under /admin -> 账号管理"
  else
    echo "  agents     agent1 (客服小王) and agent2 (客服小李) with KEFU_AGENT_PASSWORD from the secrets file"
  fi
}

# Default HTTP port of a service.
service_port() {
  case "$1" in
    gateway) echo "${KEFU_GATEWAY_PORT:-8080}" ;;
    routing) echo "${KEFU_ROUTING_PORT:-8081}" ;;
    store) echo "${KEFU_STORE_PORT:-8082}" ;;
    knowledge) echo "${KEFU_KNOWLEDGE_PORT:-8083}" ;;
    reporting) echo "${KEFU_REPORTING_PORT:-8084}" ;;
  esac
}

# Installs Debian packages for whatever is missing. Extra package names may be passed.
ensure_packages() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  pkg-config --exists hiredis 2>/dev/null || missing+=(libhiredis-dev)
  pkg-config --exists libpq 2>/dev/null || missing+=(libpq-dev)
  command -v pkg-config >/dev/null || missing+=(pkg-config)
  command -v curl >/dev/null || missing+=(curl)
  command -v runuser >/dev/null || missing+=(util-linux)
  command -v python3 >/dev/null || missing+=(python3)
  local extra
  for extra in "$@"; do
    case "$extra" in
      docker-compose) command -v docker-compose >/dev/null || missing+=(docker-compose) ;;
      *) dpkg -s "$extra" >/dev/null 2>&1 || missing+=("$extra") ;;
    esac
  done
  if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}); run as root or install them"
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
  fi
  command -v swift >/dev/null || die "swift is not on PATH (Swift 6.2 or newer is needed)"
}

# What the browser tests need besides ensure_packages: Debian's chromium and chromium-driver, a CJK font
# for readable screenshots, and selenium from PyPI.
ensure_browser_packages() {
  ensure_packages chromium chromium-driver fonts-wqy-zenhei
  python3 -c 'import selenium' 2>/dev/null || pip install -q selenium >/dev/null 2>&1 \
    || pip install -q --break-system-packages selenium >/dev/null || die "cannot install selenium (pip)"
}

# The newest PostgreSQL server bin folder.
pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

# Runs a command as the postgres user when we are root (PostgreSQL refuses to run as root).
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A free TCP port on loopback.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# A random secret of hex characters.
random_secret() {
  od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
}

# A folder for PostgreSQL data that the postgres user can reach: $1 if it can, else one under /var/tmp.
postgres_home() {
  local wanted=$1
  mkdir -p "$wanted"
  if [ "$(id -u)" != 0 ]; then echo "$wanted"; return; fi
  chown postgres:postgres "$wanted"
  if runuser -u postgres -- test -w "$wanted"; then echo "$wanted"; return; fi
  local alt="/var/tmp/kefu-pg-$(echo "$wanted" | md5sum | cut -c1-12)"
  mkdir -p "$alt" && chown postgres:postgres "$alt"
  echo "$alt"
}

# Starts a PostgreSQL cluster in $1 on port $2; initialises it first if needed.
# $3 = "trust" for throwaway test clusters, otherwise scram with the superuser password in $4.
start_postgres() {
  local dir=$1 port=$2 auth=${3:-trust} password=${4:-}
  local bin; bin=$(pg_bin)
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    mkdir -p "$dir/data"
    [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir"
    local pwfile=""
    if [ "$auth" != trust ]; then
      pwfile="$dir/.pw"; printf '%s' "$password" >"$pwfile"; chmod 600 "$pwfile"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$pwfile"
    fi
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host="$( [ "$auth" = trust ] && echo trust || echo scram-sha-256)" \
      ${pwfile:+--pwfile="$pwfile"} $( [ "$auth" = trust ] && echo --no-sync ) >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; die "initdb failed in $dir"; }
    rm -f "$pwfile"
  fi
  local extra=""
  [ "$auth" = trust ] && extra="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  # KEFU_PG_OPTIONS adds server settings (e.g. "-c shared_preload_libraries=pg_stat_statements" for a bench).
  extra="$extra ${KEFU_PG_OPTIONS:-}"
  as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=300 $extra" \
    start >/dev/null || { tail -20 "$dir/postgres.log" >&2; die "PostgreSQL did not start on port $port"; }
}

# Stops the PostgreSQL cluster in $1.
stop_postgres() {
  local dir=$1
  [ -f "$dir/data/postmaster.pid" ] || return 0
  as_postgres "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
}

# Runs SQL as the superuser on the cluster in $1 (socket dir) and port $2.
psql_super() {
  local dir=$1 port=$2; shift 2
  as_postgres psql -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
}

# Starts redis-server with data in $1 on port $2; $3 = "aof" for appendonly everysec; $4 = password.
start_redis() {
  local dir=$1 port=$2 persistence=${3:-none} password=${4:-}
  mkdir -p "$dir"
  local args=(--port "$port" --bind 127.0.0.1 --dir "$dir" --daemonize yes
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save "")
  if [ "$persistence" = aof ]; then
    args+=(--appendonly yes --appendfsync everysec)
  else
    args+=(--appendonly no)
  fi
  [ -n "$password" ] && args+=(--requirepass "$password")
  redis-server "${args[@]}" || die "redis-server did not start on port $port"
  local i
  for i in $(seq 1 100); do
    if REDISCLI_AUTH="$password" redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then return 0; fi
    sleep 0.1
  done
  die "redis-server on port $port does not answer"
}

# Stops the redis-server whose data is in $1.
stop_redis() {
  local dir=$1
  [ -f "$dir/redis.pid" ] || return 0
  local pid; pid=$(cat "$dir/redis.pid")
  kill "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$dir/redis.pid"
}

# Waits until URL $1 answers 200, up to $2 seconds.
wait_http_ok() {
  local url=$1 limit=${2:-60}
  local deadline=$(( $(date +%s) + limit ))
  while true; do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then return 1; fi
    sleep 0.5
  done
}
