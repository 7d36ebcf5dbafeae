# SPDX-License-Identifier: GPL-2.0
# Sourced after common.sh: apt on Debian suites the host does not use
# (trixie, trixie-backports, forky, sid), through the mirror the system's
# apt already uses, with a sources list, lists and cache of its own under
# $BUILD/apt. The system's apt configuration is never read for anything
# but the mirror's address, and never changed.

APT_DIR=$BUILD/apt

# The Debian mirror of the system's own sources (deb822 or one-line form).
system_mirror() {
	m=$(cat /etc/apt/sources.list.d/*.sources 2> /dev/null |
		awk '/^URIs:/ { u = $2 }
		     /^Suites:/ && u != "" && / bookworm( |$)/ { print u; exit }')
	[ -n "$m" ] || m=$(cat /etc/apt/sources.list 2> /dev/null |
		awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }')
	[ -n "$m" ] || m=$(grep -h -o -E 'https?://[^ ]*/debian/?' \
		/etc/apt/sources.list /etc/apt/sources.list.d/* 2> /dev/null |
		grep -v security | head -n 1)
	[ -n "$m" ] || die "no Debian mirror in the system's apt sources"
	echo "${m%/}"
}

# papt apt-get|apt-cache ARGS...: apt on the private lists.
papt() (
	tool=$1
	shift
	"$tool" -q -o Dir::Etc::sourcelist="$APT_DIR/sources.list" \
		-o Dir::Etc::sourceparts=/dev/null \
		-o Dir::State::Lists="$APT_DIR/lists" \
		-o Dir::Cache="$APT_DIR/cache" \
		-o Acquire::Check-Valid-Until=false \
		-o APT::Sandbox::User=root "$@"
)

# papt_update SUITE...: a sources list for these suites; the indexes are
# fetched once per run of make (PAPT_FRESH=1 forces it).
# Check-Valid-Until is off because forky's Release file on Debian's mirrors
# has been seen past its date; signatures are still checked.
papt_update() {
	mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
	mirror=$(system_mirror)
	: > "$APT_DIR/sources.list.new"
	for s in "$@"; do
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $s main" \
			>> "$APT_DIR/sources.list.new"
	done
	if cmp -s "$APT_DIR/sources.list.new" "$APT_DIR/sources.list" &&
	   [ -z "${PAPT_FRESH:-}" ] &&
	   [ -n "$(find "$APT_DIR/lists" -maxdepth 1 -name '*InRelease' -mmin -120)" ]; then
		rm -f "$APT_DIR/sources.list.new"
		return 0
	fi
	mv "$APT_DIR/sources.list.new" "$APT_DIR/sources.list"
	papt apt-get update > "$APT_DIR/update.log" 2>&1 ||
		{ cat "$APT_DIR/update.log" >&2; die "apt-get update of $* failed"; }
}

# The suites of the pinned kernels that the system's apt does not serve.
private_suites() (
	for k in $(kernels); do
		case $(kernel_suite "$k") in
		bookworm|bookworm-*) ;;
		*) kernel_suite "$k" ;;
		esac
	done | sort -u
)

# kernel_apt KERNEL apt-get|apt-cache ARGS...: the apt that serves KERNEL.
kernel_apt() (
	case $(kernel_suite "$1") in
	bookworm|bookworm-*)
		shift
		"$@"
		;;
	*)
		shift
		papt "$@"
		;;
	esac
)
