#!/usr/bin/env bash
# Idempotently installs and starts the servers the integration tests need:
# InfluxDB 1.x (127.0.0.1:8086), PostgreSQL (127.0.0.1:5432), MariaDB (127.0.0.1:3306), Mosquitto (127.0.0.1:1883),
# and Chromium with chromedriver for the page's browser tests; Apache Kafka's broker jars for the Kafka tests
# (.ci/kafka.sh: the tests start the brokers themselves).
# Also installs, best effort, LibreOffice Calc and docker-compose for the spreadsheet and compose-syntax tests.
# Safe to run repeatedly; exits non-zero with a clear message if a server does not come up.
set -euo pipefail

WAIT_SECONDS="${SERVICES_WAIT_SECONDS:-60}"

log() { echo "services.sh: $*"; }
die() { echo "services.sh: ERROR: $*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # name, check-command...
    local name="$1"; shift
    local deadline=$(( $(date +%s) + WAIT_SECONDS ))
    until "$@" >/dev/null 2>&1; do
        if [ "$(date +%s)" -ge "$deadline" ]; then
            die "$name did not accept connections within ${WAIT_SECONDS}s"
        fi
        sleep 1
    done
    log "$name is accepting connections"
}

# --- InfluxDB 1.x -------------------------------------------------------------------------------
if ! command -v influxd >/dev/null 2>&1; then
    log "installing influxdb"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || die "apt-get update failed"
    apt-get install -y -qq influxdb >/dev/null || die "apt-get install influxdb failed"
fi
influx_ping() { curl -sf -o /dev/null "http://127.0.0.1:8086/ping"; }
if ! influx_ping >/dev/null 2>&1; then
    log "starting influxd"
    conf=/etc/influxdb/influxdb.conf
    args=()
    [ -f "$conf" ] && args=(-config "$conf")
    start-stop-daemon --start --oknodo --background --exec "$(command -v influxd)" -- "${args[@]}" \
        || die "could not start influxd"
fi
wait_for "InfluxDB (127.0.0.1:8086)" influx_ping

# --- Chromium + chromedriver (the page's browser tests, dev.enphaseetl.web.PageBrowserTest) -----------------------
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    log "installing chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || die "apt-get update failed"
    apt-get install -y -qq chromium chromium-driver >/dev/null || die "apt-get install chromium chromium-driver failed"
fi

# --- PostgreSQL ---------------------------------------------------------------------------------
pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432; }
if ! pg_ready >/dev/null 2>&1; then
    ver="$(ls /etc/postgresql | sort -V | tail -n1)"
    [ -n "$ver" ] || die "no PostgreSQL cluster under /etc/postgresql"
    log "starting PostgreSQL $ver"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start || die "could not start PostgreSQL $ver"
fi
wait_for "PostgreSQL (127.0.0.1:5432)" pg_ready

# --- MariaDB ------------------------------------------------------------------------------------
maria_ready() { mariadb -h 127.0.0.1 -P 3306 -u root -e 'SELECT 1'; }
if ! maria_ready >/dev/null 2>&1; then
    log "starting MariaDB"
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || die "could not start mariadbd"
fi
wait_for "MariaDB (127.0.0.1:3306)" maria_ready

# --- Mosquitto (MQTT; the YAML-wired MQTT output example is tested against it) -------------------
mqtt_ready() { port_open 1883; }
if ! mqtt_ready >/dev/null 2>&1; then
    if ! command -v mosquitto >/dev/null 2>&1; then
        log "installing mosquitto"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq || die "apt-get update failed"
        apt-get install -y -qq mosquitto >/dev/null || die "apt-get install mosquitto failed"
    fi
    log "starting Mosquitto"
    mosquitto -d -c /etc/mosquitto/mosquitto.conf || die "could not start mosquitto"
fi
wait_for "Mosquitto (127.0.0.1:1883)" mqtt_ready

# --- Optional checkers: LibreOffice (CSV opened by a real spreadsheet) and docker-compose (compose file syntax) ------
# Best effort: the tests that use them are skipped, with a message, when they cannot be installed.
missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]} (optional)"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
        log "WARNING: could not install ${missing[*]}; the tests that need them will be skipped"
    fi
fi

# --- Kafka (the Kafka tests start their own 3-broker KRaft cluster on loopback from Kafka's jars) ---------------------
bash "$(dirname "$0")/kafka.sh" || die "could not provide the Kafka broker jars (.ci/kafka.sh)"

log "all services up"
