package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/function"
)

var _ function.Function = &datasetARNFunction{}

// NewDatasetARNFunction is provider::imm::dataset_arn.
func NewDatasetARNFunction() function.Function { return &datasetARNFunction{} }

type datasetARNFunction struct{}

func (f *datasetARNFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "dataset_arn"
}

func (f *datasetARNFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "The RAM resource ARN of an IMM dataset",
		MarkdownDescription: "Builds the ARN that names an IMM dataset in the `Resource` of a RAM policy, as IMM's " +
			"authorization tables write it: `acs:imm:{region}:{account_id}:project/{project_name}/dataset/{dataset_name}`. " +
			"Dataset-level actions such as `imm:CreateDataset`, `imm:CreateBinding`, `imm:QueryFigureClusters` and " +
			"`imm:CreateFigureClusteringTask` are authorized on it. Every argument is checked as `project_arn` checks " +
			"it, and `dataset_name` follows IMM's name rule; `\"*\"` may stand for any part.",
		Parameters: []function.Parameter{
			arnRegionParameter(),
			arnAccountIDParameter(),
			arnNameParameter("project_name", "project"),
			arnNameParameter("dataset_name", "dataset"),
		},
		Return: function.StringReturn{},
	}
}

func (f *datasetARNFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var region, accountID, projectName, datasetName string
	resp.Error = req.Arguments.Get(ctx, &region, &accountID, &projectName, &datasetName)
	if resp.Error != nil {
		return
	}
	resp.Error = resp.Result.Set(ctx, projectARN(region, accountID, projectName)+"/dataset/"+datasetName)
}
