package testutil

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The server stores what is PUT in its directory, refuses requests
// without the password, and no longer answers once stopped.
func TestWebDAV(t *testing.T) {
	s := WebDAV(t)
	put := func(user, pass string) int {
		req, _ := http.NewRequest(http.MethodPut, s.URL+"/f.txt", strings.NewReader("hi"))
		req.SetBasicAuth(user, pass)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := put(s.User, "wrong"); code != http.StatusUnauthorized {
		t.Errorf("PUT with a wrong password: status %d, want 401", code)
	}
	if code := put(s.User, s.Password); code != http.StatusCreated {
		t.Errorf("PUT: status %d, want 201", code)
	}
	if b, err := os.ReadFile(filepath.Join(s.Dir, "f.txt")); err != nil || string(b) != "hi" {
		t.Errorf("stored file: %q, %v", b, err)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	if resp, err := http.Get(s.URL + "/"); err == nil {
		resp.Body.Close()
		t.Errorf("server still answers after Stop")
	}
}
