// Package sshcmd runs commands on other machines over ssh, the way
// git-annex does (Annex/Ssh.hs): it is, with gitcmd, the only package that
// starts ssh.
//
// A Location is where a git remote over ssh lives (ssh://[user@]host[:port]/path
// or scp-like [user@]host:path). A Client turns a remote command line into
// the ssh invocation git-annex would run: plain `ssh` with remote.NAME.annex-ssh-options
// (or, when that is unset, annex.ssh-options), or, when GIT_ANNEX_USE_GIT_SSH=1,
// git's GIT_SSH_COMMAND or GIT_SSH.
//
// Connection caching is on by default, as in git-annex: plain ssh is given
// a control socket under .git/annex/ssh/ (named for the host, "user@host!port",
// or its md5 when longer than 32 bytes; given relative to the working
// directory when that is shorter, and no caching when neither path fits a
// socket address) with ControlMaster=auto and ControlPersist=yes. It is off
// with annex.sshcaching=false, with git's ssh, and when the directory
// cannot hold sockets (probed once per process); on a crippled file system
// the sockets go under $GIT_ANNEX_SSH_SOCKET_DIR/ssh, or caching is off.
//
// Every process that may use a master holds the lock file next to its
// socket (socket + ".lock") shared, with fcntl locks that git-annex
// honours. Client.Close stops the master (ssh -O stop, then removes the
// socket) only when it can take that lock exclusively, so two concurrent
// Trove or git-annex processes sharing a connection never stop each
// other's; masters left by interrupted commands are stopped on the first
// use of the directory in a process.
package sshcmd
