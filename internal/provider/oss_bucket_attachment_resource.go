package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ resource.Resource                = &ossBucketAttachmentResource{}
	_ resource.ResourceWithConfigure   = &ossBucketAttachmentResource{}
	_ resource.ResourceWithImportState = &ossBucketAttachmentResource{}
	_ resource.ResourceWithIdentity    = &ossBucketAttachmentResource{}
)

// NewOSSBucketAttachmentResource is the imm_oss_bucket_attachment resource.
func NewOSSBucketAttachmentResource() resource.Resource { return newOSSBucketAttachmentResource() }

// newOSSBucketAttachmentResource is NewOSSBucketAttachmentResource with its type,
// which the imm_oss_bucket_attachment list resource embeds.
func newOSSBucketAttachmentResource() *ossBucketAttachmentResource {
	r := &ossBucketAttachmentResource{}
	r.resourceType = resourceType[ossBucketAttachmentModel]{
		kind:         "OSS bucket attachment",
		typeName:     "imm_oss_bucket_attachment",
		idAttributes: []string{"oss_bucket"},
		fetch:        r.fetchAttachment,
		newer:        attachmentUpdatedLater,
		arguments:    []string{"project_name", "description"},
		timeouts:     defaultTimeouts{create: 5 * time.Minute, delete: 5 * time.Minute},
	}
	return r
}

type ossBucketAttachmentResource struct {
	resourceType[ossBucketAttachmentModel]
}

type ossBucketAttachmentModel struct {
	ossBucketAttachmentFields
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (m ossBucketAttachmentModel) timeoutsValue() timeouts.Value { return m.Timeouts }

// ossBucketAttachmentFields are what IMM says of an attachment: the
// resource's attributes that its data sources share.
type ossBucketAttachmentFields struct {
	ID          types.String `tfsdk:"id"`
	OSSBucket   types.String `tfsdk:"oss_bucket"`
	ProjectName types.String `tfsdk:"project_name"`
	Description types.String `tfsdk:"description"`
	CreateTime  types.String `tfsdk:"create_time"`
	UpdateTime  types.String `tfsdk:"update_time"`
}

// attachmentWrittenOnCreate are the attributes an attach writes.
var attachmentWrittenOnCreate = []string{"project_name", "description", "create_time", "update_time"}

func (r *ossBucketAttachmentResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_oss_bucket_attachment"
}

func (r *ossBucketAttachmentResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "An OSS bucket attached to an IMM project (`AttachOSSBucket`): what IMM needs to process " +
			"the bucket's objects through `x-oss-process`, and to run triggers and batches on them. A bucket is attached " +
			"to at most one project. IMM has no update for an attachment, so every change replaces it (the bucket is " +
			"detached, then attached again). Attachments are independent of bindings (`imm_binding`), which index a " +
			"bucket into a dataset.",
		Attributes: map[string]schema.Attribute{
			"id": computedString("The bucket name."),
			"oss_bucket": schema.StringAttribute{
				MarkdownDescription: describe("The bucket: a bucket name (not a URI), in the project's region.", replacesAttachment),
				Required:            true,
				PlanModifiers:       replace,
				Validators:          []validator.String{bucketNameValidator},
			},
			"project_name": schema.StringAttribute{
				MarkdownDescription: describe("The project the bucket is attached to.", replacesAttachment),
				Required:            true,
				PlanModifiers:       replace,
				Validators:          nameValidators(),
			},
			"description": schema.StringAttribute{
				MarkdownDescription: describe("A description, 1-128 characters. Optional; none when left out.", replacesAttachment),
				Optional:            true,
				PlanModifiers:       replace,
				Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, 128)},
			},
			"create_time": computedString("When the bucket was attached (RFC 3339)."),
			"update_time": computedString("When the attachment last changed (RFC 3339)."),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Delete: true}),
		},
	}
}

