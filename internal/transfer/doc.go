// Package transfer moves annexed content between the local object store and
// remotes the way git-annex does (Annex/Transfer.hs, Logs/Transfer.hs), for
// every command and every remote type:
//
//   - one transfer of a key per direction and remote at a time, across
//     goroutines and processes (Trove or git-annex), through the fcntl lock
//     .git/annex/transfer/<direction>/<uuid>/lck.<keyfile>, next to the
//     transfer information file git-annex's `info` and the assistant read;
//     a failed transfer leaves its information under transfer/failed/;
//   - downloads go through objectstore.Partial: resumed from the bytes an
//     interrupted attempt left in .git/annex/tmp, hashed while written, and
//     moved into place only when they verify;
//   - retries: annex.retry times with delays from annex.retry-delay
//     doubling each time, plus up to annex.forward-retry more for attempts
//     that made progress; only errors remote.Retryable accepts, and once for
//     content that failed verification;
//   - stall detection (annex.stalldetection) from the progress meter and
//     the clock: a stalled attempt is cancelled and retried;
//   - Parallel runs work items on a bounded number of workers (-J).
//
// The package never prints. Messages git-annex shows during a transfer
// ("Delaying 1s before retrying.", stall and verification warnings) go to
// the caller's meter when it implements Reporter.
package transfer
