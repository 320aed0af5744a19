package provider

import (
	"fmt"
	"strings"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/aliyun/credentials-go/credentials/providers"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// credentialSource is one place credentials can come from, in the order the
// provider tries them.
type credentialSource struct {
	name string // how the diagnostics name it
	hint string // how to set it
	// build returns nil, nil when the source is not configured.
	build func() (credentials.Credential, error)
}

// resolveCredential picks the first configured credential source: provider
// arguments, then environment variables (IMM_*, ALIBABA_CLOUD_*, ALICLOUD_*),
// then profiles, then credentials-go's default chain. It checks that the
// chosen source yields a credential now, so that a missing or broken one is
// one clear error at configure time rather than a failure in every resource.
func resolveCredential(cfg providerModel, getenv func(string) string) (credentials.Credential, diag.Diagnostics) {
	var diags diag.Diagnostics
	sources := credentialSources(cfg, getenv)
	var tried []string
	for _, src := range sources {
		cred, err := src.build()
		if err != nil {
			diags.AddError("Invalid IMM credentials",
				fmt.Sprintf("The credentials from %s could not be used: %v", src.name, err))
			return nil, diags
		}
		if cred == nil {
			tried = append(tried, fmt.Sprintf("- %s: not set (%s)", src.name, src.hint))
			continue
		}
		if _, err := cred.GetCredential(); err != nil {
			diags.AddError("Invalid IMM credentials",
				fmt.Sprintf("The credentials from %s could not be obtained: %v", src.name, redactSecrets(err.Error())))
			return nil, diags
		}
		return cred, diags
	}
	diags.AddError("No IMM credentials found",
		"The IMM provider found no usable credentials. It tried, in order:\n"+strings.Join(tried, "\n"))
	return nil, diags
}

func credentialSources(cfg providerModel, getenv func(string) string) []credentialSource {
	static := func(id, secret, token string) func() (credentials.Credential, error) {
		return func() (credentials.Credential, error) {
			if id == "" && secret == "" {
				return nil, nil
			}
			if id == "" || secret == "" {
				return nil, fmt.Errorf("both the AccessKey ID and the AccessKey secret must be set")
			}
			c := &credentials.Config{Type: strPtr("access_key"), AccessKeyId: &id, AccessKeySecret: &secret}
			if token != "" {
				c.Type, c.SecurityToken = strPtr("sts"), &token
			}
			return credentials.NewCredential(c)
		}
	}
	env := func(names ...string) func() (credentials.Credential, error) {
		return static(getenv(names[0]), getenv(names[1]), getenv(names[2]))
	}
	return []credentialSource{
		{
			name:  "the provider arguments access_key, secret_key and security_token",
			hint:  "set access_key and secret_key in the provider block",
			build: static(cfg.AccessKey.ValueString(), cfg.SecretKey.ValueString(), cfg.SecurityToken.ValueString()),
		},
		{
			name:  "the provider argument profile",
			hint:  `set profile = "name" for a profile of the aliyun CLI or of ~/.alibabacloud/credentials.ini`,
			build: profileCredential(cfg.Profile.ValueString()),
		},
		{
			name:  "the environment variables IMM_ACCESS_KEY_ID, IMM_ACCESS_KEY_SECRET and IMM_SESSION_TOKEN",
			hint:  "export IMM_ACCESS_KEY_ID and IMM_ACCESS_KEY_SECRET",
			build: env("IMM_ACCESS_KEY_ID", "IMM_ACCESS_KEY_SECRET", "IMM_SESSION_TOKEN"),
		},
		{
			name:  "the environment variables ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_SECURITY_TOKEN",
			hint:  "export ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET",
			build: env("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN"),
		},
		{
			name:  "the environment variables ALICLOUD_ACCESS_KEY, ALICLOUD_SECRET_KEY and ALICLOUD_SECURITY_TOKEN",
			hint:  "export ALICLOUD_ACCESS_KEY and ALICLOUD_SECRET_KEY (as for the alicloud provider)",
			build: env("ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN"),
		},
		{
			name:  "the environment variable ALIBABA_CLOUD_PROFILE",
			hint:  "export ALIBABA_CLOUD_PROFILE=name",
			build: profileCredential(getenv("ALIBABA_CLOUD_PROFILE")),
		},
		{
			name: "credentials-go's default chain (OIDC, the aliyun CLI's current profile, ~/.alibabacloud/credentials.ini, " +
				"the ECS instance RAM role, ALIBABA_CLOUD_CREDENTIALS_URI)",
			hint:  "see the provider documentation",
			build: defaultChainCredential,
		},
	}
}

// profileCredential reads a named profile from the aliyun CLI's config.json,
// else from credentials.ini.
func profileCredential(name string) func() (credentials.Credential, error) {
	return func() (credentials.Credential, error) {
		if name == "" {
			return nil, nil
		}
		cli, err := providers.NewCLIProfileCredentialsProviderBuilder().WithProfileName(name).Build()
		if err == nil {
			if _, getErr := cli.GetCredentials(); getErr == nil {
				return credentials.FromCredentialsProvider("cli_profile", cli), nil
			}
		}
		ini, err := providers.NewProfileCredentialsProviderBuilder().WithProfileName(name).Build()
		if err != nil {
			return nil, fmt.Errorf("profile %q: %w", name, err)
		}
		return credentials.FromCredentialsProvider("profile", ini), nil
	}
}

func defaultChainCredential() (credentials.Credential, error) {
	cred, err := credentials.NewCredential(nil)
	if err != nil {
		return nil, err
	}
	if _, err := cred.GetCredential(); err != nil {
		// Not configured anywhere: report it with the other sources tried.
		return nil, nil
	}
	return cred, nil
}

// redactSecrets keeps error texts from credentials-go, which may quote a
// response body, short and free of anything that looks like a secret.
func redactSecrets(s string) string {
	for _, key := range []string{"AccessKeySecret", "SecurityToken", "access_key_secret", "sts_token"} {
		if i := strings.Index(s, key); i >= 0 {
			return s[:i] + key + "…(redacted)"
		}
	}
	return s
}

func strPtr(s string) *string { return &s }
