package s3

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/troveproject/trove/internal/remote"
	"github.com/troveproject/trove/internal/units"
	"github.com/troveproject/trove/internal/uuid"
)

// Configuration fields of remote.log, as git-annex names them.
const (
	BucketField       = "bucket"
	FilePrefixField   = "fileprefix"
	HostField         = "host"
	PortField         = "port"
	ProtocolField     = "protocol"
	RequestStyleField = "requeststyle"
	SignatureField    = "signature"
	DatacenterField   = "datacenter"
	RegionField       = "region"
	StorageClassField = "storageclass"
	PartSizeField     = "partsize"
	PublicField       = "public"
	PublicURLField    = "publicurl"
	VersioningField   = "versioning"
	ExportTreeField   = "exporttree"
	ImportTreeField   = "importtree"
	// metaPrefix starts the fields that become object metadata headers.
	metaPrefix = "x-amz-meta-"
	// credsField is where git-annex embeds S3 credentials in remote.log.
	credsField = "s3creds"
)

// Defaults git-annex writes into remote.log at initremote.
const (
	DefaultHost         = "s3.amazonaws.com"
	DefaultDatacenter   = "US"
	DefaultStorageClass = "STANDARD"
)

// Signature versions (signature=).
const (
	SignatureV2        = "v2"
	SignatureV4        = "v4"
	SignatureAnonymous = "anonymous"
)

// minPartSize is the smallest part S3 accepts in a multipart upload other
// than the last; smaller partsize= values are raised to it.
const minPartSize = 5 << 20

// settings are a remote's parsed configuration.
type settings struct {
	bucket       string
	prefix       string
	host         string
	port         int
	secure       bool
	pathStyle    bool
	signature    string
	region       string
	storageClass string
	partSize     int64 // 0: never multipart
	public       bool
	publicURL    string
	versioning   bool
	exportTree   bool
	importTree   bool
	metadata     map[string]string
	// embedded describes the credentials embedded in remote.log, for info: ""
	// (none), "not encrypted" or "gpg encrypted".
	embedded string
}

// DefaultBucket is the bucket= value git-annex records for a remote
// called name with UUID u: "<name>-<uuid>". Like every bucket= value, it
// is used in lower case (S3 bucket names are).
func DefaultBucket(name string, u uuid.UUID) string {
	return name + "-" + string(u)
}

// parseSettings reads cfg (a remote.log entry) as git-annex does. Errors
// name the field and its bad value, and how to fix it.
func parseSettings(name string, cfg remote.Config) (settings, error) {
	s := settings{
		bucket:       strings.ToLower(cfg.Get(BucketField, "")),
		prefix:       cfg.Get(FilePrefixField, ""),
		host:         cfg.Get(HostField, DefaultHost),
		storageClass: cfg.Get(StorageClassField, DefaultStorageClass),
		publicURL:    cfg.Get(PublicURLField, ""),
	}
	bad := func(field, why string) (settings, error) {
		return settings{}, fmt.Errorf("remote %s: bad %s=%s: %s (fix it with `git annex enableremote %s %s=...`)", name, field, cfg[field], why, name, field)
	}
	if s.host == "" {
		return bad(HostField, "empty host")
	}
	var err error
	if s.public, err = yesNo(cfg, PublicField); err != nil {
		return bad(PublicField, err.Error())
	}
	if s.versioning, err = yesNo(cfg, VersioningField); err != nil {
		return bad(VersioningField, err.Error())
	}
	if s.exportTree, err = yesNo(cfg, ExportTreeField); err != nil {
		return bad(ExportTreeField, err.Error())
	}
	if s.importTree, err = yesNo(cfg, ImportTreeField); err != nil {
		return bad(ImportTreeField, err.Error())
	}
	if v, ok := cfg[PortField]; ok {
		p, err := strconv.Atoi(v)
		if err != nil || p <= 0 || p > 65535 {
			return bad(PortField, "not a port number")
		}
		s.port = p
	}
	switch cfg[ProtocolField] {
	case "https":
		s.secure = true
	case "http":
	case "":
		s.secure = s.port == 443
	default:
		return bad(ProtocolField, "expected http or https")
	}
	if s.port == 0 {
		s.port = 80
		if s.secure {
			s.port = 443
		}
	}
	switch cfg[RequestStyleField] {
	case "path":
		s.pathStyle = true
	case "", "dns":
	default:
		return bad(RequestStyleField, "expected path")
	}
	switch v := cfg.Get(SignatureField, SignatureV2); v {
	case SignatureV2, SignatureV4, SignatureAnonymous:
		s.signature = v
	default:
		return bad(SignatureField, "expected v2, v4 or anonymous")
	}
	s.region = cfg[RegionField]
	if s.region == "" {
		s.region = regionOf(cfg.Get(DatacenterField, DefaultDatacenter))
	}
	if v, ok := cfg[PartSizeField]; ok {
		n, err := units.ParseSize(v)
		if err != nil || n < 0 {
			return bad(PartSizeField, "not a size such as 1GiB")
		}
		if n > 0 && n < minPartSize {
			n = minPartSize
		}
		s.partSize = n
	}
	if s.publicURL != "" {
		if _, err := url.Parse(s.publicURL); err != nil {
			return bad(PublicURLField, err.Error())
		}
	}
	if _, ok := cfg[credsField]; ok {
		s.embedded = "not encrypted"
		if _, ok := cfg["cipher"]; ok {
			s.embedded = "gpg encrypted"
		}
	}
	for k, v := range cfg {
		if strings.HasPrefix(k, metaPrefix) {
			if s.metadata == nil {
				s.metadata = map[string]string{}
			}
			s.metadata[k] = v
		}
	}
	return s, nil
}

// yesNo parses a yes/no field; unset is no.
func yesNo(cfg remote.Config, field string) (bool, error) {
	switch cfg[field] {
	case "yes":
		return true, nil
	case "", "no":
		return false, nil
	}
	return false, fmt.Errorf("expected yes or no")
}

// regionOf maps git-annex's datacenter= to an AWS region: "US" (the
// default) is us-east-1, "EU" eu-west-1, anything else is a region name.
func regionOf(datacenter string) string {
	switch datacenter {
	case "US", "":
		return "us-east-1"
	case "EU":
		return "eu-west-1"
	}
	return datacenter
}

// endpoint is the host:port minio-go connects to. With the default host,
// the port is left out (the library picks the region's AWS endpoint).
func (s settings) endpoint() string {
	if s.host == DefaultHost && (s.port == 80 || s.port == 443) {
		return s.host
	}
	if (s.secure && s.port == 443) || (!s.secure && s.port == 80) {
		return s.host
	}
	return s.host + ":" + strconv.Itoa(s.port)
}

// object is the name of k's object: fileprefix + the key, flat.
func (s settings) object(name string) string { return s.prefix + name }

// uuidObject is the name of the bucket's marker object.
func (s settings) uuidObject() string { return s.prefix + "annex-uuid" }

// publicURLFor returns the URL anyone can download object from, or ""
// when the remote is not public or git-annex would know no URL for it.
func (s settings) publicURLFor(object string) string {
	if !s.public {
		return ""
	}
	esc := escapeObject(object)
	switch {
	case s.publicURL != "":
		return s.publicURL + esc
	case s.host == DefaultHost:
		return "https://" + s.bucket + ".s3.amazonaws.com/" + esc
	}
	return ""
}

// escapeObject URI-escapes an object name as git-annex does for public
// URLs: every byte outside the unreserved set, except '/', is %XX.
func escapeObject(o string) string {
	var b strings.Builder
	for i := 0; i < len(o); i++ {
		c := o[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '~', c == '/':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
