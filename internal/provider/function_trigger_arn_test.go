package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func TestTriggerARNFunctionBuildsIMMsTriggerARNAndChecksEachArgument(t *testing.T) {
	const id = "trigger-9f72636a-0f0c-4baf-ae78-38b27b000000"
	tests := []struct {
		name    string
		args    [4]string
		want    string
		wantArg int64
		wantErr string
	}{
		{"one trigger", [4]string{"cn-hangzhou", "1234567890123456", "media", id}, "acs:imm:cn-hangzhou:1234567890123456:project/media/trigger/" + id, 0, ""},
		{"what CreateTrigger is authorized on", [4]string{"cn-hangzhou", "1234567890123456", "media", "*"}, "acs:imm:cn-hangzhou:1234567890123456:project/media/trigger/*", 0, ""},
		{"a batch's Id", [4]string{"cn-hangzhou", "1234567890123456", "media", "batch-1"}, "", 3, `must be a trigger's Id such as trigger-`},
		{"a bad region", [4]string{"cn_hangzhou", "1234567890123456", "media", id}, "", 0, `must be a region ID`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, funcErr := callFunction(t, "trigger_arn", tftypes.String, tfString(tt.args[0]), tfString(tt.args[1]), tfString(tt.args[2]), tfString(tt.args[3]))
			checkStringResult(t, got, funcErr, tt.want, tt.wantArg, tt.wantErr)
		})
	}
}

func TestAccTriggerARNFunction_buildsTheARNCreateTriggerIsAuthorizedOn(t *testing.T) {
	requireTerraform(t, "1.8.0")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: functionFactories(),
		Steps: []resource.TestStep{
			{
				Config: `
output "create_trigger" {
  value = provider::imm::trigger_arn("cn-hangzhou", "1234567890123456", "media", "*")
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("create_trigger", knownvalue.StringExact("acs:imm:cn-hangzhou:1234567890123456:project/media/trigger/*")),
				},
			},
			{
				Config:      `output "arn" { value = provider::imm::trigger_arn("cn-hangzhou", "1234567890123456", "media", "my-trigger") }`,
				ExpectError: errorText(`Invalid value for "trigger_id" parameter: must be a trigger's Id`, `got "my-trigger"`),
			},
		},
	})
}
