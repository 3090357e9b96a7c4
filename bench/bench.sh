#!/usr/bin/env bash
# bench.sh: run the same workloads with Trove and with the real git-annex, on
# the same data in fresh temporary repositories, and print a table of times
# and ratios. See reference/perf-anchors.md for what the numbers should be.
#
# Usage: bench/bench.sh [TROVE_BINARY]
#   TROVE_BINARY  a built trove; default: `go build ./cmd/trove` from this tree.
# Environment:
#   BENCH_SMALL_FILES=N   small files for the many-files workloads (10000)
#   BENCH_BIG_MIB=N       size of the big file in MiB (1024)
#   BENCH_RUNS=N          timed runs per command; the median is shown (3)
#   BENCH_WORKLOADS="..." which workloads to run (all, in the order below)
#   BENCH_KEEP=1          keep the temporary directory for inspection
#
# Adding a workload: write a function wl_NAME that calls `compare NAME ...`
# (and optionally `baseline NAME ...`), then add NAME to WORKLOADS.
set -euo pipefail

# drop_small runs after the other many-file workloads: the files it deletes
# would slow the file creation of the ones after it (see discard).
WORKLOADS=(add_small add_big whereis find fsck_fast copy_to_small get_small copy_to_dir_small get_dir_small drop_small get_big copy_to_crypt_big get_crypt_big)

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
small_n=${BENCH_SMALL_FILES:-10000}
big_mib=${BENCH_BIG_MIB:-1024}
runs=${BENCH_RUNS:-3}
read -r -a selected <<<"${BENCH_WORKLOADS:-${WORKLOADS[*]}}"

die() {
	echo "bench: $*" >&2
	exit 1
}
say() { echo "bench: $*" >&2; }

# --- tools -------------------------------------------------------------------

work=$(mktemp -d "${TMPDIR:-/tmp}/trove-bench.XXXXXX")
cleanup() {
	if [[ -n ${BENCH_KEEP:-} ]]; then
		say "kept $work"
		return
	fi
	chmod -R u+w "$work" 2>/dev/null || true # annex objects are read-only
	rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/run"

# discard DIR...: move the directories into the trash, which the exit
# deletes. Deleting tens of thousands of files right before a timed run
# slows every file the run then creates: ext4 without a journal (this VM's
# disk) skips inodes freed in the last minutes when it allocates, scanning
# past each of them. Prepare steps therefore rename instead of delete.
export TRASH=$work/trash
discard() {
	local d
	for d in "$@"; do
		[[ -e $d ]] || continue
		mkdir -p "$TRASH"
		mv "$d" "$(mktemp -d "$TRASH/XXXXXX")/"
	done
}
export -f discard
# wipe DIR...: delete the directories (annex objects are read-only). The
# big-file workloads wipe their last run's output instead of discarding
# it: a discarded gigabyte stays in the page cache, so every run would
# start with less free memory than the one before, while their baselines
# delete their output (rm -f) and start alike. Under that growing memory
# pressure the kernel reclaims and compacts memory inside the timed run's
# writes, which made the timings of the tools alone swing between one and
# three times the floor.
wipe() {
	local d
	for d in "$@"; do
		[[ -e $d ]] || continue
		chmod -R u+w "$d" && rm -rf "$d"
	done
}
export -f wipe
# free_trash: delete the big files in the trash, to free their space
# between workloads at the cost of few inodes.
free_trash() {
	[[ -d $TRASH ]] || return 0
	local f
	find "$TRASH" -type f -size +64M -print0 | while IFS= read -r -d '' f; do
		chmod u+w "$(dirname "$f")" && rm -f "$f"
	done
}

# The real git-annex: the first on PATH that is not a link to trove.
real_annex=
IFS=: read -r -a path_dirs <<<"$PATH"
for d in "${path_dirs[@]}"; do
	c="${d:-.}/git-annex"
	if [[ -x $c && $(basename "$(readlink -f "$c")") != trove ]]; then
		real_annex=$(readlink -f "$c")
		break
	fi
done
[[ -n $real_annex ]] || die "the real git-annex is not on PATH (apt-get install git-annex)"

if [[ $# -ge 1 ]]; then
	trove=$(readlink -f "$1")
	[[ -x $trove ]] || die "$1 is not an executable trove binary"
else
	say "building trove from $root"
	mkdir -p "$work/build"
	(cd "$root" && go build -o "$work/build/trove" ./cmd/trove) || die "go build ./cmd/trove failed"
	trove=$work/build/trove
fi

# One PATH per tool, so the same command line (`git annex add .`) runs either
# tool: git finds git-annex on PATH.
mkdir -p "$work/path-trove" "$work/path-annex"
ln -s "$trove" "$work/path-trove/git-annex"
ln -s "$trove" "$work/path-trove/git-annex-shell"
ln -s "$real_annex" "$work/path-annex/git-annex"
ln -s "$(dirname "$real_annex")/git-annex-shell" "$work/path-annex/git-annex-shell"
path_for() { # tool -> PATH value
	case $1 in
	annex) echo "$work/path-annex:$PATH" ;;
	trove) echo "$work/path-trove:$PATH" ;;
	*) echo "$PATH" ;;
	esac
}

