// Package p2p is the remote for git-annex repositories reached over ssh:
// it speaks git-annex's P2P protocol (package p2pproto) to
// `git-annex-shell p2pstdio DIR UUID` on the other machine, real git-annex's
// or Trove's.
//
// Connections are pooled: each request takes an idle connection or opens a
// new one (one per concurrent transfer job, as git-annex does), and
// returns it when done. A content lock holds its connection until it is
// released. Transfers resume: PUT-FROM and GET carry the offset of what
// the receiving side already has.
package p2p
