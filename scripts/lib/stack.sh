# Shared by scripts/run and scripts/test: installs what docshift needs,
# builds it, and starts and stops the local stack (PostgreSQL, the FastCGI
# pool, the worker, nginx) with everything under one run folder.
#
# Callers set ROOT (the repository) and RUN_DIR before using these;
# DOCSHIFT_BUILD_DIR moves the build folder (default: build).

BUILD_DIR=${DOCSHIFT_BUILD_DIR:-$ROOT/build}

# Debian packages: building, running, and testing.
BUILD_PACKAGES=(cmake g++ make pkg-config libfcgi-dev libpq-dev uuid-dev
    libjsoncpp-dev libboost-test-dev libmagic-dev libzip-dev libqpdf-dev
    libsystemd-dev)
RUN_PACKAGES=(postgresql nginx-light libreoffice-writer-nogui
    libreoffice-calc-nogui libreoffice-impress-nogui fonts-dejavu-core
    fonts-liberation2 util-linux python3-uno bubblewrap
    poppler-utils qpdf ghostscript img2pdf libvips-tools pandoc
    fonts-noto-core fonts-noto-cjk)
TEST_PACKAGES=(poppler-utils python3 python3-pytest python3-pil curl clang
    libclang-rt-14-dev nodejs chromium)

# The packaging tests build a .deb and check it with systemd and nginx.
TEST_PACKAGES+=(dpkg-dev systemd openssl)
# They install it with dpkg into a minimal Debian root made by debootstrap.
TEST_PACKAGES+=(debootstrap)
# bench/api drives the API with wrk; the tests look for processes.
TEST_PACKAGES+=(wrk procps)
# The font test reads which font draws each glyph.
TEST_PACKAGES+=(mupdf-tools fontconfig)

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

install_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
            grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0

    if [ "$(id -u)" -ne 0 ]; then
        die "missing Debian packages: ${missing[*]}
install them with: sudo apt-get install ${missing[*]}"
    fi
    say "installing ${missing[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends "${missing[@]}" >/dev/null
}

# Debian's nodejs leaves npm to a package of its own; other builds of the
# nodejs package bring it along, and must not meet Debian's npm.
install_npm() {
    command -v npm >/dev/null || install_packages npm
}

build() {
    say "building"
    cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        >/dev/null
    cmake --build "$BUILD_DIR" -j "$(nproc)" >/dev/null
}

# PostgreSQL refuses to run as root, and nginx and LibreOffice should not:
# as root every service runs as the system user 'docshift'.
service_user() {
    if [ "$(id -u)" -eq 0 ]; then
        id docshift >/dev/null 2>&1 ||
            useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin \
                docshift
        echo docshift
    else
        id -un
    fi
}

as_service() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$SERVICE_USER" -- "$@"
    else
        "$@"
    fi
}

pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] || die "PostgreSQL server programs not found"
    echo "$dir"
}

# The run folder, owned by the service user. Every path the services use
# lives here.
prepare_run_dir() {
    mkdir -p "$RUN_DIR"/{logs,nginx,storage,work,pg}
    [ "$(id -u)" -eq 0 ] && chown -R "$SERVICE_USER:" "$RUN_DIR"
    chmod 0750 "$RUN_DIR"
}

start_postgres() {
    local bindir data="$RUN_DIR/pg/data"
    bindir=$(pg_bindir)
    if [ ! -f "$data/PG_VERSION" ]; then
        say "creating PostgreSQL cluster in $data"
        as_service "$bindir/initdb" -D "$data" -U docshift --auth=trust \
            -E UTF8 --locale=C.UTF-8 >"$RUN_DIR/logs/initdb.log"
    fi
    # Unix socket only: no port to collide with other clusters.
    as_service "$bindir/pg_ctl" -D "$data" -l "$RUN_DIR/logs/postgres.log" \
        -w -o "-c listen_addresses='' -k $RUN_DIR/pg ${PG_EXTRA_OPTIONS:-}" \
        start >/dev/null
    as_service "$bindir/psql" -h "$RUN_DIR/pg" -U docshift -d postgres -qtAc \
        "SELECT 1 FROM pg_database WHERE datname = 'docshift'" | grep -q 1 ||
        as_service "$bindir/createdb" -h "$RUN_DIR/pg" -U docshift docshift
}

