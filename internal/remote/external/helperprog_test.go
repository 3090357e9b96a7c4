package external

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/troveproject/trove/internal/extproto"
)

// The test binary doubles as a helper program: with helperEnv set, TestMain
// runs testHelper (a directory-backed external special remote) instead of
// the tests. helperScript puts it on disk as git-annex-remote-<name>.
const helperEnv = "TROVE_EXTERNAL_TEST_HELPER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(testHelper(mode, os.Stdin, os.Stdout))
	}
	os.Exit(m.Run())
}

// helperScript writes git-annex-remote-<name> into a new directory: a
// shell script running this test binary as a helper in mode, and returns
// the directory (for PATH) and the script's path.
func helperScript(t *testing.T, name, mode string) (dir, path string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if mode == "" {
		mode = "plain"
	}
	dir = t.TempDir()
	path = filepath.Join(dir, ProgramPrefix+name)
	script := fmt.Sprintf("#!/bin/sh\n%s=%s exec %q\n", helperEnv, mode, exe)
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir, path
}

// testHelper speaks the protocol as a helper program. Modes (joined with
// ","): async (takes ASYNC), crash (exits during TRANSFER), garbage
// (answers CHECKPRESENT with a malformed line), hang (sends PROGRESS 1
// during TRANSFER then never answers), error (sends ERROR on REMOVE),
// version2, badext (asks for an unknown extension), preparefail,
// initfail, listconfigs; export requests are served by serveExport
// (modes noexport, norename).
func testHelper(mode string, in io.Reader, out io.Writer) int {
	modes := map[string]bool{}
	for _, m := range strings.Split(mode, ",") {
		modes[m] = true
	}
	r := extproto.NewReader(in)
	var wmu sync.Mutex
	w := bufio.NewWriter(out)
	if pidDir := os.Getenv("HELPER_PID_DIR"); pidDir != "" {
		_ = os.WriteFile(filepath.Join(pidDir, strconv.Itoa(os.Getpid())), nil, 0o644)
	}
	write := func(m extproto.Message) {
		wmu.Lock()
		defer wmu.Unlock()
		_ = extproto.Write(w, m)
		w.Flush()
	}
	if modes["version2"] {
		write(extproto.New(extproto.Version, "2"))
	} else {
		write(extproto.New(extproto.Version, "1"))
	}
	// The handshake, then every line is dispatched to its job's goroutine.
	line, err := r.ReadLine()
	if err != nil {
		return 0
	}
	if m, err := extproto.ParseFromAnnex(line); err != nil || m.Command != extproto.Extensions {
		write(extproto.New(extproto.Error, "expected EXTENSIONS"))
		return 1
	}
	async := modes["async"]
	switch {
	case modes["badext"]:
		write(extproto.New(extproto.Extensions, "INFO TELEPATHY"))
	case async:
		write(extproto.New(extproto.Extensions, "INFO ASYNC"))
	default:
		write(extproto.New(extproto.Extensions, "INFO"))
	}
	var smu sync.Mutex
	store := ""
	jobs := map[int]chan extproto.Message{}
	var wg sync.WaitGroup
	for {
		line, err := r.ReadLine()
		if err != nil {
			break
		}
		job := 0
		if async {
			n, rest, ok := extproto.SplitJob(line)
			if !ok {
				write(extproto.New(extproto.Error, "unframed "+line))
				return 1
			}
			job, line = n, rest
		}
		m, err := extproto.ParseFromAnnex(line)
		if err != nil {
			write(extproto.New(extproto.Error, "cannot parse "+line))
			return 1
		}
		ch, ok := jobs[job]
		if !ok {
			ch = make(chan extproto.Message, 16)
			jobs[job] = ch
			wg.Add(1)
			go func() {
				defer wg.Done()
				serveJob(job, ch, write, modes, &smu, &store)
			}()
		}
		ch <- m
	}
	for _, ch := range jobs {
		close(ch)
	}
	wg.Wait()
	return 0
}

