package encrypted

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/troveproject/trove/internal/remote"
)

// fixtureDir is where internal/crypto keeps objects git-annex stored.
var fixtureDir = filepath.Join("..", "..", "crypto", "testdata", "gitannex")

// fixtureConfig returns the remote.log config of the fixture remote name.
func fixtureConfig(t *testing.T, name string) remote.Config {
	t.Helper()
	f, err := os.Open(filepath.Join(fixtureDir, "remote.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		cfg := remote.Config{}
		for _, field := range strings.Fields(sc.Text())[1:] {
			k, v, _ := strings.Cut(field, "=")
			cfg[k] = v
		}
		if cfg["name"] == name {
			return cfg
		}
	}
	t.Fatalf("no fixture remote %s", name)
	return nil
}
