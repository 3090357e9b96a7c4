package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWriteSmallCountsSizesAndReproducibility(t *testing.T) {
	spec := smallSpec{N: 25, Min: 10, Max: 20, PerDir: 10}
	a, b := t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if err := writeSmall(d, spec, 7); err != nil {
			t.Fatal(err)
		}
	}
	var files []string
	err := filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		files = append(files, rel)
		ca, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if len(ca) < spec.Min || len(ca) > spec.Max {
			t.Errorf("%s has %d bytes, want %d..%d", rel, len(ca), spec.Min, spec.Max)
		}
		cb, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil {
			return err
		}
		if !bytes.Equal(ca, cb) {
			t.Errorf("%s differs between two runs with the same seed", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != spec.N {
		t.Fatalf("wrote %d files, want %d", len(files), spec.N)
	}
	if diff := cmp.Diff(filepath.Join("d0002", "f000024.bin"), files[len(files)-1]); diff != "" {
		t.Errorf("last file (-want +got):\n%s", diff)
	}
}

func TestWriteBigSizeAndSeed(t *testing.T) {
	dir := t.TempDir()
	p1, p2 := filepath.Join(dir, "1"), filepath.Join(dir, "2")
	if err := writeBig(p1, 100_003, 1); err != nil {
		t.Fatal(err)
	}
	if err := writeBig(p2, 100_003, 2); err != nil {
		t.Fatal(err)
	}
	c1, _ := os.ReadFile(p1)
	c2, _ := os.ReadFile(p2)
	if len(c1) != 100_003 || len(c2) != 100_003 {
		t.Fatalf("sizes %d and %d, want 100003", len(c1), len(c2))
	}
	if bytes.Equal(c1, c2) {
		t.Error("different seeds gave the same content")
	}
}

func TestRunRejectsBadInput(t *testing.T) {
	if err := run("", smallSpec{}, "", 0, 1); err == nil {
		t.Error("run with nothing to do: want an error")
	}
	if err := writeSmall(t.TempDir(), smallSpec{N: 1, Min: 5, Max: 4, PerDir: 1}, 1); err == nil {
		t.Error("writeSmall with Max < Min: want an error")
	}
}
