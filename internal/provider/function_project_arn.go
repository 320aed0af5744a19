package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
)

var _ function.Function = &projectARNFunction{}

// NewProjectARNFunction is provider::imm::project_arn.
func NewProjectARNFunction() function.Function { return &projectARNFunction{} }

type projectARNFunction struct{}

func (f *projectARNFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "project_arn"
}

func (f *projectARNFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The RAM resource ARN of an IMM project",
		MarkdownDescription: "Builds the ARN that names an IMM project in the `Resource` of a RAM policy, as IMM's " +
			"authorization tables write it: `acs:imm:{region}:{account_id}:project/{project_name}`. Project-level " +
			"actions such as `imm:CreateProject`, `imm:GetProject` and `imm:UpdateProject` are authorized on it. Every " +
			"argument is checked: a region ID, a 16-digit account ID and IMM's project name rule, each of which may be " +
			"`\"*\"` (and a name may hold `*` for any characters).",
		Parameters: []function.Parameter{
			arnRegionParameter(),
			arnAccountIDParameter(),
			arnNameParameter("project_name", "project"),
		},
		Return: function.StringReturn{},
	}
}

func (f *projectARNFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var region, accountID, projectName string
	resp.Error = req.Arguments.Get(ctx, &region, &accountID, &projectName)
	if resp.Error != nil {
		return
	}
	resp.Error = resp.Result.Set(ctx, projectARN(region, accountID, projectName))
}

// projectARN is acs:imm:{region}:{account}:project/{name}.
func projectARN(region, accountID, projectName string) string {
	return immARN(region, accountID, "project/"+projectName)
}
