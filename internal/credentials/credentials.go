// Package credentials decides where terraform-provider-imm's credentials come
// from. It knows nothing of Terraform: the provider maps its configuration
// into a Settings value and the errors returned here into diagnostics.
//
// The sources, in the order they are tried (DECISIONS.md, "Credential
// precedence"):
//
//  1. the settings: AccessKey/SecretKey/SecurityToken, Profile (with
//     SharedCredentialsFile), ECSRoleName, AssumeRoleWithOIDC, CredentialsURI;
//     the provider's schema lets at most one of them be set;
//  2. environment variables: IMM_*, ALIBABA_CLOUD_*, ALICLOUD_* keys, then
//     the OIDC variables, then ALIBABA_CLOUD_CREDENTIALS_URI;
//  3. the profile named by ALIBABA_CLOUD_PROFILE;
//  4. credentials-go's default chain (the aliyun CLI's current profile,
//     ~/.alibabacloud/credentials, the ECS instance's RAM role).
//
// The first source that is configured is chosen and asked for a credential at
// once, so a broken source is one clear error rather than a failure in every
// request. An AssumeRole setting then assumes a role with that credential.
// Every credential, token exchange, refresh and signature is credentials-go's;
// this package only chooses which of its providers to build, checks the
// documented forms of the settings before anything is sent (rules.go), and
// turns credentials-go's failures into typed errors whose text holds no secret
// (errors.go).
package credentials

import (
	"sync"

	alicredentials "github.com/aliyun/credentials-go/credentials"
	"github.com/aliyun/credentials-go/credentials/providers"
)

// Defaults and bounds of a role session.
const (
	DefaultRoleSessionName   = "terraform-provider-imm"
	DefaultSessionExpiration = 3600 // seconds
	MinSessionExpiration     = 900
	MaxSessionExpiration     = 43200
)

// Settings are the credential arguments of the provider block. An empty
// string, a zero and a nil block all mean "not set".
type Settings struct {
	AccessKey     string // AccessKey ID; needs SecretKey
	SecretKey     string
	SecurityToken string // makes AccessKey/SecretKey an STS token

	Profile               string // a profile of the aliyun CLI, else of ~/.alibabacloud/credentials
	SharedCredentialsFile string // the aliyun CLI's config.json; default ALIBABA_CLOUD_CONFIG_FILE, ~/.aliyun/config.json

	ECSRoleName        string // the ECS instance's RAM role
	AssumeRoleWithOIDC *AssumeRoleWithOIDC
	CredentialsURI     string // an http(s) URL serving a credential

	// AssumeRole, when set, is assumed with whatever source was chosen.
	AssumeRole *AssumeRole
}

// AssumeRole is a RAM role to assume with the chosen credential (STS
// AssumeRole).
type AssumeRole struct {
	RoleARN           string // acs:ram::<account id>:role/<role name>
	SessionName       string // default DefaultRoleSessionName
	SessionExpiration int    // seconds; 0 means DefaultSessionExpiration
	Policy            string // a RAM policy document (JSON) narrowing the session
	ExternalID        string
	STSEndpoint       string // host[:port] or https://host[:port]; "" is credentials-go's default
}

// AssumeRoleWithOIDC exchanges an OIDC token for a RAM role's credential (STS
// AssumeRoleWithOIDC).
type AssumeRoleWithOIDC struct {
	RoleARN           string
	OIDCProviderARN   string // acs:ram::<account id>:oidc-provider/<name>
	OIDCTokenFile     string // read again at each renewal
	SessionName       string
	SessionExpiration int
	Policy            string
	STSEndpoint       string
}

// Environment is what resolution reads besides the settings.
type Environment struct {
	// Getenv reads an environment variable. Tests pass their own, so that
	// they can run in parallel. credentials-go still reads some variables
	// from the process itself (ALIBABA_CLOUD_STS_REGION,
	// ALIBABA_CLOUD_ECS_METADATA_DISABLED, ...), which keep their meaning.
	Getenv func(string) string
	// Proxy, when set, is the HTTP proxy of the sources that fetch their
	// credential over HTTP (ECS metadata, OIDC, credentials URI, STS). Tests
	// set it: credentials-go fixes the ECS metadata service's address
	// (100.100.100.200) and offers no other way to reach a stand-in. Empty
	// in production: credentials-go's own settings apply.
	Proxy string
}

