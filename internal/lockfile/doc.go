// Package lockfile takes whole-file fcntl record locks that interoperate with
// git-annex.
//
// git-annex locks with classic POSIX record locks (F_SETLK over the whole
// file, Utility/LockFile/Posix.hs). This package uses Linux open file
// description (OFD) locks instead: they conflict with classic POSIX locks held
// by other processes, so git-annex and Trove see each other's locks, but they
// belong to the open file description rather than to the process. Two File
// values in the same process therefore exclude each other exactly as two
// processes do, which makes the locks usable from concurrent goroutines, and
// closing some other descriptor of the same file never drops a lock.
package lockfile
