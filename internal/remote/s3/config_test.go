package s3

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/troveproject/trove/internal/key"
	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/remote/remotetest"
	"github.com/troveproject/trove/internal/uuid"
)

func TestParseSettings(t *testing.T) {
	tests := []struct {
		name string
		cfg  remote.Config
		want settings
	}{
		{"git-annex defaults", remote.Config{}, settings{
			host: DefaultHost, port: 80, signature: SignatureV2, region: "us-east-1", storageClass: DefaultStorageClass,
		}},
		{"local MinIO", remote.Config{
			"bucket": "b", "host": "127.0.0.1", "port": "9000", "protocol": "http", "requeststyle": "path",
			"signature": "v4", "fileprefix": "pre/", "partsize": "6MiB", "x-amz-meta-owner": "me",
		}, settings{
			bucket: "b", prefix: "pre/", host: "127.0.0.1", port: 9000, pathStyle: true, signature: SignatureV4,
			region: "us-east-1", storageClass: DefaultStorageClass, partSize: 6 << 20,
			metadata: map[string]string{"x-amz-meta-owner": "me"},
		}},
		{"protocol=https implies 443", remote.Config{"protocol": "https"}, settings{
			host: DefaultHost, port: 443, secure: true, signature: SignatureV2, region: "us-east-1", storageClass: DefaultStorageClass,
		}},
		{"port=443 implies https", remote.Config{"port": "443"}, settings{
			host: DefaultHost, port: 443, secure: true, signature: SignatureV2, region: "us-east-1", storageClass: DefaultStorageClass,
		}},
		{"EU datacenter, public, versioning, small parts raised", remote.Config{
			"datacenter": "EU", "public": "yes", "versioning": "yes", "partsize": "1MiB", "storageclass": "REDUCED_REDUNDANCY",
		}, settings{
			host: DefaultHost, port: 80, signature: SignatureV2, region: "eu-west-1", storageClass: "REDUCED_REDUNDANCY",
			public: true, versioning: true, partSize: minPartSize,
		}},
		{"region overrides datacenter", remote.Config{"datacenter": "US", "region": "us-west-2", "signature": "anonymous"}, settings{
			host: DefaultHost, port: 80, signature: SignatureAnonymous, region: "us-west-2", storageClass: DefaultStorageClass,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSettings("s3", tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(settings{})); diff != "" {
				t.Errorf("parseSettings(%v) (-want +got):\n%s", tt.cfg, diff)
			}
		})
	}
}

func TestParseSettingsErrors(t *testing.T) {
	for _, cfg := range []remote.Config{
		{"port": "http"},
		{"port": "70000"},
		{"protocol": "ftp"},
		{"signature": "v3"},
		{"requeststyle": "virtual"},
		{"public": "true"},
		{"versioning": "1"},
		{"partsize": "lots"},
		{"host": ""},
	} {
		_, err := parseSettings("cloud", cfg)
		if err == nil {
			t.Errorf("parseSettings(%v) succeeded", cfg)
			continue
		}
		for f := range cfg {
			if !strings.Contains(err.Error(), f+"=") || !strings.Contains(err.Error(), "git annex enableremote cloud") {
				t.Errorf("parseSettings(%v) = %q; want the field and the command to fix it", cfg, err)
			}
		}
	}
}

func TestDefaultBucket(t *testing.T) {
	// As git-annex records it (golden from initremote MyCloud), and as it
	// uses it: lower case.
	u := uuid.UUID("eaddffae-c0b9-4cfb-b88f-0c486daf658c")
	if got, want := DefaultBucket("MyCloud", u), "MyCloud-eaddffae-c0b9-4cfb-b88f-0c486daf658c"; got != want {
		t.Errorf("DefaultBucket = %q, want %q", got, want)
	}
	r, err := New(remote.Params{Name: "MyCloud", UUID: u, Config: remote.Config{"bucket": DefaultBucket("MyCloud", u)}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Bucket(), "mycloud-eaddffae-c0b9-4cfb-b88f-0c486daf658c"; got != want {
		t.Errorf("bucket in use = %q, want %q", got, want)
	}
}

func TestWhereisPublicURLs(t *testing.T) {
	k, err := key.Parse("SHA256E-s3--5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03.txt")
	if err != nil {
		t.Fatal(err)
	}
	wk, err := key.Parse("WORM-s3-m1700000000--a b/c+d")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		cfg  remote.Config
		k    key.Key
		want []string
	}{
		{remote.Config{"bucket": "b"}, k, nil},
		{remote.Config{"bucket": "b", "public": "yes"}, k, []string{"https://b.s3.amazonaws.com/" + k.String()}},
		{remote.Config{"bucket": "b", "public": "yes", "host": "minio.example"}, k, nil},
		{remote.Config{"bucket": "b", "public": "yes", "publicurl": "http://cdn.example/x/", "fileprefix": "p/"}, wk,
			[]string{"http://cdn.example/x/p/WORM-s3-m1700000000--a%20b/c%2Bd"}},
	}
	for _, tt := range tests {
		r, err := New(remote.Params{Name: "s3", UUID: "e1cd61bb-feed-47a2-97e4-874d9cf00348", Config: tt.cfg})
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.Whereis(context.Background(), tt.k)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Whereis with %v (-want +got):\n%s", tt.cfg, diff)
		}
	}
}

