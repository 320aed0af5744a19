package credentials

import (
	"fmt"
	"strings"

	"github.com/aliyun/credentials-go/credentials/providers"
)

// source is one place credentials can come from.
type source struct {
	name string // names the source in errors and logs, such as "the environment variables IMM_..."
	hint string // how to set it, for the error listing every source
	// build returns nil, nil when the source is not configured, and an error
	// when it is configured but cannot be used as configured.
	build func() (providers.CredentialsProvider, error)
}

const (
	defaultChainName = "credentials-go's default chain (the aliyun CLI's current profile in ~/.aliyun/config.json, " +
		"the default profile of ~/.alibabacloud/credentials, the ECS instance's RAM role)"
	defaultChainHint = "run `aliyun configure`, or run Terraform on an ECS instance with a RAM role"
)

// chooseSource returns the first configured source's provider and name. Its
// errors: the chosen source is misconfigured (*MisconfiguredSourceError), or
// no source is configured (*NoSourceError, listing them all).
func chooseSource(s Settings, env Environment) (providers.CredentialsProvider, string, error) {
	var tried []Attempt
	for _, src := range sources(s, env) {
		p, err := src.build()
		if err != nil {
			return nil, "", &MisconfiguredSourceError{Source: src.name, Err: err}
		}
		if p != nil {
			return p, src.name, nil
		}
		tried = append(tried, Attempt{Source: src.name, Hint: src.hint})
	}
	// credentials-go's chain can only tell whether it is configured by
	// trying: ask it now, and report why it failed along with the others.
	chain := providers.NewDefaultCredentialsProvider()
	_, err := chain.GetCredentials()
	if err == nil {
		return chain, defaultChainName, nil
	}
	tried = append(tried, Attempt{Source: defaultChainName, Hint: defaultChainHint, Err: err})
	return nil, "", &NoSourceError{Tried: tried}
}

