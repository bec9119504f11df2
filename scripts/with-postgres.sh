#!/bin/sh
# with-postgres.sh CMD...: run CMD with LABDASH_TEST_POSTGRES naming a
# PostgreSQL server whose user may create databases (each test makes its own).
#
# If LABDASH_TEST_POSTGRES is already set, it is used as it is. Otherwise a
# private server is started from Debian's `postgresql` packages (installed
# with apt-get when missing) in a temporary directory on a free loopback
# port, and stopped when CMD ends, whether it passed or not. initdb refuses
# to run as root, so as root the server runs as the postgres user.
set -eu

if [ -n "${LABDASH_TEST_POSTGRES:-}" ]; then
	exec "$@"
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
	echo "installing Debian's postgresql for the PostgreSQL tests"
	SUDO=$( [ "$(id -u)" = 0 ] || echo sudo )
	$SUDO apt-get update -qq
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
	bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

dir=$(mktemp -d /tmp/labdash-pg.XXXXXX)
as_pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
	chown postgres: "$dir"
	as_pg() { runuser -u postgres -- "$@"; }
fi

stop() {
	as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap stop EXIT INT TERM

as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
	{ cat "$dir/initdb.log"; exit 1; }

# A free port: ask the kernel for one, then start there (retrying if taken
# in between).
started=
for attempt in 1 2 3; do
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
		echo $((20000 + $$ % 20000 + attempt)))
	if as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
		-o "-p $port -h 127.0.0.1 -k $dir -c fsync=off -c full_page_writes=off -c max_connections=300" start >/dev/null; then
		started=1
		break
	fi
done
if [ -z "$started" ]; then
	cat "$dir/server.log" >&2
	echo "with-postgres.sh: PostgreSQL did not start" >&2
	exit 1
fi

export LABDASH_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') for the tests at 127.0.0.1:$port"
"$@"
