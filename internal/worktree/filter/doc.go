// Package filter implements git's long-running filter process protocol
// (gitattributes(5) "Long Running Filter Process", pkt-line framing from
// gitprotocol-common(5)) the way git-annex's filter-process command speaks
// it: it answers the handshake with git-filter-server and version=2,
// announces only the clean and smudge capabilities (never delay), and
// streams each file's content to a Handler.
//
// The Server never touches os.Stdin or os.Stdout; it is handed an io.Reader
// and an io.Writer. Content streams in both directions: no request holds a
// whole file in memory. A Client, sufficient for tests and for driving a
// filter from Go, speaks git's side of the same protocol.
package filter