# Reproducible commits; a private HOME so no user configuration leaks in.
export HOME=$work/home GIT_CONFIG_NOSYSTEM=1 LC_ALL=C
mkdir -p "$HOME"
git config --global user.name "Trove Bench"
git config --global user.email "bench@trove.invalid"
git config --global init.defaultBranch master
# No background gc or maintenance: it would race with the cp -a of the
# reference repository and steal CPU from the timed runs.
git config --global gc.auto 0
git config --global maintenance.auto false

# --- data (made once, lazily) ------------------------------------------------

gendata=
gen() {
	if [[ -z $gendata ]]; then
		gendata=$work/build/gendata
		mkdir -p "$work/build"
		(cd "$root" && go build -o "$gendata" ./bench/gendata) || die "go build ./bench/gendata failed"
	fi
	"$gendata" "$@"
}
small_data() {
	[[ -d $work/data/small ]] || {
		say "generating $small_n small files"
		gen -small "$work/data/small" -n "$small_n"
	}
	echo "$work/data/small"
}
big_data() {
	[[ -f $work/data/big.bin ]] || {
		say "generating a $big_mib MiB file"
		mkdir -p "$work/data"
		gen -big "$work/data/big.bin" -mib "$big_mib"
	}
	echo "$work/data/big.bin"
}
# ref_repo: the small files added and committed by the real git-annex; each
# tool gets its own copy to query, so both read the same git-annex-made repo.
ref_repo() { # tool -> repo path
	local ref=$work/ref/small
	if [[ ! -d $ref ]]; then
		say "building the reference repository with the real git-annex"
		mkdir -p "$work/ref"
		cp -a "$(small_data)" "$ref"
		(cd "$ref" && git init -q && PATH=$(path_for annex) git annex init -q bench &&
			PATH=$(path_for annex) git annex add -q . && git commit -q -m add)
	fi
	local copy=$work/ref/small-$1
	[[ -d $copy ]] || cp -a "$ref" "$copy"
	echo "$copy"
}

# --- timing ------------------------------------------------------------------

declare -A secs   # "workload/tool" -> median seconds, or "fail"
declare -A bname  # workload -> baseline label

# measure TOOL PREPARE COMMAND: print the median wall time of COMMAND over
# $runs runs, each after PREPARE, with TOOL's PATH; "fail" if it fails.
measure() {
	local tool=$1 prep=$2 cmd=$3 p
	p=$(path_for "$tool")
	local env="export PATH='$p';"
	if command -v hyperfine >/dev/null; then
		local csv=$work/hf.csv
		if hyperfine --runs "$runs" --shell=bash --style=none --output=null \
			--prepare "$env $prep" --export-csv "$csv" "$env $cmd" >&2; then
			awk -F, 'NR==2 {print $4}' "$csv"
		else
			echo fail
		fi
		return
	fi
	local times=() t0 t1 i
	for ((i = 0; i < runs; i++)); do
		bash -c "$env $prep" >/dev/null 2>&1 || {
			echo fail
			return
		}
		t0=$EPOCHREALTIME
		bash -c "$env $cmd" >/dev/null 2>&1 || {
			echo fail
			return
		}
		t1=$EPOCHREALTIME
		times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.6f", b - a}')")
	done
	printf '%s\n' "${times[@]}" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# compare WORKLOAD PREPARE COMMAND: time COMMAND with git-annex and Trove.
