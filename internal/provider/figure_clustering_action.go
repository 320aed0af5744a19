package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ action.Action               = &figureClusteringAction{}
	_ action.ActionWithConfigure  = &figureClusteringAction{}
	_ action.ActionWithModifyPlan = &figureClusteringAction{}
)

// NewFigureClusteringAction is the imm_create_figure_clustering_task action
// (Terraform 1.14 and later): a clustering run as the one-off operation it
// is, where the imm_figure_clustering resource makes it a thing in state.
func NewFigureClusteringAction() action.Action { return &figureClusteringAction{} }

type figureClusteringAction struct{ data *providerData }

type figureClusteringActionModel struct {
	ProjectName types.String `tfsdk:"project_name"`
	DatasetName types.String `tfsdk:"dataset_name"`
	Tags        types.Map    `tfsdk:"tags"`
	UserData    types.String `tfsdk:"user_data"`
	Timeout     types.String `tfsdk:"timeout"`
}

// clusteringActionTimeout is how long the action waits for its task when
// its timeout argument is left out.
const clusteringActionTimeout = 30 * time.Minute

func (a *figureClusteringAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_create_figure_clustering_task"
}

func (a *figureClusteringAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Runs IMM's `CreateFigureClusteringTask` on a dataset and waits until the task has finished: " +
			"it groups the faces not yet clustered into face clusters (one per person, adding to the clusters of earlier " +
			"runs). It reports progress while it waits, and fails with the task's code and message if the task fails. " +
			"Invoke it with `terraform apply -invoke=action.imm_create_figure_clustering_task.<name>`, or from a " +
			"resource's `lifecycle { action_trigger { ... } }`, for example after an `imm_binding` is created. Needs " +
			"Terraform 1.14 or later; older versions use the `imm_figure_clustering` resource.",
		Attributes: map[string]schema.Attribute{
			"project_name": schema.StringAttribute{
				MarkdownDescription: "The project of the dataset.",
				Required:            true,
				Validators:          nameValidators(),
			},
			"dataset_name": schema.StringAttribute{
				MarkdownDescription: "The dataset whose faces are clustered.",
				Required:            true,
				Validators:          nameValidators(),
			},
			"tags": schema.MapAttribute{
				MarkdownDescription: "Tags of the task, which IMM returns with it (and with its notification): at most 20, the " +
					"default tags included. " +
					actionTagsNote,
				ElementType: types.StringType,
				Optional:    true,
				Validators:  tagValidators(),
			},
			"user_data": schema.StringAttribute{
				MarkdownDescription: "Data of your own that IMM returns with the task, at most 2048 bytes (IMM counts bytes here).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 2048)},
			},
			"timeout": schema.StringAttribute{
				MarkdownDescription: "How long to wait for the task, a duration such as `30m` (the default).",
				Optional:            true,
				Validators:          []validator.String{durationValidator},
			},
		},
	}
}

func (a *figureClusteringAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses, at plan time, tags that with the provider's default
// tags are more than a task may carry.
func (a *figureClusteringAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	var own types.Map
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("tags"), &own)...)
	if a.data == nil || resp.Diagnostics.HasError() || hasUnknown(own) {
		return
	}
	tags, diags := stringMap(ctx, own)
	resp.Diagnostics.Append(diags...)
	if all := a.data.tags.withDefaults(tags); len(all) > tagLimit {
		resp.Diagnostics.AddAttributeError(path.Root("tags"), "Too many tags", tooManyTags(len(all), tagLimit))
	}
}

func (a *figureClusteringAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var config figureClusteringActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	own, diags := stringMap(ctx, config.Tags)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	tags := a.data.tags.withDefaults(own) // their number is checked at plan (ModifyPlan)
	timeout := clusteringActionTimeout
	if !config.Timeout.IsNull() {
		timeout, _ = time.ParseDuration(config.Timeout.ValueString()) // checked by durationValidator
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	project, dataset := config.ProjectName.ValueString(), config.DatasetName.ValueString()
	id := project + "/" + dataset
	started, err := a.data.client.CreateFigureClusteringTask(ctx, imm.CreateFigureClusteringTaskRequest{
		ProjectName: project, DatasetName: dataset, Tags: tags, UserData: knownString(config.UserData)})
	if err != nil {
		addAPIError(&resp.Diagnostics, "starting clustering of", "dataset", id, err, notFoundAdvice(err, fmt.Sprintf(
			"The dataset %s does not exist, or IMM does not show it yet.", id)))
		return
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Clustering task %s started on %s", started.TaskId, id)})

	begun := time.Now()
	task, err := awaitTask(ctx, a.data.client, project, started.TaskId, func(t *imm.Task) {
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Clustering task %s is %s (%d%%, %s)",
			t.TaskId, t.Status, t.Progress, time.Since(begun).Round(time.Second))})
	})
	switch {
	case errors.Is(err, errPollTimeout):
		resp.Diagnostics.AddError(operationSummary("waiting for clustering of", "dataset", id),
			fmt.Sprintf("The clustering task %s was still running when the action's timeout (%s) passed. It goes on in IMM.",
				started.TaskId, timeout))
	case err != nil:
		addAPIError(&resp.Diagnostics, "waiting for clustering of", "dataset", id, err, "")
	case task.Status == imm.TaskFailed:
		resp.Diagnostics.AddError(operationSummary("clustering", "dataset", id),
			fmt.Sprintf("The clustering task %s failed.\n\nCode:    %s\nMessage: %s", task.TaskId, task.Code, task.Message))
	default:
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Clustering task %s succeeded in %s",
			task.TaskId, time.Since(begun).Round(time.Second))})
	}
}
