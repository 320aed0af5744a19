package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ action.Action              = &batchAction{}
	_ action.ActionWithConfigure = &batchAction{}
)

// NewBatchAction is the imm_create_batch action (Terraform 1.14 and later): a
// batch run over the objects already in an OSS bucket, the one-off
// counterpart of imm_trigger, which processes the objects uploaded after it.
func NewBatchAction() action.Action { return &batchAction{} }

type batchAction struct{ data *providerData }

// batchActionModel takes what a trigger takes, but suspension: a batch is
// run, not kept.
type batchActionModel struct {
	ProjectName  types.String `tfsdk:"project_name"`
	Input        types.Object `tfsdk:"input"`
	Actions      types.List   `tfsdk:"actions"`
	ServiceRole  types.String `tfsdk:"service_role"`
	Notification types.Object `tfsdk:"notification"`
	Tags         types.Map    `tfsdk:"tags"`
	Timeout      types.String `tfsdk:"timeout"`
}

// batchActionTimeout is how long the action waits for its batch when its
// timeout argument is left out.
const batchActionTimeout = 60 * time.Minute

func (a *batchAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_create_batch"
}

func (a *batchAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	var trigger resource.SchemaResponse
	NewTriggerResource().Schema(ctx, resource.SchemaRequest{}, &trigger)
	attrs := actionArguments(trigger.Schema.Attributes, "project_name", "input", "actions", "service_role", "notification", "tags")
	if tags, ok := attrs["tags"].(schema.MapAttribute); ok {
		tags.MarkdownDescription += " " + actionTagsNote
		attrs["tags"] = tags
	}
	attrs["timeout"] = schema.StringAttribute{
		MarkdownDescription: "How long to wait for the batch, a duration such as `60m` (the default).",
		Optional:            true,
		Validators:          []validator.String{durationValidator},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Runs IMM's `CreateBatch`: the processing templates in `actions` over every object already " +
			"under `input` (the bucket must be attached to the project), and waits until the batch has `Succeeded`. It " +
			"reports progress while it waits, and fails with IMM's error if the batch fails. Invoke it with " +
			"`terraform apply -invoke=action.imm_create_batch.<name>`. For the objects uploaded later, use an " +
			"`imm_trigger`. Needs Terraform 1.14 or later.",
		Attributes: attrs,
	}
}

func (a *batchAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (a *batchAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var config batchActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	createReq, diags := expandCreateTrigger(ctx, &triggerFields{ProjectName: config.ProjectName, Input: config.Input,
		Actions: config.Actions, ServiceRole: config.ServiceRole, Notification: config.Notification, Tags: config.Tags})
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	createReq.Tags = a.data.tags.withDefaults(createReq.Tags)
	timeout := batchActionTimeout
	if !config.Timeout.IsNull() {
		timeout, _ = time.ParseDuration(config.Timeout.ValueString()) // checked by durationValidator
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	project := config.ProjectName.ValueString()
	id, err := a.data.client.CreateBatch(ctx, createReq)
	if err != nil {
		advice := ""
		if imm.MayHaveBeenApplied(err) {
			advice = "IMM's answer was lost on the way, so the batch may exist anyway: look for it among the project's " +
				"batches (ListBatches, or the IMM console) before invoking the action again."
		}
		addAPIError(&resp.Diagnostics, "creating a batch in", "project", project, err, advice)
		return
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Batch %s created in project %s", id, project)})

	begun := time.Now()
	batch, err := a.awaitBatch(ctx, project, id, func(b *imm.DataIngestion) {
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Batch %s is %s: %d tasks submitted, %d failed, %d "+
			"files skipped (%s)", id, b.State, b.Statistic.SubmitSuccess, b.Statistic.SubmitFailure, b.Statistic.SkipFiles,
			time.Since(begun).Round(time.Second))})
	})
	summary := operationSummary("running", "batch", project+"/"+id)
	switch {
	case errors.Is(err, errPollTimeout):
		resp.Diagnostics.AddError(summary, fmt.Sprintf("The batch was still running when the action's timeout (%s) passed. "+
			"It goes on in IMM.", timeout))
	case err != nil:
		addAPIError(&resp.Diagnostics, "waiting for", "batch", project+"/"+id, err, "")
	case batch.State == imm.StateFailed:
		resp.Diagnostics.AddError(summary, fmt.Sprintf("The batch failed: %s", batch.Error))
	default:
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Batch %s succeeded in %s: %d tasks submitted",
			id, time.Since(begun).Round(time.Second), batch.Statistic.SubmitSuccess)})
	}
}

// awaitBatch reads a batch until it has finished (Succeeded or Failed).
// Right after its creation IMM may not show it yet: that is read again too.
func (a *batchAction) awaitBatch(ctx context.Context, project, id string, progress func(*imm.DataIngestion)) (*imm.DataIngestion, error) {
	var batch *imm.DataIngestion
	_, err := poll(ctx, 500*time.Millisecond, 10*time.Second, func(ctx context.Context) (bool, error) {
		b, err := a.data.client.GetBatch(ctx, project, id)
		if imm.IsNotFound(err) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		batch = b
		done := b.State == imm.StateSucceeded || b.State == imm.StateFailed
		if !done {
			progress(b)
		}
		return done, nil
	})
	return batch, err
}
