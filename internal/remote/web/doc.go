// Package web is git-annex's built-in web special remote: content that can
// be downloaded from URLs recorded for a key in the git-annex branch (the
// key's .log.web file). It is read-mostly: Retrieve and CheckPresent go to
// the URLs, Store is refused, and Remove only forgets the URLs.
//
// Every access obeys git-annex's security settings:
// annex.security.allowed-url-schemes (default "http https ftp") and
// annex.security.allowed-ip-addresses (by default no loopback or private
// addresses). The Client that applies them is exported for `addurl`.
package web
