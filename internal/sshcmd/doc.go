// Package sshcmd runs commands on other machines over ssh, the way
// git-annex does (Annex/Ssh.hs): it is, with gitcmd, the only package that
// starts ssh.
//
// A Location is where a git remote over ssh lives (ssh://[user@]host[:port]/path
// or scp-like [user@]host:path). A Client turns a remote command line into
// the ssh invocation git-annex would run: plain `ssh` with annex.ssh-options,
// remote.NAME.annex-ssh-options and, with annex.sshcaching, a connection
// master whose socket is under .git/annex/ssh/; or, when
// GIT_ANNEX_USE_GIT_SSH=1, git's GIT_SSH_COMMAND or GIT_SSH (which turns
// caching off, as in git-annex).
package sshcmd
