package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
)

var _ function.Function = &triggerARNFunction{}

// NewTriggerARNFunction is provider::imm::trigger_arn.
func NewTriggerARNFunction() function.Function { return &triggerARNFunction{} }

type triggerARNFunction struct{}

func (f *triggerARNFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "trigger_arn"
}

func (f *triggerARNFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The RAM resource ARN of an IMM trigger",
		MarkdownDescription: "Builds the ARN that names an IMM trigger in the `Resource` of a RAM policy: " +
			"`acs:imm:{region}:{account_id}:project/{project_name}/trigger/{trigger_id}`. IMM authorizes " +
			"`imm:CreateTrigger` on `trigger/*` (pass `\"*\"` as `trigger_id`); the same path with a trigger's Id " +
			"names one trigger. Every argument is checked as `project_arn` checks it, and `trigger_id` must be a " +
			"trigger's Id (`trigger-...`) or `\"*\"`.",
		Parameters: []function.Parameter{
			arnRegionParameter(),
			arnAccountIDParameter(),
			arnNameParameter("project_name", "project"),
			function.StringParameter{Name: "trigger_id", Validators: []function.StringParameterValidator{arnTriggerIDCheck},
				MarkdownDescription: "The trigger's Id, such as `trigger-9f72636a-0f0c-4baf-ae78-38b27b000000`, or `\"*\"` for every trigger of the project."},
		},
		Return: function.StringReturn{},
	}
}

func (f *triggerARNFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var region, accountID, projectName, triggerID string
	resp.Error = req.Arguments.Get(ctx, &region, &accountID, &projectName, &triggerID)
	if resp.Error != nil {
		return
	}
	resp.Error = resp.Result.Set(ctx, projectARN(region, accountID, projectName)+"/trigger/"+triggerID)
}