func TestNewWithoutCredsFailsOnUseNamingTheVariables(t *testing.T) {
	t.Setenv(EnvAccessKey, "")
	t.Setenv(EnvSecretKey, "")
	r, err := New(remote.Params{Name: "cloud", UUID: "e1cd61bb-feed-47a2-97e4-874d9cf00348", Config: remote.Config{"host": "127.0.0.1", "port": "1"}, Host: remotetest.NewHost(t)})
	if err != nil {
		t.Fatalf("New without credentials: %v (it must not need them before use)", err)
	}
	_, err = r.CheckPresent(context.Background(), key.Key{Variety: "SHA256E", Name: "x"})
	if err == nil || !strings.Contains(err.Error(), EnvAccessKey) || remote.Retryable(err) {
		t.Errorf("CheckPresent without credentials = %v; want a permanent error naming %s", err, EnvAccessKey)
	}
}

func FuzzParseSettings(f *testing.F) {
	f.Add("port", "9000", "partsize", "6MiB", "signature", "v4")
	f.Add("protocol", "https", "public", "yes", "publicurl", "http://x/")
	f.Add("datacenter", "EU", "requeststyle", "path", "x-amz-meta-a", "b")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2, k3, v3 string) {
		s, err := parseSettings("f", remote.Config{k1: v1, k2: v2, k3: v3})
		if err != nil {
			return
		}
		if s.port <= 0 || s.port > 65535 || s.host == "" || s.partSize < 0 || (s.partSize > 0 && s.partSize < minPartSize) {
			t.Errorf("parseSettings accepted inconsistent settings %+v", s)
		}
		if s.endpoint() == "" {
			t.Errorf("empty endpoint for %+v", s)
		}
	})
}

// TestInfoGolden compares with what git-annex 10.20230126's info showed
// for a remote made with `initremote emb type=S3 encryption=none
// embedcreds=yes host=127.0.0.1 port=39555 protocol=http requeststyle=path
// bucket=embb partsize=6MiB public=no`, credentials unset.
func TestInfoGolden(t *testing.T) {
	t.Setenv(EnvAccessKey, "")
	t.Setenv(EnvSecretKey, "")
	cfg := remote.Config{
		"bucket": "embb", "datacenter": "US", "embedcreds": "yes", "encryption": "none", "host": "127.0.0.1",
		"name": "emb", "partsize": "6MiB", "port": "39555", "protocol": "http", "public": "no", "requeststyle": "path",
		"s3creds": "dHJvdmVhY2Nlc3MKdHJvdmVzZWNyZXQxMjMK", "storageclass": "STANDARD", "type": "S3",
	}
	r, err := New(remote.Params{Name: "emb", UUID: "d9514534-feb4-4c90-b0ba-c2ff23878053", Config: cfg, Host: remotetest.NewHost(t)})
	if err != nil {
		t.Fatal(err)
	}
	want := []remote.InfoField{
		{Name: "creds", Value: "embedded in git repository (not encrypted)"},
		{Name: "bucket", Value: "embb"},
		{Name: "endpoint", Value: "127.0.0.1"},
		{Name: "port", Value: "39555"},
		{Name: "protocol", Value: "http"},
		{Name: "storage class", Value: "STANDARD"},
		{Name: "partsize", Value: "6.29 megabytes"},
		{Name: "public", Value: "no"},
		{Name: "versioning", Value: "no"},
	}
	if diff := cmp.Diff(want, r.Info()); diff != "" {
		t.Errorf("Info (-git-annex +trove):\n%s", diff)
	}
	if r.Type() != "S3" {
		t.Errorf("Type = %q", r.Type())
	}
	delete(cfg, "s3creds")
	h := remotetest.NewHost(t)
	r, _ = New(remote.Params{Name: "emb", UUID: "d9514534-feb4-4c90-b0ba-c2ff23878053", Config: cfg, Host: h})
	if got := r.Info()[0].Value; got != "not available" {
		t.Errorf("creds without any = %q", got)
	}
	_ = h.SetCreds(context.Background(), "", "a", "b")
	if got := r.Info()[0].Value; got != "stored locally" {
		t.Errorf("creds in the local file = %q", got)
	}
	t.Setenv(EnvAccessKey, "a")
	t.Setenv(EnvSecretKey, "b")
	if got := r.Info()[0].Value; got != "from environment variables (AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY)" {
		t.Errorf("creds from the environment = %q", got)
	}
}
