// Package external is the "external" special remote type: storage run by
// a helper program git-annex-remote-<externaltype> found on PATH, spoken to
// over its stdin and stdout with git-annex's external special remote
// protocol (package extproto). Existing helpers (git-annex-remote-rclone,
// DataLad's ora, rclone gitannex) work unchanged.
//
// A Remote starts helper processes on first use and keeps them for the
// rest of the command: one per concurrent job, pooled, or a single one for
// every job when the helper takes the ASYNC extension. Requests the helper
// makes while it handles one of ours (GETCONFIG, SETSTATE, SETURLPRESENT,
// GETCREDS, ...) are answered through remote.Host. A helper that crashes,
// sends a line the protocol does not allow at that moment, or is still
// busy when the request's context is cancelled is killed; the request
// fails with an error naming the remote and the program, and nothing is
// recorded for it. Close ends the helpers by closing their input.
//
// With readonly=true at enableremote (git config
// remote.NAME.annex-readonly), no helper runs: content is downloaded from
// the http(s) URLs the helper recorded with SETURLPRESENT.
package external
