package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/credentials"
)

// The provider's credential arguments: their schema and model. Where the
// credentials come from, given these arguments, is internal/credentials';
// credentials.go maps the model in and the errors out.

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
				stringvalidator.ConflictsWith(root("ecs_role_name"), root("credentials_uri"), oidcRoleARN),
			},
		},
		"shared_credentials_file": schema.StringAttribute{
			MarkdownDescription: "Path of the aliyun CLI's configuration file. Default: `ALIBABA_CLOUD_CONFIG_FILE`, " +
				"else `~/.aliyun/config.json`. Without `profile`, the file's current profile is used.",
			Optional: true,
			Validators: []validator.String{
				stringvalidator.ConflictsWith(root("ecs_role_name"), root("credentials_uri"), oidcRoleARN),
			},
		},
		"ecs_role_name": schema.StringAttribute{
			MarkdownDescription: "Name of the RAM role attached to the ECS instance Terraform runs on: 1-64 letters, " +
				"digits, periods and hyphens. The provider gets the role's temporary credentials from the instance " +
				"metadata service and refreshes them.",
			Optional: true,
			Validators: []validator.String{
				ruleValidator(credentials.RoleName),
				stringvalidator.ConflictsWith(root("credentials_uri"), oidcRoleARN),
			},
		},
		"credentials_uri": schema.StringAttribute{
			MarkdownDescription: "A URL that answers GET with `{\"AccessKeyId\", \"AccessKeySecret\", \"SecurityToken\", " +
				"\"Expiration\"}` (a credentials sidecar). Defaults to `ALIBABA_CLOUD_CREDENTIALS_URI`.",
			Optional: true,
			Validators: []validator.String{
				ruleValidator(credentials.CredentialsURI),
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
					MarkdownDescription: "External ID the role's trust policy asks for, if any: 2-1224 letters, digits and " +
						"`_+=,.@:/-`.",
					Optional:   true,
					Validators: []validator.String{ruleValidator(credentials.ExternalID)},
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
					MarkdownDescription: "ARN of the OIDC identity provider in RAM, `acs:ram::<account id>:oidc-provider/<name>`, " +
						"the name 1-128 letters, digits and `._-`, starting and ending with a letter or a digit.",
					Required:   true,
					Validators: []validator.String{ruleValidator(credentials.OIDCProviderARN)},
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
		MarkdownDescription: "ARN of the role to assume, `acs:ram::<account id>:role/<role name>`, the role name " +
			"1-64 letters, digits, periods and hyphens.",
		Required:   true,
		Validators: []validator.String{ruleValidator(credentials.RoleARN)},
	}
	attrs["session_name"] = schema.StringAttribute{
		MarkdownDescription: "Role session name, shown in ActionTrail: 2-64 letters, digits and `.@_-`. Default `" +
			credentials.DefaultRoleSessionName + "`.",
		Optional:   true,
		Validators: []validator.String{ruleValidator(credentials.RoleSessionName)},
	}
	attrs["session_expiration"] = schema.Int64Attribute{
		MarkdownDescription: fmt.Sprintf("Lifetime of the role's credentials in seconds, %d-%d, at most the role's "+
			"maximum session duration (and at most 3600 when the base credential is itself an STS token). "+
			"Default %d. The provider renews them before they expire.", credentials.MinSessionExpiration, credentials.MaxSessionExpiration, credentials.DefaultSessionExpiration),
		Optional:   true,
		Validators: []validator.Int64{int64validator.Between(credentials.MinSessionExpiration, credentials.MaxSessionExpiration)},
	}
	attrs["policy"] = schema.StringAttribute{
		MarkdownDescription: "A RAM policy (JSON, at most 2048 characters) that further limits what the role's " +
			"credentials may do.",
		Optional:   true,
		Validators: []validator.String{ruleValidator(credentials.Policy)},
	}
	attrs["sts_endpoint"] = schema.StringAttribute{
		MarkdownDescription: "STS endpoint, `host[:port]` or `https://host[:port]`, such as `sts-vpc.cn-hangzhou.aliyuncs.com`. " +
			"Default `sts.aliyuncs.com`, or the endpoint credentials-go derives from `ALIBABA_CLOUD_STS_REGION` and " +
			"`ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`.",
		Optional:   true,
		Validators: []validator.String{ruleValidator(credentials.STSEndpoint)},
	}
	return attrs
}

// ruleValidator checks a value against one of the documented forms the
// credential chain checks too, so that a malformed value is refused at plan
// time, with no request.
func ruleValidator(r credentials.Rule) stringCheck {
	return stringCheck{summary: r.Summary, description: r.Description, hideValue: r.Secret,
		check: func(s string) error {
			if r.Valid(s) {
				return nil
			}
			return errRuleBroken
		}}
}

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
