#!/usr/bin/env bash
# install.sh: build Trove with the system Go, install it into PREFIX with its
# git-annex and git-annex-shell links, and run a smoke check.
#
# Usage: ./install.sh            (from a clone of this repository)
# Environment:
#   PREFIX=DIR        where to install (default ~/.local/bin; /usr/local/bin as root)
#   TROVE_LINKS=auto  auto: create the git-annex links unless another git-annex
#                     is on PATH; yes: create them anyway; no: never
#   TROVE_SMOKE=0     skip the smoke check
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ -z ${PREFIX:-} ]]; then
	if [[ $(id -u) == 0 ]]; then PREFIX=/usr/local/bin; else PREFIX=$HOME/.local/bin; fi
fi
links=${TROVE_LINKS:-auto}

say() { echo "install: $*"; }
die() {
	echo "install: $*" >&2
	exit 1
}

export PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || die "Go is not installed (expected /usr/local/go/bin/go; Go $(sed -n 's/^go //p' "$root/go.mod") or newer)"
command -v git >/dev/null || die "git is not installed: apt-get install git"

say "building trove with $(go version | cut -d' ' -f3)"
mkdir -p "$PREFIX"
tmp=$(mktemp "$PREFIX/.trove.XXXXXX")
(cd "$root" && go build -o "$tmp" ./cmd/trove) || {
	rm -f "$tmp"
	die "go build ./cmd/trove failed"
}
chmod 755 "$tmp"
mv -f "$tmp" "$PREFIX/trove" # rename: a running trove keeps its old inode
say "installed $PREFIX/trove"

# ours NAME: is PREFIX/NAME absent or already a link to our trove?
ours() {
	[[ ! -e $PREFIX/$1 && ! -L $PREFIX/$1 ]] ||
		[[ -L $PREFIX/$1 && $(readlink -f "$PREFIX/$1") == $(readlink -f "$PREFIX/trove") ]]
}

# Another git-annex (the Haskell one) on PATH, outside PREFIX?
other=
while IFS= read -r c; do
	if [[ $(readlink -f "$c") != $(readlink -f "$PREFIX/trove") ]]; then
		other=$c
		break
	fi
done < <(type -a -P git-annex 2>/dev/null || true)

if [[ $links == auto && -n $other ]]; then
	cat <<EOF
install: WARNING: another git-annex is installed: $other
install:   Not creating $PREFIX/git-annex and $PREFIX/git-annex-shell, so your
install:   scripts keep running that one. Trove works without them:
install:     trove annex <command>        (e.g. trove annex whereis)
install:   To make Trove answer to \`git annex\` too, run
install:     TROVE_LINKS=yes ./install.sh
install:   and put $PREFIX first on PATH; whichever git-annex comes first on
install:   PATH is the one git, DataLad and your scripts run.
EOF
	links=no
fi
if [[ $links != no ]]; then
	for name in git-annex git-annex-shell; do
		if ours "$name"; then
			ln -sfn trove "$PREFIX/$name"
			say "linked $PREFIX/$name -> trove"
		else
			say "WARNING: not replacing $PREFIX/$name: it is not a link to trove (remove it first to use Trove's)"
		fi
	done
	first=$(command -v git-annex || true)
	if [[ -n $first && $(readlink -f "$first") != $(readlink -f "$PREFIX/trove") ]]; then
		say "WARNING: \`git annex\` runs $first, not Trove: put $PREFIX before $(dirname "$first") on PATH"
	fi
fi
case ":$PATH:" in
*":$PREFIX:"*) ;;
*) say "note: $PREFIX is not on PATH; add it: export PATH=\"$PREFIX:\$PATH\"" ;;
esac

[[ ${TROVE_SMOKE:-1} != 0 ]] || exit 0

# Smoke check: a throw-away repository, annex init, add a file, whereis.
say "smoke check"
smoke=$(mktemp -d "${TMPDIR:-/tmp}/trove-smoke.XXXXXX")
trap 'chmod -R u+w "$smoke" 2>/dev/null; rm -rf "$smoke"' EXIT
trove=$PREFIX/trove
run() { # echo and run a command; stop with its output on failure
	echo "+ $*"
	"$@" || die "smoke check failed at \`$*\`; see the output above"
}
cd "$smoke"
run git init -q
run git config user.name "Trove smoke check"
run git config user.email "smoke@trove.invalid"
run "$trove" annex init smoke
echo "hello from trove" >hello.txt
run "$trove" annex add hello.txt
[[ -L hello.txt ]] || die "smoke check failed: \`trove annex add\` did not turn hello.txt into an annex symlink"
run git commit -q -m "add hello.txt"
out=$(run "$trove" annex whereis hello.txt)
echo "$out"
[[ $out == *"[here]"* ]] || die "smoke check failed: \`trove annex whereis\` does not list this repository ([here])"
say "ok: $trove works; try \`$trove annex --help\`"
