package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// The provider's diagnostics read alike: a short summary naming the operation
// and the object ("updating IMM project (my-proj)"), and a detail that says
// what happened, with IMM's code, message and request ID when the service said
// no, and what to do.

// operationSummary is the summary of a failed operation on an object.
// Terraform prints it after "Error: ", so it starts with the verb.
func operationSummary(verb, kind, id string) string {
	return fmt.Sprintf("%s IMM %s (%s)", verb, kind, id)
}

// apiErrorDetail explains a failed call, with advice when there is some.
func apiErrorDetail(err error, advice string) string {
	var b strings.Builder
	var apiErr *imm.Error
	if errors.As(err, &apiErr) {
		fmt.Fprintf(&b, "IMM refused %s.\n\nCode:       %s\nMessage:    %s\nRequest ID: %s\nHTTP:       %d",
			apiErr.Action, apiErr.Code, apiErr.Message, apiErr.RequestID, apiErr.StatusCode)
		if apiErr.Recommend != "" {
			fmt.Fprintf(&b, "\nDiagnosis:  %s", apiErr.Recommend)
		}
		if isCredentialCode(apiErr.Code) {
			fmt.Fprintf(&b, "\n\n%s", credentialAdvice(apiErr.Code, apiErr.CredentialSource))
		}
	} else {
		fmt.Fprintf(&b, "The request to IMM failed: %v", err)
	}
	if advice != "" {
		fmt.Fprintf(&b, "\n\n%s", advice)
	}
	return b.String()
}

// addAPIError adds the diagnostic of a failed operation.
func addAPIError(diags *diag.Diagnostics, verb, kind, id string, err error, advice string) {
	diags.AddError(operationSummary(verb, kind, id), apiErrorDetail(err, advice))
}

// credentialCodeAdvice says what to check when IMM or STS refuses a
// credential. The codes are the gateway's, the same for every Alibaba Cloud
// product.
var credentialCodeAdvice = map[string]string{
	"InvalidAccessKeyId.NotFound": "The AccessKey ID is unknown. Check that it is copied whole, that it has not been " +
		"deleted in the RAM console, and that it belongs to this Alibaba Cloud site (China or international).",
	"InvalidAccessKeyId.Inactive": "The AccessKey is disabled. Enable it in the RAM console or use another one.",
	"SignatureDoesNotMatch": "The AccessKey secret does not match the AccessKey ID. Check the secret (a copied secret " +
		"often carries a stray space or line break) and that the ID and the secret come from the same pair.",
	"InvalidSecurityToken.Expired": "The STS security token has expired. Get a new one, or let the provider assume " +
		"the role itself (assume_role), which renews the token before it expires.",
	"InvalidSecurityToken.Malformed": "The STS security token is missing, malformed or unknown. A temporary AccessKey " +
		"ID (STS.…) needs the security token issued with it.",
	"InvalidSecurityToken.MismatchWithAccessKey": "The security token was issued with another AccessKey. Take the " +
		"AccessKey ID, secret and token from the same STS answer, and drop the token for a long-term AccessKey.",
	"EntityNotExist.Role":      "The role does not exist. Check role_arn: acs:ram::<account id>:role/<role name>.",
	"InvalidParameter.RoleArn": "role_arn is not a RAM role ARN. It looks like acs:ram::<account id>:role/<role name>.",
	"NoPermission": "The credentials may not assume this role. They need the AliyunSTSAssumeRoleAccess policy, and " +
		"the role's trust policy must allow their account or RAM user.",
}

// isCredentialCode reports whether code says the credential, not the request,
// was refused.
func isCredentialCode(code string) bool {
	_, ok := credentialCodeAdvice[code]
	return ok
}

// credentialAdvice is the advice for a refused credential, naming the source
// the provider took it from when known.
func credentialAdvice(code, source string) string {
	advice := credentialCodeAdvice[code]
	switch {
	case advice == "":
		return ""
	case source != "":
		return advice + fmt.Sprintf("\n\nThe credentials came from %s.", source)
	default:
		return advice + "\n\nThe provider's log (TF_LOG=INFO) names the source the credentials came from."
	}
}
