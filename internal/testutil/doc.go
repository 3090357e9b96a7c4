// Package testutil holds helpers shared by Trove's tests: deterministic
// environments for git and git-annex, throw-away repositories, and access to
// the real git-annex for interoperability tests.
//
// Every helper takes a testing.TB and fails the test on error, so callers need
// no error plumbing. Helpers are safe to use from parallel tests: each test
// gets its own HOME, and nothing here calls os.Setenv.
//
// Production code must never import this package (a depguard rule enforces
// it); it may start processes because it is test-only.
package testutil