func (r *ossBucketAttachmentResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, ctx, cancel := r.begin(ctx, req.Plan.Get, creating, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	answered, err := r.createOrAdopt(ctx, plan, func(callCtx context.Context) (ossBucketAttachmentModel, error) {
		return r.attach(callCtx, ctx, plan, resp)
	}, resp)
	switch {
	case errors.Is(err, errSavedAsTainted):
		return
	case imm.IsNotFound(err):
		r.apiError(&resp.Diagnostics, "creating", plan, err, fmt.Sprintf("The project %s does not exist (or IMM does not "+
			"show it yet). Create it first, for example with an imm_project resource that this attachment refers to.",
			plan.ProjectName.ValueString()))
		return
	case err != nil:
		r.apiError(&resp.Diagnostics, "creating", plan, err, r.alreadyExistsAdvice(err, plan,
			"A bucket is attached to at most one project in a region."))
		return
	}
	fillUnknown(&plan, &answered)
	r.saveCreate(ctx, &plan, attachmentWrittenOnCreate, resp)
}

// attach sends AttachOSSBucket, which answers with a request ID only, then
// reads the attachment for IMM's times, until a read shows it as sent (a
// lagging read may not show it yet, or show the attachment it replaces).
// Should no read show it in time, the attachment is there all the same: it
// is saved without its times, which the next refresh fills in, and a
// warning says so. The call runs on callCtx (createOrAdopt's, which outlives
// a stop), the reads within the create's own ctx.
func (r *ossBucketAttachmentResource) attach(callCtx, ctx context.Context, plan ossBucketAttachmentModel,
	resp *resource.CreateResponse) (ossBucketAttachmentModel, error) {
	err := r.data.client.AttachOSSBucket(callCtx, imm.AttachOSSBucketRequest{
		ProjectName: plan.ProjectName.ValueString(),
		OSSBucket:   plan.OSSBucket.ValueString(),
		Description: knownString(plan.Description),
	})
	if err != nil {
		return plan, err
	}
	var read ossBucketAttachmentModel
	readErr := errors.New("IMM's reads did not show the attachment as sent before the create timeout")
	// try never fails: poll ends when a read settles it or time runs out.
	_, _ = poll(ctx, 250*time.Millisecond, 5*time.Second, func(ctx context.Context) (bool, error) {
		got, err := r.fetchAttachment(ctx, plan)
		switch {
		case err == nil && shows(&plan, &got, []string{"project_name", "description"}):
			read, readErr = got, nil
			return true, nil
		case err != nil && !imm.IsNotFound(err):
			readErr = err
			return true, nil
		}
		return false, nil
	})
	if readErr != nil {
		resp.Diagnostics.AddWarning(operationSummary("reading", r.kind, r.id(plan)), apiErrorDetail(readErr,
			"The bucket was attached, but reading the attachment back failed; its times stay unknown until the next refresh."))
		read = plan
		read.ID = plan.OSSBucket
		read.CreateTime, read.UpdateTime = types.StringNull(), types.StringNull()
	}
	// The attach succeeded whatever the read said.
	return read, nil
}

func (r *ossBucketAttachmentResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.readWithConsistency(ctx, req, resp)
}

// Update only takes a new timeouts block: every argument forces replacement.
func (r *ossBucketAttachmentResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.updateWithoutCall(ctx, req, resp)
}

func (r *ossBucketAttachmentResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, ctx, cancel := r.begin(ctx, req.State.Get, deleting, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.data.client.DetachOSSBucket(ctx, state.OSSBucket.ValueString()); err != nil && !imm.IsNotFound(err) {
		r.apiError(&resp.Diagnostics, "deleting", state, err, "")
	}
}

func (r *ossBucketAttachmentResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	r.importByID(ctx, req, resp)
}

func (r *ossBucketAttachmentResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	r.identitySchema(resp)
}

// fetchAttachment reads the attachment and writes IMM's answer over prior.
func (r *ossBucketAttachmentResource) fetchAttachment(ctx context.Context, prior ossBucketAttachmentModel) (ossBucketAttachmentModel, error) {
	a, err := r.data.client.GetOSSBucketAttachment(ctx, prior.OSSBucket.ValueString())
	if err != nil {
		return prior, err
	}
	read := prior
	flattenAttachment(a, &read.ossBucketAttachmentFields)
	return read, nil
}

// attachmentUpdatedLater tells whether a read shows a change made after
// state's.
func attachmentUpdatedLater(prior, read ossBucketAttachmentModel) bool {
	return laterTime(prior.UpdateTime, read.UpdateTime)
}

// flattenAttachment writes what IMM says of an attachment into m. IMM's
// empty description is no description.
func flattenAttachment(a *imm.OSSBucketAttachment, m *ossBucketAttachmentFields) {
	m.ID = types.StringValue(a.OSSBucket)
	m.OSSBucket = types.StringValue(a.OSSBucket)
	m.ProjectName = types.StringValue(a.ProjectName)
	m.Description = types.StringNull()
	if a.Description != "" {
		m.Description = types.StringValue(a.Description)
	}
	m.CreateTime = types.StringValue(a.CreateTime)
	m.UpdateTime = types.StringValue(a.UpdateTime)
}
