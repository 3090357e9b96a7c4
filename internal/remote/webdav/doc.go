// Package webdav is the webdav special remote: annexed content kept on a
// WebDAV server, laid out exactly as git-annex 10 lays it out, so that
// either program reads what the other stored.
//
// Layout, relative to the url= setting:
//
//	<hashDirLower>/<keyFile>/<keyFile>      the content of a key
//	git-annex-webdav-tmp-<keyFile>          an upload in progress
//
// A store PUTs the content under the temporary name, DELETEs any old
// copy, creates the key's collections with MKCOL (parents first, when
// the server says they are missing) and MOVEs the upload into place, so
// no partial object is ever visible under its final name. Presence is a
// PROPFIND (Depth 1) of the key's file; removal DELETEs the key's
// collection; retrieval is a GET, resumed with a Range request.
//
// Credentials are, in git-annex's order, WEBDAV_USERNAME and
// WEBDAV_PASSWORD from the environment, then what the repository stored
// for the remote (.git/annex/creds/<uuid>, or davcreds= in remote.log
// with embedcreds=yes), through remote.Host. They are sent with HTTP
// basic authentication.
//
// Chunking (chunk=) and encryption are done by the chunked and encrypted
// decorators stacked over this remote; the legacy chunksize= layout is
// not supported.
package webdav
