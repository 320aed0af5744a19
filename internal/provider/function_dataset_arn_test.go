package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func TestDatasetARNFunctionBuildsIMMsDatasetARNAndChecksEachArgument(t *testing.T) {
	tests := []struct {
		name    string
		args    [4]string
		want    string
		wantArg int64
		wantErr string
	}{
		{"a dataset", [4]string{"cn-hangzhou", "1234567890123456", "media", "photos"}, "acs:imm:cn-hangzhou:1234567890123456:project/media/dataset/photos", 0, ""},
		{"every dataset of a project", [4]string{"cn-hangzhou", "1234567890123456", "media", "*"}, "acs:imm:cn-hangzhou:1234567890123456:project/media/dataset/*", 0, ""},
		{"a bad project name", [4]string{"cn-hangzhou", "1234567890123456", "me dia", "photos"}, "", 2, `got "me dia"`},
		{"a bad dataset name", [4]string{"cn-hangzhou", "1234567890123456", "media", "2024-photos"}, "", 3, `must start with a letter or an underscore`},
		{"a bad account ID", [4]string{"cn-hangzhou", "acct-1", "media", "photos"}, "", 1, `must be a 16-digit Alibaba Cloud account ID`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, funcErr := callFunction(t, "dataset_arn", tftypes.String, tfString(tt.args[0]), tfString(tt.args[1]), tfString(tt.args[2]), tfString(tt.args[3]))
			checkStringResult(t, got, funcErr, tt.want, tt.wantArg, tt.wantErr)
		})
	}
}

func TestAccDatasetARNFunction_buildsTheARNOfADatasetAndRefusesABadName(t *testing.T) {
	requireTerraform(t, "1.8.0")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: functionFactories(),
		Steps: []resource.TestStep{
			{
				Config: `
output "dataset" {
  value = provider::imm::dataset_arn("cn-hangzhou", "1234567890123456", "media", "photos")
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("dataset", knownvalue.StringExact("acs:imm:cn-hangzhou:1234567890123456:project/media/dataset/photos")),
				},
			},
			{
				Config:      `output "arn" { value = provider::imm::dataset_arn("cn-hangzhou", "1234567890123456", "media", "photos.2024") }`,
				ExpectError: errorText(`Invalid value for "dataset_name" parameter: must start with a letter or an underscore`, `got "photos.2024"`),
			},
		},
	})
}
