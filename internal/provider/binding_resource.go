package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ resource.Resource                = &bindingResource{}
	_ resource.ResourceWithConfigure   = &bindingResource{}
	_ resource.ResourceWithImportState = &bindingResource{}
	_ resource.ResourceWithIdentity    = &bindingResource{}
)

// NewBindingResource is the imm_binding resource.
func NewBindingResource() resource.Resource { return newBindingResource() }

// newBindingResource is NewBindingResource with its type,
// which the imm_binding list resource embeds.
func newBindingResource() *bindingResource {
	r := &bindingResource{}
	r.resourceType = resourceType[bindingModel]{
		kind:         "binding",
		typeName:     "imm_binding",
		idAttributes: []string{"project_name", "dataset_name", "uri"},
		fetch:        r.fetchBinding,
		newer:        bindingUpdatedLater,
		timeouts:     defaultTimeouts{create: 30 * time.Minute, delete: 10 * time.Minute},
	}
	return r
}

type bindingResource struct{ resourceType[bindingModel] }

type bindingModel struct {
	bindingFields
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (m bindingModel) timeoutsValue() timeouts.Value { return m.Timeouts }

// bindingFields are what IMM says of a binding: the resource's attributes
// that its data sources share.
type bindingFields struct {
	ID          types.String `tfsdk:"id"`
	ProjectName types.String `tfsdk:"project_name"`
	DatasetName types.String `tfsdk:"dataset_name"`
	URI         types.String `tfsdk:"uri"`
	State       types.String `tfsdk:"state"`
	Phase       types.String `tfsdk:"phase"`
	Reason      types.String `tfsdk:"reason"`
	CreateTime  types.String `tfsdk:"create_time"`
	UpdateTime  types.String `tfsdk:"update_time"`
}

// bindingWrittenOnCreate are what a create settles: IMM's times, and the
// state and phase the provider waited for, which a lagging read must not
// take back.
var bindingWrittenOnCreate = []string{"state", "phase", "reason", "create_time", "update_time"}

func (r *bindingResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_binding"
}

func (r *bindingResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A binding of an IMM dataset to an OSS bucket (`CreateBinding`): IMM indexes every object " +
			"already in the bucket into the dataset, faces included, then indexes new objects as they are uploaded. " +
			"Create waits, within its timeout, until the full scan of the objects already there has finished, so a " +
			"clustering run that depends on the binding sees every photo. IMM has no update: every change replaces " +
			"the binding. Destroying it stops the indexing; the files already indexed stay in the dataset (the " +
			"dataset's `force_destroy` deletes them).",
		Attributes: map[string]schema.Attribute{
			"id": computedString("`project_name/dataset_name/uri`."),
			"project_name": schema.StringAttribute{
				MarkdownDescription: describe("The project of the dataset.", replacesBinding),
				Required:            true,
				PlanModifiers:       replace,
				Validators:          nameValidators(),
			},
			"dataset_name": schema.StringAttribute{
				MarkdownDescription: describe("The dataset the bucket's objects are indexed into.", replacesBinding),
				Required:            true,
				PlanModifiers:       replace,
				Validators:          nameValidators(),
			},
			"uri": schema.StringAttribute{
				MarkdownDescription: describe("The bucket, as `oss://<bucket>`: the only form IMM documents, so a binding "+
					"covers a whole bucket. The bucket must be in the project's region.", replacesBinding),
				Required:      true,
				PlanModifiers: replace,
				Validators:    []validator.String{bindingURIValidator},
			},
			"state": computedString("IMM's state of the binding: `Running` once created; IMM may later report `Stopped`, " +
				"`Retrying` or `Failed`."),
			"phase": computedString("`IncrementalScanning` once the full scan has finished (new objects are indexed as they " +
				"are uploaded); `FullScanning` while IMM goes through the objects already there."),
			"reason":      computedString("Why the binding stopped or failed, as IMM says; empty otherwise."),
			"create_time": computedString("When the binding was created (RFC 3339)."),
			"update_time": computedString("When IMM last paused, retried or restarted the binding (RFC 3339); the create " +
				"time until then."),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Delete: true}),
		},
	}
}