// httpOptions are the credentials-go HTTP options env asks for, or nil.
func (env Environment) httpOptions() *providers.HttpOptions {
	if env.Proxy == "" {
		return nil
	}
	return &providers.HttpOptions{Proxy: env.Proxy}
}

// Resolved is the credential to sign with, and where it came from.
type Resolved struct {
	// Credential signs requests and renews itself when it is temporary. It
	// is safe for concurrent use; its errors are *FetchError.
	Credential alicredentials.Credential
	// Source names the source, such as "the environment variables
	// IMM_ACCESS_KEY_ID, IMM_ACCESS_KEY_SECRET and IMM_SESSION_TOKEN".
	Source string
	// AccessKeyID is the AccessKey ID obtained at resolution.
	AccessKeyID string
}

// MaskedAccessKeyID shows enough of the AccessKey ID to recognise it in logs.
func (r *Resolved) MaskedAccessKeyID() string {
	id := r.AccessKeyID
	if len(id) <= 8 {
		return "****"
	}
	return id[:4] + "****" + id[len(id)-3:]
}

// Resolve checks the settings' forms, picks the first configured source, asks
// it for a credential, assumes the AssumeRole setting's role with it when
// there is one, and asks for the role's credential too. Its errors are
// *SettingError, *MisconfiguredSourceError, *SourceFailedError,
// *NoSourceError and *AssumeRoleError.
func Resolve(s Settings, env Environment) (*Resolved, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	p, source, err := chooseSource(s, env)
	if err != nil {
		return nil, err
	}
	c, err := p.GetCredentials()
	if err != nil {
		return nil, &SourceFailedError{Source: source, Err: err}
	}
	if s.AssumeRole != nil {
		if p, c, source, err = assumeRole(*s.AssumeRole, p, source, env); err != nil {
			return nil, err
		}
	}
	locked := &lockedProvider{provider: p, source: source}
	return &Resolved{Credential: alicredentials.FromCredentialsProvider(p.GetProviderName(), locked),
		Source: source, AccessKeyID: c.AccessKeyId}, nil
}

// assumeRole assumes r's role with the base credential and asks for the
// role's first session.
func assumeRole(r AssumeRole, base providers.CredentialsProvider, baseSource string, env Environment) (
	providers.CredentialsProvider, *providers.Credentials, string, error) {
	r = r.withDefaults()
	roleErr := &AssumeRoleError{RoleARN: r.RoleARN, SessionName: r.SessionName,
		STSEndpoint: normalizeSTSEndpoint(r.STSEndpoint), BaseSource: baseSource}
	role, err := providers.NewRAMRoleARNCredentialsProviderBuilder().
		WithCredentialsProvider(base).
		WithRoleArn(r.RoleARN).
		WithRoleSessionName(r.SessionName).
		WithDurationSeconds(r.SessionExpiration).
		WithPolicy(r.Policy).
		WithExternalId(r.ExternalID).
		WithStsEndpoint(normalizeSTSEndpoint(r.STSEndpoint)).
		WithHttpOptions(env.httpOptions()).
		Build()
	if err != nil {
		roleErr.Err = err
		return nil, nil, "", roleErr
	}
	c, err := role.GetCredentials()
	if err != nil {
		roleErr.Err, roleErr.Sent = err, true
		return nil, nil, "", roleErr
	}
	return role, c, "the role " + r.RoleARN + ", assumed with the credentials from " + baseSource, nil
}

func (r AssumeRole) withDefaults() AssumeRole {
	r.SessionName = firstNonEmpty(r.SessionName, DefaultRoleSessionName)
	if r.SessionExpiration == 0 {
		r.SessionExpiration = DefaultSessionExpiration
	}
	return r
}

// lockedProvider serializes calls to a credentials-go provider. The
// refreshing providers (RAM role, OIDC, ECS, URI) keep their session in plain
// fields, and Terraform calls IMM from several goroutines at once. It also
// names the source in the error when a renewal fails during an apply.
type lockedProvider struct {
	mu       sync.Mutex
	provider providers.CredentialsProvider
	source   string
}

func (l *lockedProvider) GetCredentials() (*providers.Credentials, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, err := l.provider.GetCredentials()
	if err != nil {
		return nil, &FetchError{Source: l.source, Err: err}
	}
	return c, nil
}

func (l *lockedProvider) GetProviderName() string { return l.provider.GetProviderName() }

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
