package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/aliyun/credentials-go/credentials/providers"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// This file decides where the provider's credentials come from. The sources,
// in the order the provider tries them (DECISIONS.md, "Credential
// precedence"):
//
//  1. provider arguments: access_key/secret_key/security_token, profile (with
//     shared_credentials_file), ecs_role_name, assume_role_with_oidc,
//     credentials_uri; the schema lets at most one of them be set;
//  2. environment variables: IMM_*, ALIBABA_CLOUD_*, ALICLOUD_* keys, then
//     the OIDC variables, then ALIBABA_CLOUD_CREDENTIALS_URI;
//  3. the profile named by ALIBABA_CLOUD_PROFILE;
//  4. credentials-go's default chain (the aliyun CLI's current profile,
//     ~/.alibabacloud/credentials, the ECS instance's RAM role).
//
// The first source that is configured is chosen, and asked for a credential
// at configure time, so a broken source is one clear error rather than a
// failure in every resource. An assume_role block then assumes a role with
// that credential. Every credential, token exchange, refresh and signature is
// credentials-go's; this file only chooses which of its providers to build.

// Defaults of the assume_role blocks.
const (
	defaultRoleSessionName   = "terraform-provider-imm"
	defaultSessionExpiration = 3600
	minSessionExpiration     = 900
	maxSessionExpiration     = 43200
)

// assumeRoleModel is the assume_role block.
type assumeRoleModel struct {
	RoleARN           types.String `tfsdk:"role_arn"`
	SessionName       types.String `tfsdk:"session_name"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
	Policy            types.String `tfsdk:"policy"`
	ExternalID        types.String `tfsdk:"external_id"`
	STSEndpoint       types.String `tfsdk:"sts_endpoint"`
}

// assumeRoleWithOIDCModel is the assume_role_with_oidc block.
type assumeRoleWithOIDCModel struct {
	RoleARN           types.String `tfsdk:"role_arn"`
	OIDCProviderARN   types.String `tfsdk:"oidc_provider_arn"`
	OIDCTokenFile     types.String `tfsdk:"oidc_token_file"`
	SessionName       types.String `tfsdk:"session_name"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
	Policy            types.String `tfsdk:"policy"`
	STSEndpoint       types.String `tfsdk:"sts_endpoint"`
}

// assumeRole is the assume_role block, or nil.
func (cfg providerModel) assumeRole() *assumeRoleModel {
	if len(cfg.AssumeRole) == 0 {
		return nil
	}
	return &cfg.AssumeRole[0]
}

// assumeRoleWithOIDC is the assume_role_with_oidc block, or nil.
func (cfg providerModel) assumeRoleWithOIDC() *assumeRoleWithOIDCModel {
	if len(cfg.AssumeRoleWithOIDC) == 0 {
		return nil
	}
	return &cfg.AssumeRoleWithOIDC[0]
}

