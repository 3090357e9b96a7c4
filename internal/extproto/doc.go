// Package extproto is the line codec of git-annex's external special remote
// protocol, version 1 (git-annex 10.20230126; doc/design/external_special_remote_protocol.mdwn).
//
// A message is a command word followed by a fixed number of parameters
// separated by single spaces; the last parameter takes the rest of the line
// and may itself contain spaces, and a missing trailing parameter is empty.
// Parsing splits exactly as git-annex's Utility.SimpleProtocol does: at the
// first whitespace character (Haskell's isSpace), repeatedly, once per
// parameter but the last. Each parameter is then checked the way git-annex
// deserialises it (keys must parse, numbers are read as Haskell's readish
// reads them, directions are STORE or RETRIEVE), so that a line git-annex
// would reject is rejected here too.
//
// Messages travel in two directions and the sets differ: [ParseFromRemote]
// accepts what a helper program sends (replies such as TRANSFER-SUCCESS and
// requests such as GETCONFIG), [ParseFromAnnex] what git-annex sends
// (requests such as TRANSFER and the replies VALUE and CREDS). ERROR goes
// both ways. With the ASYNC extension most lines are framed as "J n msg";
// [SplitJob] removes the frame and [Message.String] adds it back.
//
// The package is pure: no I/O beyond the io.Reader and io.Writer handed to
// [Reader] and [Write], no processes.
package extproto
