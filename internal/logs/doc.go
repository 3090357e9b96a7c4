// Package logs holds pure codecs for every file of the git-annex branch,
// byte-compatible with git-annex 10.20230126: the generic log kinds (old
// UUID-based logs, map logs, presence logs, single-value logs), typed helpers
// on top of them (remote configs, trust, groups, numcopies, exports, chunks,
// metadata, content identifiers, transitions, differences), branch paths,
// journal file names and the union merge.
//
// Nothing here does I/O or reads the clock: writers take the current time as
// a Timestamp and apply git-annex's vector clock rule themselves. Parsers are
// lenient like git-annex's: any run of CR/LF ends a line and lines that do
// not parse are skipped, so parsing never fails.
package logs
