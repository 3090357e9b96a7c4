#!/usr/bin/env bash
# profile.sh: count what one many-files workload costs per key, with Trove
# and with the real git-annex: system calls (strace -f -c, every process),
# new files and directories (the costliest calls on a busy ext4), and CPU
# seconds. Counts do not swing with the machine's load the way wall-clock
# times do, so they show whether a change removed work.
#
# Usage: bench/profile.sh WORKLOAD [TROVE_BINARY]
#   WORKLOAD      get | drop | copy_to (of N small files between local repos)
# Environment:
#   BENCH_SMALL_FILES=N   how many files (1000)
#   BENCH_KEEP=1          keep the temporary directory
set -euo pipefail

wl=${1:?usage: bench/profile.sh get|drop|copy_to [TROVE_BINARY]}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
n=${BENCH_SMALL_FILES:-1000}
command -v strace >/dev/null || {
	echo "profile: strace is needed" >&2
	exit 1
}
real_annex=$(command -v git-annex) || {
	echo "profile: the real git-annex is not on PATH" >&2
	exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/trove-profile.XXXXXX")
cleanup() {
	[[ -n ${BENCH_KEEP:-} ]] && return
	chmod -R u+w "$work" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

if [[ $# -ge 2 ]]; then
	trove=$(readlink -f "$2")
else
	(cd "$root" && go build -o "$work/trove" ./cmd/trove)
	trove=$work/trove
fi
mkdir -p "$work/path-trove" "$work/path-annex"
ln -s "$trove" "$work/path-trove/git-annex"
ln -s "$real_annex" "$work/path-annex/git-annex"

export HOME=$work/home GIT_CONFIG_NOSYSTEM=1 LC_ALL=C
mkdir -p "$HOME"
git config --global user.name "Trove Profile"
git config --global user.email "profile@trove.invalid"
git config --global init.defaultBranch master
git config --global gc.auto 0
git config --global maintenance.auto false

# The source repository and a clone holding all content, made by git-annex.
(cd "$root" && go run ./bench/gendata -small "$work/ref" -n "$n")
(cd "$work/ref" && git init -q && PATH=$work/path-annex:$PATH git annex init -q ref &&
	PATH=$work/path-annex:$PATH git annex add -q . && git commit -q -m add)
git clone -q "$work/ref" "$work/full"
(cd "$work/full" && PATH=$work/path-annex:$PATH git annex init -q full && PATH=$work/path-annex:$PATH git annex get -q .)

# prepare TOOL: a fresh repository for the workload; prints the directory
# to run the command in.
prepare() {
	local r=$work/run-$1
	chmod -R u+w "$r" 2>/dev/null || true
	rm -rf "$r" && mkdir -p "$r"
	case $wl in
	get)
		git clone -q "$work/ref" "$r/c"
		(cd "$r/c" && git annex init -q clone)
		echo "$r/c"
		;;
	drop)
		cp -a "$work/full" "$r/c"
		echo "$r/c"
		;;
	copy_to)
		cp -a "$work/ref" "$r/s"
		git clone -q "$r/s" "$r/d"
		(cd "$r/d" && git annex init -q clone)
		git -C "$r/s" remote add dst "$r/d"
		echo "$r/s"
		;;
	*)
		echo "profile: unknown workload $wl" >&2
		exit 1
		;;
	esac
}
command_of() {
	case $wl in
	get) echo "git annex get -q ." ;;
	drop) echo "git annex drop -q ." ;;
	copy_to) echo "git annex copy -q --to dst ." ;;
	esac
}

base_path=$PATH
printf '%-6s %14s %14s %10s %10s\n' tool syscalls/key creates/key "user s" "sys s"
for tool in annex trove; do
	export PATH=$work/path-$tool:$base_path
	dir=$(prepare "$tool")
	out=$work/strace-$tool.txt
	(cd "$dir" && strace -f -qq -o "$out" -e trace=all $(command_of) >/dev/null)
	calls=$(grep -c -v -E '^[0-9]+ +(\+\+\+|---)|resumed>' "$out" || true)
	creates=$(grep -c -E 'open(at)?\(.*O_CREAT.*= [0-9]+$|mkdir(at)?\(.*= 0$|^[0-9]+ +(link|linkat|symlink|symlinkat)\(.*= 0$' "$out" || true)
	dir=$(prepare "$tool")
	read -r user sys < <(cd "$dir" && { /usr/bin/time -f '%U %S' $(command_of) >/dev/null; } 2>&1 | tail -1)
	printf '%-6s %14.1f %14.2f %10s %10s\n' "$tool" "$(echo "$calls / $n" | bc -l)" "$(echo "$creates / $n" | bc -l)" "$user" "$sys"
done