// sources lists the sources before the default chain, in order.
func sources(s Settings, env Environment) []source {
	getenv := env.getenv()
	oidc := oidcSettingsFromBlock(s.AssumeRoleWithOIDC)
	return []source{
		{
			name: "the provider arguments access_key, secret_key and security_token",
			hint: "set access_key and secret_key in the provider block",
			build: staticKeys([3]string{"access_key", "secret_key", "security_token"},
				[3]string{s.AccessKey, s.SecretKey, s.SecurityToken}),
		},
		profileSource(s.Profile, s.SharedCredentialsFile, "the provider argument profile",
			`set profile = "NAME" for a profile of the aliyun CLI or of ~/.alibabacloud/credentials`, env),
		{
			name:  ecsRoleSourceName(s.ECSRoleName),
			hint:  "set ecs_role_name to the role attached to the ECS instance",
			build: ecsRoleProvider(s.ECSRoleName, env),
		},
		{
			name:  oidcSourceName(oidc, "the provider block assume_role_with_oidc"),
			hint:  "set role_arn, oidc_provider_arn and oidc_token_file in an assume_role_with_oidc block",
			build: oidcProvider(oidc, env),
		},
		{
			name:  "the provider argument credentials_uri",
			hint:  "set credentials_uri to the URL of a credentials service",
			build: uriProvider(s.CredentialsURI, env),
		},
		envKeys([3]string{"IMM_ACCESS_KEY_ID", "IMM_ACCESS_KEY_SECRET", "IMM_SESSION_TOKEN"}, getenv),
		envKeys([3]string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN"}, getenv),
		envKeys([3]string{"ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN"}, getenv),
		oidcEnvSource(env),
		{
			name:  "the environment variable ALIBABA_CLOUD_CREDENTIALS_URI",
			hint:  "export ALIBABA_CLOUD_CREDENTIALS_URI=<URL of a credentials service>",
			build: uriProvider(getenv("ALIBABA_CLOUD_CREDENTIALS_URI"), env),
		},
		profileSource(getenv("ALIBABA_CLOUD_PROFILE"), "", "the environment variable ALIBABA_CLOUD_PROFILE",
			"export ALIBABA_CLOUD_PROFILE=NAME", env),
	}
}

// getenv is env's Getenv, or one that reads nothing.
func (env Environment) getenv() func(string) string {
	if env.Getenv == nil {
		return func(string) string { return "" }
	}
	return env.Getenv
}

// staticKeys builds a long-term AccessKey, or an STS token when one is given,
// from an AccessKey ID, secret and token with those names.
func staticKeys(names, values [3]string) func() (providers.CredentialsProvider, error) {
	return func() (providers.CredentialsProvider, error) {
		id, secret, token := values[0], values[1], values[2]
		switch {
		case id == "" && secret == "" && token == "":
			return nil, nil
		case id == "" || secret == "":
			empty := names[1]
			if id == "" {
				empty = names[0]
			}
			return nil, fmt.Errorf("%s and %s must be set together (%s is empty)", names[0], names[1], empty)
		case token != "":
			return providers.NewStaticSTSCredentialsProviderBuilder().
				WithAccessKeyId(id).WithAccessKeySecret(secret).WithSecurityToken(token).Build()
		default:
			return providers.NewStaticAKCredentialsProviderBuilder().WithAccessKeyId(id).WithAccessKeySecret(secret).Build()
		}
	}
}

// envKeys is a source of keys in three environment variables.
func envKeys(vars [3]string, getenv func(string) string) source {
	return source{
		name:  fmt.Sprintf("the environment variables %s, %s and %s", vars[0], vars[1], vars[2]),
		hint:  fmt.Sprintf("export %s and %s, plus %s for an STS token", vars[0], vars[1], vars[2]),
		build: staticKeys(vars, [3]string{getenv(vars[0]), getenv(vars[1]), getenv(vars[2])}),
	}
}

func ecsRoleSourceName(roleName string) string {
	if roleName == "" {
		return "the provider argument ecs_role_name"
	}
	return fmt.Sprintf("the ECS instance RAM role %q (provider argument ecs_role_name)", roleName)
}

func ecsRoleProvider(roleName string, env Environment) func() (providers.CredentialsProvider, error) {
	return func() (providers.CredentialsProvider, error) {
		if roleName == "" {
			return nil, nil
		}
		return providers.NewECSRAMRoleCredentialsProviderBuilder().WithRoleName(roleName).WithHttpOptions(env.httpOptions()).Build()
	}
}

func uriProvider(uri string, env Environment) func() (providers.CredentialsProvider, error) {
	return func() (providers.CredentialsProvider, error) {
		if uri == "" {
			return nil, nil
		}
		return providers.NewURLCredentialsProviderBuilder().WithUrl(uri).WithHttpOptions(env.httpOptions()).Build()
	}
}

// oidcSettings are the inputs of an AssumeRoleWithOIDC exchange.
type oidcSettings struct {
	roleARN, providerARN, tokenFile string
	sessionName                     string
	durationSeconds                 int
	policy, stsEndpoint             string
}

var oidcVariables = []string{"ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE"}

func oidcSettingsFromBlock(b *AssumeRoleWithOIDC) *oidcSettings {
	if b == nil {
		return nil
	}
	duration := b.SessionExpiration
	if duration == 0 {
		duration = DefaultSessionExpiration
	}
	return &oidcSettings{
		roleARN:         b.RoleARN,
		providerARN:     b.OIDCProviderARN,
		tokenFile:       b.OIDCTokenFile,
		sessionName:     firstNonEmpty(b.SessionName, DefaultRoleSessionName),
		durationSeconds: duration,
		policy:          b.Policy,
		stsEndpoint:     normalizeSTSEndpoint(b.STSEndpoint),
	}
}

// oidcSettingsFromEnv reads the variables ACK's RRSA sets in a pod. The source
// counts as configured once the provider ARN or the token file is set;
// ALIBABA_CLOUD_ROLE_ARN alone is left alone, other tools read it too. Values
// of the wrong form are refused before anything is sent.
func oidcSettingsFromEnv(getenv func(string) string) (*oidcSettings, error) {
	s := &oidcSettings{
		roleARN:         getenv("ALIBABA_CLOUD_ROLE_ARN"),
		providerARN:     getenv("ALIBABA_CLOUD_OIDC_PROVIDER_ARN"),
		tokenFile:       getenv("ALIBABA_CLOUD_OIDC_TOKEN_FILE"),
		sessionName:     firstNonEmpty(getenv("ALIBABA_CLOUD_ROLE_SESSION_NAME"), DefaultRoleSessionName),
		durationSeconds: DefaultSessionExpiration,
	}
	if s.providerARN == "" && s.tokenFile == "" {
		return nil, nil
	}
	var missing []string
	for i, v := range []string{s.roleARN, s.providerARN, s.tokenFile} {
		if v == "" {
			missing = append(missing, oidcVariables[i])
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the OIDC variables must be set together; %s is not set", strings.Join(missing, " and "))
	}
	for _, c := range []struct {
		variable, value string
		rule            Rule
	}{
		{"ALIBABA_CLOUD_ROLE_ARN", s.roleARN, RoleARN},
		{"ALIBABA_CLOUD_OIDC_PROVIDER_ARN", s.providerARN, OIDCProviderARN},
		{"ALIBABA_CLOUD_ROLE_SESSION_NAME", s.sessionName, RoleSessionName},
	} {
		if !c.rule.Valid(c.value) {
			return nil, fmt.Errorf("%s %s, got %q", c.variable, c.rule.Description, c.value)
		}
	}
	return s, nil
}

func oidcEnvSource(env Environment) source {
	what := "the environment variables " + strings.Join(oidcVariables, ", ")
	s, err := oidcSettingsFromEnv(env.getenv())
	return source{
		name: oidcSourceName(s, what),
		hint: "export all three, as ACK's RRSA does in a pod",
		build: func() (providers.CredentialsProvider, error) {
			if err != nil {
				return nil, err
			}
			return oidcProvider(s, env)()
		},
	}
}

// oidcSourceName names an OIDC source by its role and token file once it is
// configured.
func oidcSourceName(s *oidcSettings, what string) string {
	if s == nil {
		return what
	}
	return fmt.Sprintf("the role %s, assumed with the OIDC token in %s (%s)", s.roleARN, s.tokenFile, what)
}

func oidcProvider(s *oidcSettings, env Environment) func() (providers.CredentialsProvider, error) {
	return func() (providers.CredentialsProvider, error) {
		if s == nil {
			return nil, nil
		}
		return providers.NewOIDCCredentialsProviderBuilder().
			WithRoleArn(s.roleARN).
			WithOIDCProviderARN(s.providerARN).
			WithOIDCTokenFilePath(s.tokenFile).
			WithRoleSessionName(s.sessionName).
			WithDurationSeconds(s.durationSeconds).
			WithPolicy(s.policy).
			WithSTSEndpoint(s.stsEndpoint).
			WithHttpOptions(env.httpOptions()).
			Build()
	}
}

// normalizeSTSEndpoint turns "https://host[:port]" into the "host[:port]"
// credentials-go takes (it always speaks HTTPS to STS).
func normalizeSTSEndpoint(s string) string {
	return strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "https://"), "/")
}