stop_postgres() {
    local data="$RUN_DIR/pg/data"
    [ -f "$data/postmaster.pid" ] || return 0
    as_service "$(pg_bindir)/pg_ctl" -D "$data" -m fast -w stop >/dev/null ||
        true
}

# The environment every docshift program gets.
export_config() {
    export DOCSHIFT_DATABASE="host=$RUN_DIR/pg user=docshift dbname=docshift"
    export DOCSHIFT_STORAGE_DIR="$RUN_DIR/storage"
    export DOCSHIFT_WORK_DIR="$RUN_DIR/work"
    export DOCSHIFT_SQL_DIR="$ROOT/sql"
    export DOCSHIFT_SOCKET="$RUN_DIR/fcgi.sock"
    export DOCSHIFT_MAX_UPLOAD_BYTES="${DOCSHIFT_MAX_UPLOAD_BYTES:-104857600}"
}

render_nginx_config() {
    local file
    for file in local.conf docshift_locations.conf; do
        sed -e "s|@RUN_DIR@|$RUN_DIR|g" \
            -e "s|@FRONTEND_DIR@|$ROOT/frontend|g" \
            -e "s|@STORAGE_DIR@|$DOCSHIFT_STORAGE_DIR|g" \
            -e "s|@SOCKET@|$DOCSHIFT_SOCKET|g" \
            -e "s|@MAX_UPLOAD_BYTES@|$DOCSHIFT_MAX_UPLOAD_BYTES|g" \
            -e "s|@BIND@|${DOCSHIFT_BIND:-127.0.0.1}|g" \
            -e "s|@PORT@|$PORT|g" \
            "$ROOT/nginx/$file.in" >"$RUN_DIR/nginx/$file"
    done
}

# Starts a program in the background as the service user, its output in
# the logs folder, and remembers its pid for stop_stack.
start_service() {
    local name=$1
    shift
    as_service "$@" >>"$RUN_DIR/logs/$name.log" 2>&1 &
    echo $! >"$RUN_DIR/$name.pid"
}

wait_for_http() {
    local url=$1 tries=100
    while ! curl -fsS -o /dev/null "$url" 2>/dev/null; do
        tries=$((tries - 1))
        [ $tries -gt 0 ] || die "no answer from $url; see $RUN_DIR/logs"
        sleep 0.1
    done
}

start_stack() {
    SERVICE_USER=$(service_user)
    prepare_run_dir
    export_config
    start_postgres
    as_service "$BUILD_DIR/migrate/docshift-migrate" \
        >>"$RUN_DIR/logs/migrate.log" 2>&1 ||
        die "migrations failed; see $RUN_DIR/logs/migrate.log"

    render_nginx_config
    start_service fcgi "$BUILD_DIR/fcgi_app/docshift-fcgi"
    start_service worker "$BUILD_DIR/worker/docshift-worker"
    start_service nginx nginx -p "$RUN_DIR/nginx" -c "$RUN_DIR/nginx/local.conf" \
        -e "$RUN_DIR/logs/nginx-error.log"
    wait_for_http "http://127.0.0.1:$PORT/api/health"
}

stop_stack() {
    local name pid
    for name in nginx worker fcgi; do
        [ -f "$RUN_DIR/$name.pid" ] || continue
        pid=$(cat "$RUN_DIR/$name.pid")
        # runuser stays the parent; signal the service itself.
        pkill -TERM -P "$pid" 2>/dev/null || true
        kill -TERM "$pid" 2>/dev/null || true
        rm -f "$RUN_DIR/$name.pid"
    done
    wait 2>/dev/null || true
    stop_postgres
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
