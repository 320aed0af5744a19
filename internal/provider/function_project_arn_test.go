package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func TestProjectARNFunctionBuildsIMMsProjectARNAndChecksEachArgument(t *testing.T) {
	tests := []struct {
		name             string
		args             []string
		want             string
		wantArg          int64
		wantErrSubstring string
	}{
		{"a project", []string{"cn-hangzhou", "1234567890123456", "media_library"}, "acs:imm:cn-hangzhou:1234567890123456:project/media_library", 0, ""},
		{"every project of an account in every region", []string{"*", "1234567890123456", "*"}, "acs:imm:*:1234567890123456:project/*", 0, ""},
		{"projects by prefix", []string{"cn-shanghai", "*", "imm-test-doc*"}, "acs:imm:cn-shanghai:*:project/imm-test-doc*", 0, ""},
		{"a region in capitals", []string{"CN-Hangzhou", "1234567890123456", "media"}, "", 0, `must be a region ID such as cn-hangzhou, or "*" for every region, got "CN-Hangzhou"`},
		{"an account ID too short", []string{"cn-hangzhou", "12345", "media"}, "", 1, `must be a 16-digit Alibaba Cloud account ID, or "*" for every account, got "12345"`},
		{"a project name starting with a digit", []string{"cn-hangzhou", "1234567890123456", "9media"}, "", 2, `must start with a letter or an underscore`},
		{"a project name with a slash", []string{"cn-hangzhou", "1234567890123456", "media/photos"}, "", 2, `got "media/photos"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, funcErr := callFunction(t, "project_arn", tftypes.String, tfString(tt.args[0]), tfString(tt.args[1]), tfString(tt.args[2]))
			checkStringResult(t, got, funcErr, tt.want, tt.wantArg, tt.wantErrSubstring)
		})
	}
}

func TestAccProjectARNFunction_buildsTheARNAPolicyNeeds(t *testing.T) {
	requireTerraform(t, "1.8.0")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: functionFactories(),
		Steps: []resource.TestStep{
			{
				Config: `
output "project" {
  value = provider::imm::project_arn("cn-hangzhou", "1234567890123456", "media_library")
}
output "policy_resources" {
  value = [provider::imm::project_arn("*", "1234567890123456", "imm-test-doc*")]
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("project", knownvalue.StringExact("acs:imm:cn-hangzhou:1234567890123456:project/media_library")),
					statecheck.ExpectKnownOutputValue("policy_resources", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("acs:imm:*:1234567890123456:project/imm-test-doc*"),
					})),
				},
			},
			{
				Config:      `output "arn" { value = provider::imm::project_arn("cn-hangzhou", "1234567890123456", "9media") }`,
				ExpectError: errorText(`Invalid value for "project_name" parameter: must start with a letter or an underscore`, `got "9media"`),
			},
		},
	})
}
