// Package p2pproto is the codec of git-annex's P2P protocol (P2P/Protocol.hs,
// doc/design/p2p_protocol.mdwn), the line protocol git-annex-shell p2pstdio
// speaks over ssh.
//
// Each message is one line ending in "\n", its words separated by single
// spaces. Binary payloads follow a "DATA n" line as exactly n raw bytes with
// no terminator; the next message starts right after them. Message is one
// parsed line; Conn reads and writes messages and DATA payloads on a pair of
// streams. The package does no I/O of its own beyond the streams it is given.
package p2pproto
