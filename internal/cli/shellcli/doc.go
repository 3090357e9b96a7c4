// Package shellcli is the git-annex-shell face of the binary: the program
// sshd runs on the server side of an ssh git remote (CmdLine/GitAnnexShell.hs).
//
// It serves the git-annex plumbing commands (configlist, p2pstdio, inannex,
// lockcontent, dropkey, commit, transferinfo) on the repository the client
// names, honours GIT_ANNEX_SHELL_READONLY, _APPENDONLY, _LIMITED and
// _DIRECTORY, and hands any other command (git-upload-pack,
// git-receive-pack, git-upload-archive) to git-shell, as git-annex-shell
// does. Messages go to standard error as "git-annex-shell: ...".
package shellcli
