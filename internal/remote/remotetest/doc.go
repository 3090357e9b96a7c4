// Package remotetest is the conformance suite every remote and every
// decorator stack (chunked, encrypted) must pass: store, retrieve,
// check-present and remove, absent keys, resumed downloads, empty and
// large content, keys with odd names, concurrent use and cancellation.
//
// The same checks serve two callers. Go tests call Run with a function
// that makes a fresh remote; `git annex testremote` (annex.TestRemote)
// runs Checks against a configured remote at run time. Each Check is
// independent of the others: it stores its own keys, with random content,
// and removes them before it returns, whatever the outcome.
//
// FileSink is a remote.Sink over a plain file, for tests and for the
// testremote command.
package remotetest
