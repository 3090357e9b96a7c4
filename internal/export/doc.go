// Package export plans how to make a remote that holds one exported tree
// hold another, as git-annex's export does: files whose content moved are
// renamed (through a temporary name, so that swaps and cycles never lose a
// file), files no longer in the tree are removed, then new or changed
// files are uploaded. It is pure: the annex layer lists the trees, asks
// which keys the remote really has, and carries the plan out through the
// remote's remote.Exporter.
package export