// credentialSchemaAttributes are the provider's credential arguments. Each
// base source conflicts with every other, pair by pair, so that the error
// names both attributes.
func credentialSchemaAttributes() map[string]schema.Attribute {
	root := path.MatchRoot
	// An absent block is an empty list, not null, so the conflict is with the
	// block's required attribute, which exists only when the block does.
	oidcRoleARN := root("assume_role_with_oidc").AtAnyListIndex().AtName("role_arn")
	return map[string]schema.Attribute{
		"access_key": schema.StringAttribute{
			MarkdownDescription: "AccessKey ID of a RAM user (or of an STS token, with `security_token`). Needs `secret_key`. " +
				"Prefer the environment variables or a profile to keeping keys in configuration.",
			Optional: true,
			Validators: []validator.String{
				stringvalidator.AlsoRequires(root("secret_key")),
				stringvalidator.ConflictsWith(root("profile"), root("shared_credentials_file"), root("ecs_role_name"),
					root("credentials_uri"), oidcRoleARN),
			},
		},
		"secret_key": schema.StringAttribute{
			MarkdownDescription: "AccessKey secret that goes with `access_key`.",
			Optional:            true,
			Sensitive:           true,
			Validators:          []validator.String{stringvalidator.AlsoRequires(root("access_key"))},
		},
		"security_token": schema.StringAttribute{
			MarkdownDescription: "STS security token, for temporary credentials (an `access_key` starting with `STS.`). " +
				"Needs `access_key` and `secret_key`. A token is not refreshed: for long runs use `assume_role` instead.",
			Optional:   true,
			Sensitive:  true,
			Validators: []validator.String{stringvalidator.AlsoRequires(root("access_key"), root("secret_key"))},
		},
		"profile": schema.StringAttribute{
			MarkdownDescription: "A profile of the aliyun CLI (`aliyun configure --profile NAME`, modes AK, StsToken, " +
				"RamRoleArn, EcsRamRole, OIDC and the others the CLI writes), else a section of " +
				"`~/.alibabacloud/credentials` (or the file `ALIBABA_CLOUD_CREDENTIALS_FILE` names). " +
				"Defaults to `ALIBABA_CLOUD_PROFILE`, which comes after the credential environment variables.",
			Optional: true,
			Validators: []validator.String{
				stringvalidator.LengthAtLeast(1),
				stringvalidator.ConflictsWith(root("ecs_role_name"), root("credentials_uri"), oidcRoleARN),
			},
		},
		"shared_credentials_file": schema.StringAttribute{
			MarkdownDescription: "Path of the aliyun CLI's configuration file. Default: `ALIBABA_CLOUD_CONFIG_FILE`, " +
				"else `~/.aliyun/config.json`. Without `profile`, the file's current profile is used.",
			Optional: true,
			Validators: []validator.String{
				stringvalidator.LengthAtLeast(1),
				stringvalidator.ConflictsWith(root("ecs_role_name"), root("credentials_uri"), oidcRoleARN),
			},
		},
		"ecs_role_name": schema.StringAttribute{
			MarkdownDescription: "Name of the RAM role attached to the ECS instance Terraform runs on. The provider " +
				"gets the role's temporary credentials from the instance metadata service and refreshes them.",
			Optional: true,
			Validators: []validator.String{
				stringvalidator.LengthAtLeast(1),
				stringvalidator.ConflictsWith(root("credentials_uri"), oidcRoleARN),
			},
		},
		"credentials_uri": schema.StringAttribute{
			MarkdownDescription: "A URL that answers GET with `{\"AccessKeyId\", \"AccessKeySecret\", \"SecurityToken\", " +
				"\"Expiration\"}` (a credentials sidecar). Defaults to `ALIBABA_CLOUD_CREDENTIALS_URI`.",
			Optional: true,
			Validators: []validator.String{
				urlValidator,
				stringvalidator.ConflictsWith(oidcRoleARN),
			},
		},
	}
}

// credentialSchemaBlocks are the provider's role blocks.
func credentialSchemaBlocks() map[string]schema.Block {
	return map[string]schema.Block{
		"assume_role": schema.ListNestedBlock{
			MarkdownDescription: "Assume a RAM role with the credentials the other arguments (or the environment, a " +
				"profile, the default chain) give, and call IMM as that role. The provider renews the role's " +
				"credentials before they expire, however long the run. At most one block.",
			Validators: []validator.List{listvalidator.SizeAtMost(1)},
			NestedObject: schema.NestedBlockObject{Attributes: roleSessionAttributes(map[string]schema.Attribute{
				"external_id": schema.StringAttribute{
					MarkdownDescription: "External ID the role's trust policy asks for, if any.",
					Optional:            true,
					Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
				},
			})},
		},
		"assume_role_with_oidc": schema.ListNestedBlock{
			MarkdownDescription: "Exchange an OIDC token (such as a Kubernetes service account token under ACK's " +
				"RRSA) for a RAM role's credentials. The environment variables `ALIBABA_CLOUD_ROLE_ARN`, " +
				"`ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and `ALIBABA_CLOUD_OIDC_TOKEN_FILE` do the same without this block. " +
				"At most one block.",
			Validators: []validator.List{listvalidator.SizeAtMost(1)},
			NestedObject: schema.NestedBlockObject{Attributes: roleSessionAttributes(map[string]schema.Attribute{
				"oidc_provider_arn": schema.StringAttribute{
					MarkdownDescription: "ARN of the OIDC identity provider in RAM, `acs:ram::<account id>:oidc-provider/<name>`.",
					Required:            true,
					Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
				},
				"oidc_token_file": schema.StringAttribute{
					MarkdownDescription: "Path of the file holding the OIDC token. It is read again at each renewal, " +
						"so a token the platform rotates keeps working.",
					Required:   true,
					Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
				},
			})},
		},
	}
}

