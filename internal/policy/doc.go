// Package policy implements git-annex's matching and preferred-content
// expression language (annex.largefiles, preferred and required content,
// the standard groups), together with the small policy types those
// expressions and drop-safety checks use: trust levels, numcopies and
// mincopies.
//
// Parsing follows git-annex 10.20230126 exactly (Utility/Matcher.hs,
// Annex/FileMatcher.hs, Limit.hs): expressions are split on white space with
// parentheses as tokens of their own, combined strictly left to right with
// no operator precedence, terms next to each other are and-ed, unbalanced
// parentheses are tolerated, and the empty expression matches everything.
//
// The package does no I/O. An expression is evaluated against a Subject
// (the file or key being considered) and an Env (what the repository
// knows: locations, trust, groups, numcopies, metadata), both implemented by
// the caller. Parsed expressions are immutable and safe for concurrent use.
package policy