# PREPARE and COMMAND may use $TOOL ("annex" or "trove").
compare() {
	local w=$1 tool
	for tool in annex trove; do
		say "$w: $tool"
		secs[$w/$tool]=$(measure "$tool" "TOOL=$tool; $2" "TOOL=$tool; $3")
	done
}

# baseline WORKLOAD LABEL PREPARE COMMAND: time a floor to compare Trove with.
baseline() {
	say "$1: baseline ($2)"
	bname[$1]=$2
	secs[$1/base]=$(measure none "$3" "$4")
}

# --- workloads -----------------------------------------------------------------

# fresh_repo DIR SRC: shell code that makes DIR a new git repo holding a copy
# of SRC (a directory's contents or one file), initialised by $TOOL.
fresh_repo() {
	echo "discard '$1' && mkdir -p '$1' && cp -a '$2' '$1'/ && cd '$1' && git init -q && git annex init -q bench"
}

wl_add_small() {
	local src r=$work/run/add_small
	src=$(small_data)
	compare add_small "$(fresh_repo "$r" "$src/.")" "cd '$r' && git annex add -q . >/dev/null"
	baseline add_small "git add ." \
		"discard '$r' && mkdir -p '$r' && cp -a '$src/.' '$r'/ && cd '$r' && git init -q" \
		"cd '$r' && git add ."
}

wl_add_big() {
	local src r=$work/run/add_big
	src=$(big_data)
	compare add_big "$(fresh_repo "$r" "$src")" "cd '$r' && git annex add -q big.bin >/dev/null"
	baseline add_big "openssl dgst -sha256" ":" "openssl dgst -sha256 '$src' >/dev/null"
}

# The read-only workloads run on per-tool copies of the reference repo.
wl_whereis() {
	ref_repo annex >/dev/null
	ref_repo trove >/dev/null
	compare whereis ":" "cd '$work/ref/small-'\$TOOL && git annex whereis >/dev/null"
	baseline whereis "ls-files | cat-file --batch" ":" \
		"cd '$work/ref/small' && git ls-files -s | cut -d' ' -f2 | git cat-file --batch >/dev/null"
}

wl_find() {
	ref_repo annex >/dev/null
	ref_repo trove >/dev/null
	compare find ":" "cd '$work/ref/small-'\$TOOL && git annex find >/dev/null"
	baseline find "ls-files | cat-file --batch" ":" \
		"cd '$work/ref/small' && git ls-files -s | cut -d' ' -f2 | git cat-file --batch >/dev/null"
}

wl_fsck_fast() {
	ref_repo annex >/dev/null
	ref_repo trove >/dev/null
	compare fsck_fast ":" "cd '$work/ref/small-'\$TOOL && git annex fsck --fast -q >/dev/null"
}

# Content moving between local repositories. The source of every transfer
# is a repository the real git-annex made (ref_repo), so both tools move the
# same keys; each timed run starts from a fresh clone.

# clone_of SRC DIR: shell code that makes DIR a fresh clone of SRC, initialised
# by $TOOL. SRC is double-quoted in the code, so it may refer to $TOOL.
clone_of() {
	echo "discard '$2' && git clone -q \"$1\" '$2' && cd '$2' && git annex init -q clone"
}

# full_clone: a clone of the reference repository holding all the content,
# made once with the real git-annex (drop needs content to drop).
full_clone() {
	local c=$work/ref/small-full
	if [[ ! -d $c ]]; then
		say "building a clone with content with the real git-annex"
		git clone -q "$work/ref/small" "$c"
		(cd "$c" && PATH=$(path_for annex) git annex init -q full && PATH=$(path_for annex) git annex get -q .)
	fi
	echo "$c"
}