// roleSessionAttributes adds the settings both role blocks share.
func roleSessionAttributes(attrs map[string]schema.Attribute) map[string]schema.Attribute {
	attrs["role_arn"] = schema.StringAttribute{
		MarkdownDescription: "ARN of the role to assume, `acs:ram::<account id>:role/<role name>`.",
		Required:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	attrs["session_name"] = schema.StringAttribute{
		MarkdownDescription: "Role session name, shown in ActionTrail: 2-64 letters, digits and `.@_-`. Default `" +
			defaultRoleSessionName + "`.",
		Optional:   true,
		Validators: []validator.String{stringvalidator.RegexMatches(sessionNamePattern, "must be 2-64 letters, digits, periods (.), at signs (@), hyphens (-) or underscores (_)")},
	}
	attrs["session_expiration"] = schema.Int64Attribute{
		MarkdownDescription: fmt.Sprintf("Lifetime of the role's credentials in seconds, %d-%d, at most the role's "+
			"maximum session duration (and at most 3600 when the base credential is itself an STS token). "+
			"Default %d. The provider renews them before they expire.", minSessionExpiration, maxSessionExpiration, defaultSessionExpiration),
		Optional:   true,
		Validators: []validator.Int64{int64validator.Between(minSessionExpiration, maxSessionExpiration)},
	}
	attrs["policy"] = schema.StringAttribute{
		MarkdownDescription: "A RAM policy (JSON) that further limits what the role's credentials may do.",
		Optional:            true,
		Validators:          []validator.String{jsonObjectValidator},
	}
	attrs["sts_endpoint"] = schema.StringAttribute{
		MarkdownDescription: "STS endpoint, `host[:port]` or `https://host[:port]`, such as `sts-vpc.cn-hangzhou.aliyuncs.com`. " +
			"Default `sts.aliyuncs.com`, or the endpoint credentials-go derives from `ALIBABA_CLOUD_STS_REGION` and " +
			"`ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`.",
		Optional:   true,
		Validators: []validator.String{stsEndpointValidator},
	}
	return attrs
}

var sessionNamePattern = regexp.MustCompile(`^[A-Za-z0-9.@_-]{2,64}$`)

// unknownCredentialArguments names the credential arguments whose values are
// not known yet.
func unknownCredentialArguments(cfg providerModel) []string {
	args := map[string]interface{ IsUnknown() bool }{
		"access_key": cfg.AccessKey, "secret_key": cfg.SecretKey, "security_token": cfg.SecurityToken,
		"profile": cfg.Profile, "shared_credentials_file": cfg.SharedCredentialsFile,
		"ecs_role_name": cfg.ECSRoleName, "credentials_uri": cfg.CredentialsURI,
	}
	if r := cfg.assumeRole(); r != nil {
		for name, v := range map[string]interface{ IsUnknown() bool }{"role_arn": r.RoleARN, "session_name": r.SessionName,
			"session_expiration": r.SessionExpiration, "policy": r.Policy, "external_id": r.ExternalID, "sts_endpoint": r.STSEndpoint} {
			args["assume_role."+name] = v
		}
	}
	if o := cfg.assumeRoleWithOIDC(); o != nil {
		for name, v := range map[string]interface{ IsUnknown() bool }{"role_arn": o.RoleARN, "oidc_provider_arn": o.OIDCProviderARN,
			"oidc_token_file": o.OIDCTokenFile, "session_name": o.SessionName, "session_expiration": o.SessionExpiration,
			"policy": o.Policy, "sts_endpoint": o.STSEndpoint} {
			args["assume_role_with_oidc."+name] = v
		}
	}
	var unknown []string
	for name, v := range args {
		if v.IsUnknown() {
			unknown = append(unknown, name)
		}
	}
	return unknown
}

// credentialEnv is what credential resolution reads besides the provider
// configuration.
type credentialEnv struct {
	getenv func(string) string
	// http, when set, goes to the credentials-go providers that take HTTP
	// options. Tests set a proxy: credentials-go fixes the ECS metadata
	// service's address (100.100.100.200) and offers no other way to reach a
	// stand-in. Nil in production: credentials-go's own timeouts apply.
	http *providers.HttpOptions
}

// credentialSource is one place credentials can come from.
type credentialSource struct {
	name string // names the source in diagnostics and logs, such as "the environment variables IMM_..."
	hint string // how to set it, for the diagnostic listing every source
	// build returns nil, nil when the source is not configured, and an error
	// when it is configured but cannot be used as configured.
	build func() (providers.CredentialsProvider, error)
}

// resolvedCredential is the credential the IMM client signs with, and where
// it came from.
type resolvedCredential struct {
	credential  credentials.Credential
	source      string
	accessKeyID string // the one obtained at configure time, for the log
}

// resolveCredential picks the first configured source, asks it for a
// credential, assumes the assume_role block's role with it when there is one,
// and asks for the role's credential too.
func resolveCredential(cfg providerModel, env credentialEnv) (*resolvedCredential, diag.Diagnostics) {
	var diags diag.Diagnostics
	p, source, ok := chooseCredentialSource(cfg, env, &diags)
	if !ok {
		return nil, diags
	}
	c, err := p.GetCredentials()
	if err != nil {
		diags.AddError("Invalid IMM credentials", credentialFailureDetail(source, err))
		return nil, diags
	}
	if r := cfg.assumeRole(); r != nil {
		if p, c, source, ok = assumeRoleWith(*r, p, source, env, &diags); !ok {
			return nil, diags
		}
	}
	locked := &lockedProvider{provider: p, source: source}
	return &resolvedCredential{credential: credentials.FromCredentialsProvider(p.GetProviderName(), locked),
		source: source, accessKeyID: c.AccessKeyId}, diags
}

// assumeRoleWith assumes the assume_role block's role with the base
// credential and asks for the role's first session.
func assumeRoleWith(r assumeRoleModel, base providers.CredentialsProvider, baseSource string, env credentialEnv,
	diags *diag.Diagnostics) (providers.CredentialsProvider, *providers.Credentials, string, bool) {
	role, err := assumeRoleProvider(r, base, env)
	if err != nil {
		diags.AddAttributeError(path.Root("assume_role"), "Invalid assume_role", err.Error())
		return nil, nil, "", false
	}
	c, err := role.GetCredentials()
	if err != nil {
		diags.AddAttributeError(path.Root("assume_role"), "Could not assume the RAM role",
			assumeRoleFailureDetail(r, baseSource, err))
		return nil, nil, "", false
	}
	return role, c, fmt.Sprintf("the role %s, assumed with the credentials from %s", r.RoleARN.ValueString(), baseSource), true
}

// chooseCredentialSource returns the first configured source's provider, or
// adds a diagnostic: the chosen source is misconfigured, or no source is
// configured (one diagnostic that lists them all).
func chooseCredentialSource(cfg providerModel, env credentialEnv, diags *diag.Diagnostics) (providers.CredentialsProvider, string, bool) {
	var tried []string
	for _, src := range credentialSources(cfg, env) {
		p, err := src.build()
		if err != nil {
			diags.AddError("Invalid IMM credentials",
				fmt.Sprintf("The credentials from %s can't be used: %s", src.name, describeCredentialError(err)))
			return nil, "", false
		}
		if p != nil {
			return p, src.name, true
		}
		tried = append(tried, fmt.Sprintf("- %s: not set (%s)", src.name, src.hint))
	}
	// credentials-go's chain can only tell whether it is configured by
	// trying: ask it now, and report why it failed along with the others.
	chain := providers.NewDefaultCredentialsProvider()
	_, err := chain.GetCredentials()
	if err == nil {
		return chain, defaultChainName, true
	}
	tried = append(tried, fmt.Sprintf("- %s: %s (%s)", defaultChainName, describeCredentialError(err), defaultChainHint))
	diags.AddError("No IMM credentials found",
		"The IMM provider found no credentials. It looked, in this order, at:\n"+strings.Join(tried, "\n")+
			"\n\nSet one of them. The provider documentation shows an example of each.")
	return nil, "", false
}

const (
	defaultChainName = "credentials-go's default chain (the aliyun CLI's current profile in ~/.aliyun/config.json, " +
		"the default profile of ~/.alibabacloud/credentials, the ECS instance's RAM role)"
	defaultChainHint = "run `aliyun configure`, or run Terraform on an ECS instance with a RAM role"
)

// credentialSources lists the sources before the default chain, in order.
func credentialSources(cfg providerModel, env credentialEnv) []credentialSource {
	getenv := env.getenv
	return []credentialSource{
		{
			name: "the provider arguments access_key, secret_key and security_token",
			hint: "set access_key and secret_key in the provider block",
			build: staticKeys("access_key", "secret_key", "security_token",
				cfg.AccessKey.ValueString(), cfg.SecretKey.ValueString(), cfg.SecurityToken.ValueString()),
		},
		profileSource(cfg.Profile.ValueString(), cfg.SharedCredentialsFile.ValueString(), "the provider argument profile",
			`set profile = "NAME" for a profile of the aliyun CLI or of ~/.alibabacloud/credentials`, env),
		{
			name:  ecsRoleSourceName(cfg.ECSRoleName.ValueString()),
			hint:  "set ecs_role_name to the role attached to the ECS instance",
			build: ecsRoleProvider(cfg.ECSRoleName.ValueString(), env),
		},
		{
			name:  oidcSourceName(oidcSettingsFromBlock(cfg.assumeRoleWithOIDC()), "the provider block assume_role_with_oidc"),
			hint:  "set role_arn, oidc_provider_arn and oidc_token_file in an assume_role_with_oidc block",
			build: oidcProvider(oidcSettingsFromBlock(cfg.assumeRoleWithOIDC()), env),
		},
		{
			name:  "the provider argument credentials_uri",
			hint:  "set credentials_uri to the URL of a credentials service",
			build: uriProvider(cfg.CredentialsURI.ValueString(), env),
		},
		envKeys("IMM_ACCESS_KEY_ID", "IMM_ACCESS_KEY_SECRET", "IMM_SESSION_TOKEN", getenv),
		envKeys("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN", getenv),
		envKeys("ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_SECURITY_TOKEN", getenv),
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

// staticKeys builds a long-term AccessKey, or an STS token when one is given.
func staticKeys(idName, secretName, tokenName, id, secret, token string) func() (providers.CredentialsProvider, error) {
	return func() (providers.CredentialsProvider, error) {
		switch {
		case id == "" && secret == "" && token == "":
			return nil, nil
		case id == "" || secret == "":
			return nil, fmt.Errorf("%s and %s must be set together (%s is empty)", idName, secretName, firstEmptyName(idName, id, secretName))
		case token != "":
			return providers.NewStaticSTSCredentialsProviderBuilder().
				WithAccessKeyId(id).WithAccessKeySecret(secret).WithSecurityToken(token).Build()
		default:
			return providers.NewStaticAKCredentialsProviderBuilder().WithAccessKeyId(id).WithAccessKeySecret(secret).Build()
		}
	}
}

func firstEmptyName(name1, value1, name2 string) string {
	if value1 == "" {
		return name1
	}
	return name2
}

// envKeys is a source of keys in three environment variables.
func envKeys(idVar, secretVar, tokenVar string, getenv func(string) string) credentialSource {
	return credentialSource{
		name:  fmt.Sprintf("the environment variables %s, %s and %s", idVar, secretVar, tokenVar),
		hint:  fmt.Sprintf("export %s and %s, plus %s for an STS token", idVar, secretVar, tokenVar),
		build: staticKeys(idVar, secretVar, tokenVar, getenv(idVar), getenv(secretVar), getenv(tokenVar)),
	}
}

// profileSource reads a profile of the aliyun CLI's config.json, else a
// section of credentials-go's credentials.ini. A profile the CLI's file holds
// is always read from there, so that a profile whose credential fails is
// reported as such, not as missing from the other file.
func profileSource(name, file, what, hint string, env credentialEnv) credentialSource {
	src := credentialSource{name: what, hint: hint}
	if name == "" && file == "" {
		src.build = func() (providers.CredentialsProvider, error) { return nil, nil }
		return src
	}
	cliPath := cliConfigPath(file, env.getenv)
	cli, cliErr := readCLIProfiles(cliPath)
	switch {
	case cliErr == nil && (name == "" || cli.has(name)):
		if name == "" {
			name = cli.Current
		}
		src.name = fmt.Sprintf("%s of %s (%s)", profileLabel(name), cliPath, what)
		src.build = func() (providers.CredentialsProvider, error) {
			if name == "" {
				return nil, fmt.Errorf("no profile is named and %s has no current profile", cliPath)
			}
			return providers.NewCLIProfileCredentialsProviderBuilder().WithProfileFile(cliPath).WithProfileName(name).Build()
		}
	case file != "":
		src.name = fmt.Sprintf("%s of %s (%s)", profileLabel(name), cliPath, what)
		src.build = func() (providers.CredentialsProvider, error) {
			if cliErr != nil {
				return nil, cliErr
			}
			return nil, fmt.Errorf("%s has no profile %q (it has %s)", cliPath, name, strings.Join(cli.names(), ", "))
		}
	default:
		iniPath := credentialsINIPath(env.getenv)
		src.name = fmt.Sprintf("the profile %q of %s (%s; %s has no such profile)", name, iniPath, what, cliPath)
		src.build = func() (providers.CredentialsProvider, error) {
			return providers.NewProfileCredentialsProviderBuilder().WithProfileName(name).Build()
		}
	}
	return src
}

func profileLabel(name string) string {
	if name == "" {
		return "the current profile"
	}
	return fmt.Sprintf("the profile %q", name)
}

// cliProfiles is what the provider reads of the aliyun CLI's config.json: the
// profile names, to decide which file a profile comes from. credentials-go
// reads the credentials themselves.
type cliProfiles struct {
	Current  string `json:"current"`
	Profiles []struct {
		Name string `json:"name"`
	} `json:"profiles"`
}

func readCLIProfiles(file string) (*cliProfiles, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading the aliyun CLI configuration: %w", err)
	}
	var c cliProfiles
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s is not an aliyun CLI configuration (JSON): %w", file, err)
	}
	return &c, nil
}

func (c *cliProfiles) has(name string) bool {
	for _, p := range c.Profiles {
		if p.Name == name {
			return true
		}
	}
	return false
}

func (c *cliProfiles) names() []string {
	var out []string
	for _, p := range c.Profiles {
		out = append(out, fmt.Sprintf("%q", p.Name))
	}
	if len(out) == 0 {
		return []string{"none"}
	}
	return out
}

// cliConfigPath is where the aliyun CLI keeps its profiles, as credentials-go
// looks for it.
func cliConfigPath(file string, getenv func(string) string) string {
	if file != "" {
		if rest, ok := strings.CutPrefix(file, "~/"); ok {
			return filepath.Join(homeDir(getenv), rest)
		}
		return file
	}
	if f := getenv("ALIBABA_CLOUD_CONFIG_FILE"); f != "" {
		return f
	}
	return filepath.Join(homeDir(getenv), ".aliyun", "config.json")
}

// credentialsINIPath is credentials-go's credentials.ini, as it looks for it.
func credentialsINIPath(getenv func(string) string) string {
	if f := getenv("ALIBABA_CLOUD_CREDENTIALS_FILE"); f != "" {
		return f
	}
	return filepath.Join(homeDir(getenv), ".alibabacloud", "credentials")
}

func homeDir(getenv func(string) string) string {
	if runtime.GOOS == "windows" {
		return getenv("USERPROFILE")
	}
	return getenv("HOME")
}

func ecsRoleProvider(roleName string, env credentialEnv) func() (providers.CredentialsProvider, error) {
	return func() (providers.CredentialsProvider, error) {
		if roleName == "" {
			return nil, nil
		}
		return providers.NewECSRAMRoleCredentialsProviderBuilder().WithRoleName(roleName).WithHttpOptions(env.http).Build()
	}
}

func uriProvider(uri string, env credentialEnv) func() (providers.CredentialsProvider, error) {
	return func() (providers.CredentialsProvider, error) {
		if uri == "" {
			return nil, nil
		}
		return providers.NewURLCredentialsProviderBuilder().WithUrl(uri).WithHttpOptions(env.http).Build()
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

func oidcSettingsFromBlock(b *assumeRoleWithOIDCModel) *oidcSettings {
	if b == nil {
		return nil
	}
	return &oidcSettings{
		roleARN:         b.RoleARN.ValueString(),
		providerARN:     b.OIDCProviderARN.ValueString(),
		tokenFile:       b.OIDCTokenFile.ValueString(),
		sessionName:     stringOr(b.SessionName, defaultRoleSessionName),
		durationSeconds: int(int64Or(b.SessionExpiration, defaultSessionExpiration)),
		policy:          b.Policy.ValueString(),
		stsEndpoint:     normalizeSTSEndpoint(b.STSEndpoint.ValueString()),
	}
}

// oidcSettingsFromEnv reads the variables ACK's RRSA sets in a pod. The source
// counts as configured once the provider ARN or the token file is set;
// ALIBABA_CLOUD_ROLE_ARN alone is left alone, other tools read it too.
func oidcSettingsFromEnv(getenv func(string) string) (*oidcSettings, error) {
	s := &oidcSettings{
		roleARN:         getenv("ALIBABA_CLOUD_ROLE_ARN"),
		providerARN:     getenv("ALIBABA_CLOUD_OIDC_PROVIDER_ARN"),
		tokenFile:       getenv("ALIBABA_CLOUD_OIDC_TOKEN_FILE"),
		sessionName:     firstNonEmpty(getenv("ALIBABA_CLOUD_ROLE_SESSION_NAME"), defaultRoleSessionName),
		durationSeconds: defaultSessionExpiration,
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
	return s, nil
}

func oidcEnvSource(env credentialEnv) credentialSource {
	what := "the environment variables " + strings.Join(oidcVariables, ", ")
	s, err := oidcSettingsFromEnv(env.getenv)
	return credentialSource{
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

func ecsRoleSourceName(roleName string) string {
	if roleName == "" {
		return "the provider argument ecs_role_name"
	}
	return fmt.Sprintf("the ECS instance RAM role %q (provider argument ecs_role_name)", roleName)
}

func oidcProvider(s *oidcSettings, env credentialEnv) func() (providers.CredentialsProvider, error) {
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
			WithHttpOptions(env.http).
			Build()
	}
}

// assumeRoleProvider assumes the assume_role block's role with base.
func assumeRoleProvider(r assumeRoleModel, base providers.CredentialsProvider, env credentialEnv) (providers.CredentialsProvider, error) {
	return providers.NewRAMRoleARNCredentialsProviderBuilder().
		WithCredentialsProvider(base).
		WithRoleArn(r.RoleARN.ValueString()).
		WithRoleSessionName(stringOr(r.SessionName, defaultRoleSessionName)).
		WithDurationSeconds(int(int64Or(r.SessionExpiration, defaultSessionExpiration))).
		WithPolicy(r.Policy.ValueString()).
		WithExternalId(r.ExternalID.ValueString()).
		WithStsEndpoint(normalizeSTSEndpoint(r.STSEndpoint.ValueString())).
		WithHttpOptions(env.http).
		Build()
}

// normalizeSTSEndpoint turns "https://host[:port]" into the "host[:port]"
// credentials-go takes (it always speaks HTTPS to STS).
func normalizeSTSEndpoint(s string) string {
	return strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "https://"), "/")
}

func stringOr(v types.String, def string) string {
	if v.IsNull() || v.ValueString() == "" {
		return def
	}
	return v.ValueString()
}

func int64Or(v types.Int64, def int64) int64 {
	if v.IsNull() {
		return def
	}
	return v.ValueInt64()
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
		return nil, &credentialFetchError{source: l.source, err: err}
	}
	return c, nil
}

func (l *lockedProvider) GetProviderName() string { return l.provider.GetProviderName() }

// credentialFetchError is a failure to get (or renew) a credential after
// configure time. Its text is safe to show: it never holds a secret.
type credentialFetchError struct {
	source string
	err    error
}

func (e *credentialFetchError) Error() string {
	return fmt.Sprintf("could not get credentials from %s: %s", e.source, describeCredentialError(e.err))
}

func (e *credentialFetchError) Unwrap() error { return e.err }

// stsRefusal is the error body STS and the other credential services answer
// with; credentials-go quotes it in its error text.
type stsRefusal struct {
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	RequestID string `json:"RequestId"`
}

func parseSTSRefusal(err error) (stsRefusal, bool) {
	text := err.Error()
	i := strings.Index(text, "{")
	if i < 0 {
		return stsRefusal{}, false
	}
	var r stsRefusal
	if json.Unmarshal([]byte(text[i:]), &r) != nil || r.Code == "" {
		return stsRefusal{}, false
	}
	return r, true
}

// describeCredentialError is an error from credentials-go, fit to show: a
// service's refusal as its Code, Message and RequestId, anything else with
// URL queries (which carry signatures and tokens) and secrets cut out.
func describeCredentialError(err error) string {
	if r, ok := parseSTSRefusal(err); ok {
		return fmt.Sprintf("the service answered\n\nCode:       %s\nMessage:    %s\nRequest ID: %s", r.Code, r.Message, r.RequestID)
	}
	return redactSecrets(err.Error())
}

var urlQuery = regexp.MustCompile(`(https?://[^\s"?]*)\?[^\s"]*`)

// redactSecrets keeps error texts from credentials-go, which may quote a
// request URL or a response body, free of anything that looks like a secret.
func redactSecrets(s string) string {
	s = urlQuery.ReplaceAllString(s, "$1?(query removed)")
	for _, key := range []string{"AccessKeySecret", "SecurityToken", "access_key_secret", "sts_token", "security_token"} {
		if i := strings.Index(s, key); i >= 0 {
			return s[:i] + key + "…(redacted)"
		}
	}
	return s
}

// credentialFailureDetail explains a source that was chosen but gave no
// credential at configure time.
func credentialFailureDetail(source string, err error) string {
	detail := fmt.Sprintf("The credentials from %s could not be obtained: %s", source, describeCredentialError(err))
	if r, ok := parseSTSRefusal(err); ok {
		if advice := credentialAdvice(r.Code, source); advice != "" {
			detail += "\n\n" + advice
		}
	}
	return detail
}

// assumeRoleFailureDetail says which role could not be assumed, with which
// credentials, and why.
func assumeRoleFailureDetail(r assumeRoleModel, baseSource string, err error) string {
	endpoint := firstNonEmpty(normalizeSTSEndpoint(r.STSEndpoint.ValueString()), "the default STS endpoint")
	detail := fmt.Sprintf("The provider could not assume the role %s (session %q) through %s with the credentials from %s: %s",
		r.RoleARN.ValueString(), stringOr(r.SessionName, defaultRoleSessionName), endpoint, baseSource, describeCredentialError(err))
	if ref, ok := parseSTSRefusal(err); ok {
		if advice := credentialAdvice(ref.Code, baseSource); advice != "" {
			detail += "\n\n" + advice
		}
	} else {
		detail += "\n\nCheck sts_endpoint and that Terraform can reach it over HTTPS."
	}
	return detail
}

// maskAccessKeyID shows enough of an AccessKey ID to recognise it in logs.
func maskAccessKeyID(id string) string {
	if len(id) <= 8 {
		return "****"
	}
	return id[:4] + "****" + id[len(id)-3:]
}

func strPtr(s string) *string { return &s }
