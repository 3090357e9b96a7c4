// Package units parses and formats data sizes exactly as git-annex does
// (Utility/DataUnits.hs): ParseSize accepts what git-annex's readSize
// accepts with its dataUnits table ("1.5GB", "10 kilobytes", "2MiB",
// "100kbit"), and RoughSize renders the rounded sizes git-annex prints, short
// ("1.23 MB", the humansize of find/examinekey) or long ("13 bytes",
// "81.58 gigabytes", as in info).
//
// The package is pure and safe for concurrent use.
package units
