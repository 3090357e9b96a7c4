package sshcmd

import (
	"crypto/md5"
	"encoding/hex"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
)

// SocketDirEnv names a directory whose "ssh" subdirectory holds the
// connection-caching sockets when the repository is on a crippled file
// system (annex.crippledfilesystem), as in git-annex.
const SocketDirEnv = "GIT_ANNEX_SSH_SOCKET_DIR"

// maxSocketPath is the limit git-annex puts on a socket path (the size of
// sockaddr_un's sun_path, rounded down to cover every system), and
// sshTempSuffix the bytes ssh appends while it sets a socket up.
const (
	maxSocketPath = 100
	sshTempSuffix = 1 + 16
)

// socketName is the file name of the connection-caching socket for a host
// (the ssh target, "user@host" or "host") and port ("" for the default), as
// git-annex names it: the target, "!port" appended, or the md5 of that in
// hex when it is longer than 32 bytes. A numeric port is written in decimal
// without leading zeros.
func socketName(target, port string) string {
	s := target
	if port != "" {
		if n, err := strconv.Atoi(port); err == nil {
			port = strconv.Itoa(n)
		}
		s += "!" + port
	}
	if len(s) > 32 {
		sum := md5.Sum([]byte(s))
		return hex.EncodeToString(sum[:])
	}
	return s
}

// socketPath returns the path ssh should be given for the socket at abs
// (an absolute path) when run from cwd: the shorter of abs and its path
// relative to cwd. ok is false when neither leaves ssh room for its
// temporary suffix under the socket-path limit; connection caching is then
// off, as in git-annex.
func socketPath(abs, cwd string) (path string, ok bool) {
	path = abs
	if rel, err := filepath.Rel(cwd, abs); err == nil && len(rel) < len(abs) {
		path = rel
	}
	return path, len(path)+sshTempSuffix < maxSocketPath
}

// lockPath is the lock file next to a socket: processes using the socket's
// connection hold it shared; the one that stops the connection holds it
// exclusively.
func lockPath(socket string) string { return socket + ".lock" }

// socketProbes remembers, per directory, whether a unix socket could be
// created there, so that the probe runs once per process.
var socketProbes struct {
	sync.Mutex
	ok map[string]bool
}

// socketsWork reports whether unix sockets can be created in dir, where
// sock (dir's entry as ssh will be given it) is the socket to be used. A
// socket already there answers at once; otherwise one probe socket is
// bound and removed, once per directory and process. A file system that
// cannot hold sockets (FAT, some network file systems) gives false.
func socketsWork(dir, sock string) bool {
	socketProbes.Lock()
	defer socketProbes.Unlock()
	if ok, known := socketProbes.ok[dir]; known {
		return ok
	}
	ok := false
	if fi, err := os.Lstat(sock); err == nil && fi.Mode().Type() == fs.ModeSocket {
		ok = true
	} else {
		// The pid keeps concurrent probes apart; it fits in the room the
		// path leaves for ssh's own suffix.
		probe := sock + "." + strconv.Itoa(os.Getpid())
		_ = os.Remove(probe)
		if l, err := net.ListenUnix("unix", &net.UnixAddr{Name: probe, Net: "unix"}); err == nil {
			ok = true
			_ = l.Close() // unlinks the probe
			_ = os.Remove(probe)
		}
	}
	if socketProbes.ok == nil {
		socketProbes.ok = map[string]bool{}
	}
	socketProbes.ok[dir] = ok
	return ok
}