wl_copy_to_small() {
	ref_repo annex >/dev/null
	local s=$work/run/copy_src d=$work/run/copy_dst
	compare copy_to_small \
		"discard '$s' '$d' && cp -a '$work/ref/small' '$s' && $(clone_of "$s" "$d") && cd '$s' && git remote add dst '$d'" \
		"cd '$s' && git annex copy -q --to dst . >/dev/null"
	baseline copy_to_small "cp -a of the files" "discard '$d'" "cp -a '$(small_data)' '$d'"
}

wl_get_small() {
	ref_repo annex >/dev/null
	ref_repo trove >/dev/null
	local c=$work/run/get_clone
	compare get_small "$(clone_of "$work/ref/small-\$TOOL" "$c")" "cd '$c' && git annex get -q . >/dev/null"
	baseline get_small "cp -a of the files" "discard '$c'" "cp -a '$(small_data)' '$c'"
}

# quiet: prepare-step code that lets the file system settle before a timed
# run that creates files right after the previous run deleted tens of
# thousands: on ext4 without a journal (this VM's disk) the inode
# allocator skips, and scans past, every inode freed in the last minute,
# so each run would pay for the deletions of the one before it (git-annex's
# for Trove's first run). Writing back and waiting that minute out makes
# every run start alike.
quiet="sync && sleep 61"

wl_drop_small() {
	ref_repo annex >/dev/null
	local full c=$work/run/drop_clone
	full=$(full_clone)
	compare drop_small "discard '$c' && cp -a '$full' '$c' && $quiet" "cd '$c' && git annex drop -q . >/dev/null"
}

wl_get_big() {
	local src o=$work/ref/big c=$work/run/get_big
	src=$(big_data)
	if [[ ! -d $o ]]; then
		say "building the big-file repository with the real git-annex"
		mkdir -p "$o" && cp "$src" "$o/" &&
			(cd "$o" && git init -q && PATH=$(path_for annex) git annex init -q big &&
				PATH=$(path_for annex) git annex add -q big.bin && git commit -q -m add)
	fi
	compare get_big "wipe '$c' && $(clone_of "$o" "$c")" "cd '$c' && git annex get -q big.bin >/dev/null"
	baseline get_big "cp + openssl dgst -sha256" "rm -f '$work/run/big.copy'" \
		"cp '$src' '$work/run/big.copy' && openssl dgst -sha256 '$work/run/big.copy' >/dev/null"
}

# Special remotes: a directory remote for the small files, and a chunked,
# encrypted (encryption=shared) directory remote for the big file. Each run
# starts from a copy of a template made once by the real git-annex; the
# copy's remote is re-pointed at its own copy of the directory.

# dir_template: the reference repository with a directory remote "d"
# holding all the content and no local content, made by the real git-annex.
dir_template() {
	local t=$work/ref/dirtpl
	if [[ ! -d $t ]]; then
		say "building the directory-remote template with the real git-annex"
		mkdir -p "$t"
		cp -a "$work/ref/small" "$t/repo"
		mkdir "$t/dir"
		(cd "$t/repo" && export PATH=$(path_for annex) &&
			git annex initremote -q d type=directory directory="$t/dir" encryption=none &&
			git annex copy -q --to d . && git annex drop -q .)
	fi
	echo "$t"
}

# copy_tpl TEMPLATE DEST: shell code that copies a template (repo + dir) to
# DEST and points the remote d at DEST/dir.
copy_tpl() {
	echo "discard '$2' && cp -a '$1' '$2' && cd '$2/repo' && git config remote.d.annex-directory '$2/dir'"
}

wl_copy_to_dir_small() {
	ref_repo annex >/dev/null
	local r=$work/run/dir_copy
	compare copy_to_dir_small \
		"discard '$r' && mkdir -p '$r/dir' && cp -a '$work/ref/small' '$r/repo' && cd '$r/repo' && git annex initremote -q d type=directory directory='$r/dir' encryption=none" \
		"cd '$r/repo' && git annex copy -q --to d . >/dev/null"
	baseline copy_to_dir_small "cp -a of the files" "discard '$r/base'" "cp -a '$(small_data)' '$r/base'"
}

