package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/immlabs/terraform-provider-imm/internal/credentials"
)

// The provider's side of its credentials: the configuration goes into
// internal/credentials as plain settings, and what goes wrong comes back as
// diagnostics, each naming the source (and the attribute, where there is one)
// and what to check.

// resolveCredential resolves the credential the provider block and env give.
func resolveCredential(cfg providerModel, env credentials.Environment) (*credentials.Resolved, diag.Diagnostics) {
	cred, err := credentials.Resolve(credentialSettings(cfg), env)
	if err != nil {
		return nil, credentialDiagnostics(err)
	}
	return cred, nil
}

// credentialSettings are the credential arguments of the provider block. A
// null argument is an empty setting, which the chain reads as unset.
func credentialSettings(cfg providerModel) credentials.Settings {
	s := credentials.Settings{
		AccessKey:             cfg.AccessKey.ValueString(),
		SecretKey:             cfg.SecretKey.ValueString(),
		SecurityToken:         cfg.SecurityToken.ValueString(),
		Profile:               cfg.Profile.ValueString(),
		SharedCredentialsFile: cfg.SharedCredentialsFile.ValueString(),
		ECSRoleName:           cfg.ECSRoleName.ValueString(),
		CredentialsURI:        cfg.CredentialsURI.ValueString(),
	}
	if r := cfg.assumeRole(); r != nil {
		s.AssumeRole = &credentials.AssumeRole{
			RoleARN:           r.RoleARN.ValueString(),
			SessionName:       r.SessionName.ValueString(),
			SessionExpiration: int(r.SessionExpiration.ValueInt64()),
			Policy:            r.Policy.ValueString(),
			ExternalID:        r.ExternalID.ValueString(),
			STSEndpoint:       r.STSEndpoint.ValueString(),
		}
	}
	if o := cfg.assumeRoleWithOIDC(); o != nil {
		s.AssumeRoleWithOIDC = &credentials.AssumeRoleWithOIDC{
			RoleARN:           o.RoleARN.ValueString(),
			OIDCProviderARN:   o.OIDCProviderARN.ValueString(),
			OIDCTokenFile:     o.OIDCTokenFile.ValueString(),
			SessionName:       o.SessionName.ValueString(),
			SessionExpiration: int(o.SessionExpiration.ValueInt64()),
			Policy:            o.Policy.ValueString(),
			STSEndpoint:       o.STSEndpoint.ValueString(),
		}
	}
	return s
}

// credentialDiagnostics maps an error of credentials.Resolve to one
// diagnostic.
func credentialDiagnostics(err error) diag.Diagnostics {
	var diags diag.Diagnostics
	var (
		setting       *credentials.SettingError
		misconfigured *credentials.MisconfiguredSourceError
		failed        *credentials.SourceFailedError
		none          *credentials.NoSourceError
		role          *credentials.AssumeRoleError
	)
	switch {
	case errors.As(err, &setting):
		// The schema's validators apply the same rules, so this is rare.
		at := settingPath(setting.Setting)
		detail := fmt.Sprintf("%s %s, got %q.", at, setting.Rule.Description, setting.Value)
		if setting.Rule.Secret {
			detail = fmt.Sprintf("%s %s.", at, setting.Rule.Description)
		}
		diags.AddAttributeError(at, setting.Rule.Summary, detail)
	case errors.As(err, &misconfigured):
		diags.AddError("Invalid IMM credentials", fmt.Sprintf("The credentials from %s can't be used: %s",
			misconfigured.Source, credentials.Describe(misconfigured.Err)))
	case errors.As(err, &failed):
		diags.AddError("Invalid IMM credentials", withRefusalAdvice(fmt.Sprintf("The credentials from %s could not be obtained: %s",
			failed.Source, credentials.Describe(failed.Err)), failed.Err, failed.Source, ""))
	case errors.As(err, &none):
		diags.AddError("No IMM credentials found", noCredentialsDetail(none))
	case errors.As(err, &role) && !role.Sent:
		diags.AddAttributeError(path.Root("assume_role"), "Invalid assume_role", role.Err.Error())
	case errors.As(err, &role):
		diags.AddAttributeError(path.Root("assume_role"), "Could not assume the RAM role", assumeRoleFailureDetail(role))
	default:
		diags.AddError("Invalid IMM credentials", err.Error())
	}
	return diags
}

// settingPath is the attribute a setting of internal/credentials comes from:
// "assume_role.role_arn" is assume_role[0].role_arn.
func settingPath(setting string) path.Path {
	block, attr, nested := strings.Cut(setting, ".")
	if !nested {
		return path.Root(setting)
	}
	return path.Root(block).AtListIndex(0).AtName(attr)
}

// withRefusalAdvice adds to detail the advice for the code a service refused
// with (naming source), or otherAdvice when no service answered.
func withRefusalAdvice(detail string, err error, source, otherAdvice string) string {
	advice := otherAdvice
	if r, ok := credentials.ParseRefusal(err); ok {
		advice = credentialAdvice(r.Code, source)
	}
	if advice != "" {
		detail += "\n\n" + advice
	}
	return detail
}

// noCredentialsDetail lists every source the provider looked at.
func noCredentialsDetail(e *credentials.NoSourceError) string {
	lines := make([]string, len(e.Tried))
	for i, a := range e.Tried {
		if a.Err == nil {
			lines[i] = fmt.Sprintf("- %s: not set (%s)", a.Source, a.Hint)
		} else {
			lines[i] = fmt.Sprintf("- %s: %s (%s)", a.Source, credentials.Describe(a.Err), a.Hint)
		}
	}
	return "The IMM provider found no credentials. It looked, in this order, at:\n" + strings.Join(lines, "\n") +
		"\n\nSet one of them. The provider documentation shows an example of each."
}

// assumeRoleFailureDetail says which role could not be assumed, with which
// credentials, and why.
func assumeRoleFailureDetail(e *credentials.AssumeRoleError) string {
	detail := fmt.Sprintf("The provider could not assume the role %s (session %q) through %s with the credentials from %s: %s",
		e.RoleARN, e.SessionName, firstNonEmpty(e.STSEndpoint, "the default STS endpoint"), e.BaseSource, credentials.Describe(e.Err))
	return withRefusalAdvice(detail, e.Err, e.BaseSource, "Check sts_endpoint and that Terraform can reach it over HTTPS.")
}