// serveJob handles the requests of one job of testHelper.
func serveJob(job int, in <-chan extproto.Message, write func(extproto.Message), modes map[string]bool, smu *sync.Mutex, storep *string) {
	send := func(cmd string, params ...string) {
		m := extproto.New(cmd, params...)
		if cmd != extproto.Error {
			m.Job = job
		}
		write(m)
	}
	recv := func() (extproto.Message, bool) {
		m, ok := <-in
		return m, ok
	}
	ask := func(cmd string, params ...string) string {
		send(cmd, params...)
		m, ok := recv()
		if !ok {
			os.Exit(2)
		}
		return m.Param(0)
	}
	getStore := func() string {
		smu.Lock()
		defer smu.Unlock()
		return *storep
	}
	setStore := func(s string) {
		smu.Lock()
		defer smu.Unlock()
		*storep = s
	}
	objectPath := func(ks string) string {
		return filepath.Join(getStore(), ask(extproto.DirHashLower, ks), ks)
	}
	for {
		m, ok := recv()
		if !ok {
			return
		}
		switch m.Command {
		case extproto.ListConfigs:
			if !modes["listconfigs"] {
				send(extproto.UnsupportedRequest)
				continue
			}
			send(extproto.Config, "storedir", "where to store")
			send(extproto.Config, "myextra", "an extra setting")
			send(extproto.ConfigEnd)
		case extproto.InitRemote:
			store := ask(extproto.GetConfig, "storedir")
			setStore(store)
			if modes["initfail"] || store == "" {
				send(extproto.InitRemoteFailure, "You need to set storedir=")
				continue
			}
			send(extproto.SetConfig, "myextra", "hello world")
			send(extproto.SetCreds, "mycreds", "user", "pass word")
			if err := os.MkdirAll(store, 0o755); err != nil {
				send(extproto.InitRemoteFailure, err.Error())
				continue
			}
			send(extproto.InitRemoteSuccess)
		case extproto.Prepare:
			store := ask(extproto.GetConfig, "storedir")
			setStore(store)
			_ = ask(extproto.GetUUID)
			_ = ask(extproto.GetGitRemoteName)
			_ = ask(extproto.GetGitDir)
			if modes["preparefail"] {
				send(extproto.PrepareFailure, "no network")
				continue
			}
			send(extproto.Debug, "prepared "+store)
			send(extproto.PrepareSuccess)
		case extproto.GetCost:
			send(extproto.Cost, "150")
		case extproto.GetAvailability:
			send(extproto.Availability, extproto.Local)
		case extproto.Transfer:
			dir, ks, file := m.Param(0), m.Param(1), m.Param(2)
			if modes["crash"] {
				os.Exit(3)
			}
			if modes["hang"] {
				send(extproto.Progress, "1")
				select {}
			}
			if dir == extproto.Store {
				data, err := os.ReadFile(file)
				if err != nil {
					send(extproto.TransferFailure, dir, ks, err.Error())
					continue
				}
				p := objectPath(ks)
				_ = os.MkdirAll(filepath.Dir(p), 0o755)
				if filepath.Base(file) != ks {
					send(extproto.TransferFailure, dir, ks, "file not named by its key: "+file)
					continue
				}
				tmp, err := os.CreateTemp(filepath.Dir(p), "tmp")
				if err == nil {
					_, err = tmp.Write(data)
					if cerr := tmp.Close(); err == nil {
						err = cerr
					}
				}
				if err != nil {
					send(extproto.TransferFailure, dir, ks)
					continue
				}
				send(extproto.SetState, ks, "stored by helper")
				if err := os.Rename(tmp.Name(), p); err != nil {
					send(extproto.TransferFailure, dir, ks, err.Error())
					continue
				}
				send(extproto.Progress, strconv.Itoa(len(data)/2))
				send(extproto.Progress, strconv.Itoa(len(data)))
				send(extproto.SetURIPresent, ks, "testext:"+ks)
				send(extproto.SetURLPresent, ks, "http://example.com/"+ks)
				send(extproto.Info, "stored "+ks)
				send(extproto.TransferSuccess, dir, ks)
				continue
			}
			data, err := os.ReadFile(objectPath(ks))
			if err != nil {
				send(extproto.TransferFailure, dir, ks) // no message: accepted
				continue
			}
			if st := ask(extproto.GetState, ks); st != "stored by helper" {
				send(extproto.TransferFailure, dir, ks, "unexpected state "+strconv.Quote(st))
				continue
			}
			if err := os.WriteFile(file, data, 0o644); err != nil {
				send(extproto.TransferFailure, dir, ks, err.Error())
				continue
			}
			send(extproto.Progress, strconv.Itoa(len(data)))
			send(extproto.TransferSuccess, dir, ks)
		case extproto.CheckPresent:
			ks := m.Param(0)
			if modes["garbage"] {
				send("BANANA", ks)
				continue
			}
			if strings.HasPrefix(ks, "WORM-s1--unknown") {
				send(extproto.CheckPresentUnknown, ks, "cannot reach the store")
				continue
			}
			if _, err := os.Stat(objectPath(ks)); err == nil {
				send(extproto.CheckPresentSuccess, ks)
			} else {
				send(extproto.CheckPresentFailure, ks)
			}
		case extproto.Remove:
			ks := m.Param(0)
			if modes["error"] {
				send(extproto.Error, "the store caught fire")
				continue
			}
			if err := os.Remove(objectPath(ks)); err != nil && !os.IsNotExist(err) {
				send(extproto.RemoveFailure, ks, err.Error())
				continue
			}
			send(extproto.SetURIMissing, ks, "testext:"+ks)
			send(extproto.RemoveSuccess, ks)
		case extproto.Whereis:
			send(extproto.GetURLs, m.Param(0), "testext:")
			var urls []string
			for {
				v, ok := recv()
				if !ok {
					os.Exit(2)
				}
				if v.Param(0) == "" {
					break
				}
				urls = append(urls, v.Param(0))
			}
			if len(urls) == 0 {
				send(extproto.WhereisFailure)
				continue
			}
			send(extproto.WhereisSuccess, strings.Join(urls, " "))
		case extproto.GetInfo:
			send(extproto.InfoField, "store dir")
			send(extproto.InfoValue, getStore())
			send(extproto.InfoEnd)
		case extproto.ClaimURL:
			if strings.HasPrefix(m.Param(0), "testext:") {
				send(extproto.ClaimURLSuccess)
			} else {
				send(extproto.ClaimURLFailure)
			}
		case extproto.CheckURL:
			switch u := m.Param(0); {
			case strings.HasSuffix(u, "/list"):
				send(extproto.CheckURLMulti, "testext:a 3 a.txt testext:b UNKNOWN b.txt")
			case strings.HasPrefix(u, "testext:"):
				send(extproto.CheckURLContents, "5", "some file.txt")
			default:
				send(extproto.CheckURLFailure, "not mine: "+u)
			}
		default:
			if !serveExport(job, m, send, getStore(), modes) {
				send(extproto.UnsupportedRequest)
			}
		}
	}
}