func (r *bindingResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, ctx, cancel := r.begin(ctx, req.Plan.Get, creating, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	answered, err := r.createOrAdopt(ctx, plan, func(ctx context.Context) (bindingModel, error) {
		binding, err := r.data.client.CreateBinding(ctx, expandBinding(&plan))
		var answered bindingModel
		if err == nil {
			flattenBinding(binding, &answered.bindingFields)
		}
		return answered, err
	}, resp)
	switch {
	case errors.Is(err, errSavedAsTainted):
		return
	case imm.IsNotFound(err):
		r.apiError(&resp.Diagnostics, "creating", plan, err, fmt.Sprintf("The dataset %s/%s does not exist (or IMM does "+
			"not show it yet). Create it first, for example with an imm_dataset resource that this binding refers to.",
			plan.ProjectName.ValueString(), plan.DatasetName.ValueString()))
		return
	case err != nil:
		r.apiError(&resp.Diagnostics, "creating", plan, err, r.alreadyExistsAdvice(err, plan, "A dataset is bound to a bucket at most once."))
		return
	}
	fillUnknown(&plan, &answered)
	tflog.Info(ctx, "Binding created; waiting for its full scan", map[string]any{"id": r.id(plan)})

	scanned, err := r.awaitFullScan(ctx, plan)
	switch {
	case err != nil:
		r.scanNotFinished(ctx, scanned, err, resp)
	case scanned.State.ValueString() != imm.StateRunning:
		r.bindingFailed(ctx, scanned, resp)
	default:
		r.saveCreate(ctx, &scanned, bindingWrittenOnCreate, resp)
	}
}

func (r *bindingResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.readWithConsistency(ctx, req, resp)
}

// Update only takes a new timeouts block: every argument forces replacement.
func (r *bindingResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.updateWithoutCall(ctx, req, resp)
}

func (r *bindingResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, ctx, cancel := r.begin(ctx, req.State.Get, deleting, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.data.client.DeleteBinding(ctx, expandBinding(&state)); err != nil && !imm.IsNotFound(err) {
		r.apiError(&resp.Diagnostics, "deleting", state, err, "")
	}
}

func (r *bindingResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	r.importByID(ctx, req, resp)
}

func (r *bindingResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	r.identitySchema(resp)
}

// awaitFullScan reads the binding until IMM says its full scan has finished
// (Running, phase IncrementalScanning) or it can no longer get there
// (Failed, Stopped, Deleted). Right after the create IMM may not show it yet
// (ResourceNotFound): that is read again too. The context's end is
// errPollTimeout.
func (r *bindingResource) awaitFullScan(ctx context.Context, plan bindingModel) (bindingModel, error) {
	read := plan
	if ctx.Err() != nil {
		return read, errPollTimeout
	}
	_, err := poll(ctx, 250*time.Millisecond, 5*time.Second, func(ctx context.Context) (bool, error) {
		got, err := r.fetchBinding(ctx, plan)
		if imm.IsNotFound(err) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		read = got
		switch got.State.ValueString() {
		case imm.StateRunning:
			return got.Phase.ValueString() == imm.PhaseIncrementalScanning, nil
		case imm.StateFailed, imm.StateStopped, imm.StateDeleted:
			return true, nil
		}
		return false, nil
	})
	if err != nil && ctx.Err() != nil {
		err = errPollTimeout // a read cut short by the end of the wait
	}
	return read, err
}

// scanNotFinished saves a binding whose full scan had not finished when the
// wait ended (timeout, Ctrl-C, a failed read) with an error, so Terraform
// keeps it as tainted: IMM has it, and the next apply replaces it.
func (r *bindingResource) scanNotFinished(ctx context.Context, plan bindingModel, err error, resp *resource.CreateResponse) {
	nullUnknown(&plan)
	summary := operationSummary("waiting for the full scan of", r.kind, r.id(plan))
	next := "It is saved as tainted: the next apply replaces it (deletes it and creates it again, which scans the " +
		"bucket again). To keep this binding as it is instead, run `terraform untaint` on it."
	if errors.Is(err, errPollTimeout) {
		why := "the create timeout passed"
		if errors.Is(ctx.Err(), context.Canceled) {
			why = "Terraform asked the provider to stop"
		}
		shown := plan.State.ValueString()
		if p := plan.Phase.ValueString(); p != "" {
			shown += ", phase " + p
		}
		resp.Diagnostics.AddError(summary, fmt.Sprintf("The binding was created, but its full scan had not finished when "+
			"%s (IMM last showed it %s); IMM goes on scanning. %s Raise timeouts.create for buckets that take longer.",
			why, shown, next))
	} else {
		resp.Diagnostics.AddError(summary, apiErrorDetail(err, "The binding was created, but reading it failed. "+next))
	}
	r.saveCreate(ctx, &plan, nil, resp)
}

// bindingFailed reports a binding IMM could not run, with IMM's reason, and
// deletes it: it can never recover (IMM has no action to restart a
// binding), and a failed binding still counts against the dataset's
// DatasetMaxBindCount and keeps the dataset from being deleted. Should the
// delete fail, the binding is saved as tainted so that it is not left
// behind.
func (r *bindingResource) bindingFailed(ctx context.Context, b bindingModel, resp *resource.CreateResponse) {
	detail := fmt.Sprintf("IMM reports the binding %s: %s.", b.State.ValueString(), strings.TrimSuffix(orUnknown(b.Reason), "."))
	cleanupCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	err := r.data.client.DeleteBinding(cleanupCtx, expandBinding(&b))
	if err != nil && !imm.IsNotFound(err) {
		resp.Diagnostics.AddError(operationSummary("creating", r.kind, r.id(b)), apiErrorDetail(err, detail+
			" Deleting the failed binding failed too, so it is saved as tainted: the next apply deletes it and tries again."))
		r.saveCreate(ctx, &b, nil, resp)
		return
	}
	resp.Diagnostics.AddError(operationSummary("creating", r.kind, r.id(b)), detail+" The provider deleted the failed "+
		"binding. Check that the bucket exists in the project's region and that the project's service role may read "+
		"it, then apply again.")
}

// orUnknown is a string value, or "unknown" when it is empty.
func orUnknown(v types.String) string {
	if v.ValueString() == "" {
		return "unknown"
	}
	return v.ValueString()
}

// fetchBinding reads the binding and writes IMM's answer over prior.
func (r *bindingResource) fetchBinding(ctx context.Context, prior bindingModel) (bindingModel, error) {
	b, err := r.data.client.GetBinding(ctx, expandBinding(&prior))
	if err != nil {
		return prior, err
	}
	read := prior
	flattenBinding(b, &read.bindingFields)
	return read, nil
}

// bindingUpdatedLater tells whether a read shows a change made after state's.
func bindingUpdatedLater(prior, read bindingModel) bool {
	return laterTime(prior.UpdateTime, read.UpdateTime)
}

func expandBinding(m *bindingModel) imm.CreateBindingRequest {
	return imm.CreateBindingRequest{
		ProjectName: m.ProjectName.ValueString(),
		DatasetName: m.DatasetName.ValueString(),
		URI:         m.URI.ValueString(),
	}
}

// flattenBinding writes what IMM says of a binding into m.
func flattenBinding(b *imm.Binding, m *bindingFields) {
	m.ID = types.StringValue(b.ProjectName + "/" + b.DatasetName + "/" + b.URI)
	m.ProjectName = types.StringValue(b.ProjectName)
	m.DatasetName = types.StringValue(b.DatasetName)
	m.URI = types.StringValue(b.URI)
	m.State = types.StringValue(b.State)
	m.Phase = types.StringValue(b.Phase)
	m.Reason = types.StringValue(b.Reason)
	m.CreateTime = types.StringValue(b.CreateTime)
	m.UpdateTime = types.StringValue(b.UpdateTime)
}