wl_get_dir_small() {
	ref_repo annex >/dev/null
	local t r=$work/run/dir_get
	t=$(dir_template)
	compare get_dir_small "$(copy_tpl "$t" "$r")" "cd '$r/repo' && git annex get -q --from d . >/dev/null"
	baseline get_dir_small "cp -a of the files" "discard '$r/base'" "cp -a '$(small_data)' '$r/base'"
}

# crypt_repo: a repository holding the big file, made by the real git-annex.
crypt_repo() {
	local o=$work/ref/bigrepo
	if [[ ! -d $o ]]; then
		mkdir -p "$o" && cp "$(big_data)" "$o/" &&
			(cd "$o" && git init -q && PATH=$(path_for annex) git annex init -q big &&
				PATH=$(path_for annex) git annex add -q big.bin && git commit -q -m add)
	fi
	echo "$o"
}

wl_copy_to_crypt_big() {
	local o r=$work/run/crypt_copy
	o=$(crypt_repo)
	compare copy_to_crypt_big \
		"discard '$r' && mkdir -p '$r/dir' && cp -a '$o' '$r/repo' && cd '$r/repo' && git annex initremote -q dc type=directory directory='$r/dir' encryption=shared chunk=16MiB" \
		"cd '$r/repo' && git annex copy -q --to dc big.bin >/dev/null"
}

wl_get_crypt_big() {
	local o t=$work/ref/crypttpl r=$work/run/crypt_get
	o=$(crypt_repo)
	if [[ ! -d $t ]]; then
		say "building the encrypted-remote template with the real git-annex"
		mkdir -p "$t/dir" && cp -a "$o" "$t/repo"
		(cd "$t/repo" && export PATH=$(path_for annex) &&
			git annex initremote -q dc type=directory directory="$t/dir" encryption=shared chunk=16MiB &&
			git annex copy -q --to dc big.bin && git annex drop -q big.bin)
	fi
	compare get_crypt_big \
		"discard '$r' && cp -a '$t' '$r' && cd '$r/repo' && git config remote.dc.annex-directory '$r/dir'" \
		"cd '$r/repo' && git annex get -q --from dc big.bin >/dev/null"
}

# --- main ----------------------------------------------------------------------

say "trove: $trove"
say "git-annex: $real_annex ($(git-annex version --raw 2>/dev/null || "$real_annex" version --raw))"
say "small files: $small_n, big file: $big_mib MiB, runs: $runs, timer: $(command -v hyperfine >/dev/null && echo hyperfine || echo bash)"
# ratio A B: A/B with one decimal, or "-" when either is missing or failed.
ratio() {
	awk -v a="${1:--}" -v b="${2:--}" 'BEGIN {
		if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b == 0) { print "-"; exit }
		printf "%.1fx", a / b }'
}
cell() { # seconds -> "1.234" | fail | -
	local v=${1:--}
	[[ $v =~ ^[0-9.]+$ ]] && printf '%.3f' "$v" || printf '%s' "$v"
}

# row W: the table row of workload W.
row() {
	printf '%-10s %11s %11s %9s   %-28s %11s %12s\n' "$1" \
		"$(cell "${secs[$1/annex]:-}")" "$(cell "${secs[$1/trove]:-}")" \
		"$(ratio "${secs[$1/annex]:-}" "${secs[$1/trove]:-}")" \
		"${bname[$1]:--}" "$(cell "${secs[$1/base]:-}")" \
		"$(ratio "${secs[$1/trove]:-}" "${secs[$1/base]:-}")"
}

for w in "${selected[@]}"; do
	declare -F "wl_$w" >/dev/null || die "unknown workload $w (known: ${WORKLOADS[*]})"
	"wl_$w"
	free_trash
	say "$(row "$w")" # as it comes, in case a later workload fails
done

printf '\n%-10s %11s %11s %9s   %-28s %11s %12s\n' workload "git-annex s" "trove s" speedup baseline "baseline s" "trove/base"
for w in "${selected[@]}"; do
	row "$w"
done
echo "speedup = git-annex time / Trove time (higher is better); trove/base = Trove time / baseline (lower is better)"
