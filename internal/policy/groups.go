package policy

// StandardGroup is one of git-annex's standard repository groups
// (Types/StandardGroups.hs).
type StandardGroup struct {
	// Name is the group name as written in group.log ("client").
	Name string
	// Description is the one-line description git-annex shows.
	Description string
	// Expr is the preferred-content expression "standard" expands to.
	Expr string
}

// LastResort wraps expr so that a repository also wants content lacking
// copies: "(" + expr + ") or approxlackingcopies=1".
func LastResort(expr string) string { return "(" + expr + ") or approxlackingcopies=1" }

const notArchived = "not (copies=archive:1 or copies=smallarchive:1)"

var (
	clientExpr  = LastResort("include=* and ((exclude=*/archive/* and exclude=archive/*) or (" + notArchived + "))")
	archiveExpr = LastResort(notArchived)
)

// StandardGroups lists the standard groups in git-annex's order.
var StandardGroups = []StandardGroup{
	{"client", "client: a repository on your computer", clientExpr},
	{"transfer", "transfer: distributes files to clients",
		LastResort("not (inallgroup=client and copies=client:2) and (" + clientExpr + ")")},
	{"backup", "full backup: backs up all files", "anything"},
	{"incrementalbackup", "incremental backup: backs up files not backed up elsewhere",
		LastResort("(not copies=backup:1) and (not copies=incrementalbackup:1)")},
	{"smallarchive", `small archive: archives files located in "archive" directories`,
		LastResort("(include=*/archive/* or include=archive/*) and (" + archiveExpr + ")")},
	{"archive", "full archive: archives all files not archived elsewhere", archiveExpr},
	{"source", "file source: moves files on to other repositories", "not (copies=1)"},
	{"manual", "manual mode: only stores files you manually choose", "present and (" + clientExpr + ")"},
	{"public", "public: publishes files located in an associated directory", "inpreferreddir"},
	{"unwanted", "unwanted: remove content from this repository", "not anything"},
}

// LookupStandardGroup returns the standard group called name.
func LookupStandardGroup(name string) (StandardGroup, bool) {
	for _, g := range StandardGroups {
		if g.Name == name {
			return g, true
		}
	}
	return StandardGroup{}, false
}
