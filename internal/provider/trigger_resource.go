package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ resource.Resource                = &triggerResource{}
	_ resource.ResourceWithConfigure   = &triggerResource{}
	_ resource.ResourceWithImportState = &triggerResource{}
	_ resource.ResourceWithIdentity    = &triggerResource{}
	_ resource.ResourceWithModifyPlan  = &triggerResource{}
)

// NewTriggerResource is the imm_trigger resource.
func NewTriggerResource() resource.Resource { return newTriggerResource() }

// newTriggerResource is NewTriggerResource with its type,
// which the imm_trigger list resource embeds.
func newTriggerResource() *triggerResource {
	r := &triggerResource{}
	r.resourceType = resourceType[triggerModel]{
		kind:         "trigger",
		typeName:     "imm_trigger",
		idAttributes: []string{"project_name", "id"},
		fetch:        r.fetchTrigger,
		newer:        triggerUpdatedLater,
		arguments:    triggerArguments,
		findCreated:  r.listTriggers,
		timeouts:     defaultTimeouts{create: 10 * time.Minute, update: 10 * time.Minute, delete: 10 * time.Minute},
	}
	return r
}

type triggerResource struct{ resourceType[triggerModel] }

type triggerModel struct {
	triggerFields
	TagsAll  types.Map      `tfsdk:"tags_all"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (m triggerModel) timeoutsValue() timeouts.Value { return m.Timeouts }

// triggerUpdatableAttributes are what UpdateTrigger can change. ServiceRole
// and Notification cannot be updated (imm-api.md §13.2); suspended is a
// SuspendTrigger or ResumeTrigger call, not an update.
var triggerUpdatableAttributes = []updatableAttribute[imm.UpdateTriggerRequest, triggerModel]{
	updatableChecked("input", func(ctx context.Context, r *imm.UpdateTriggerRequest, m *triggerModel) diag.Diagnostics {
		in, diags := expandTriggerInput(ctx, m.Input)
		r.Input = &in
		return diags
	}),
	updatableChecked("actions", func(ctx context.Context, r *imm.UpdateTriggerRequest, m *triggerModel) (diags diag.Diagnostics) {
		r.Actions, diags = expandTriggerActions(ctx, m.Actions)
		return diags
	}),
	// The whole set is sent, default tags included (tags_all).
	updatableChecked("tags_all", func(ctx context.Context, r *imm.UpdateTriggerRequest, m *triggerModel) diag.Diagnostics {
		tags, diags := stringMap(ctx, m.TagsAll)
		if tags == nil {
			tags = map[string]string{} // IMM then removes every tag
		}
		r.Tags = tags
		return diags
	}),
}

// triggerArguments are what a create sends: IMM must show each as sent for
// a trigger found after a lost answer to be the provider's own. The tags
// sent are tags_all.
var triggerArguments = []string{"input", "actions", "service_role", "notification", "tags_all"}

// triggerChangedByWrites are the arguments whose change makes IMM move the
// trigger's UpdateTime.
var triggerChangedByWrites = append(attributeNames(triggerUpdatableAttributes), "suspended")

func (r *triggerResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_trigger"
}

func (r *triggerResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An IMM trigger: standing processing of the objects uploaded to an OSS bucket after it is " +
			"created, by the processing templates in `actions`. The bucket must be attached to the project " +
			"(`imm_oss_bucket_attachment`), or the trigger ends `Failed`.\n\n" +
			"IMM allows `UpdateTrigger` only while a trigger is `Ready` or `Failed`, and refuses to delete a `Running` " +
			"one. The provider therefore suspends a running trigger around an update (`SuspendTrigger`, `UpdateTrigger`, " +
			"`ResumeTrigger`, and says so in a warning) and before deleting it. An update carries only what changed; " +
			"`suspended` alone is a `SuspendTrigger` or `ResumeTrigger` call.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "IMM's ID of the trigger, such as `trigger-9f72636a-0f0c-4baf-ae78-38b27b000000`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"project_name": schema.StringAttribute{
				MarkdownDescription: describe("The project the trigger belongs to.", replacesTrigger),
				Required:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          nameValidators(),
			},
			"input": schema.SingleNestedAttribute{
				MarkdownDescription: describe("What the trigger processes: objects uploaded to an OSS bucket after the trigger "+
					"was created (IMM's `Input.OSS`).", updatesTrigger),
				Required:   true,
				Attributes: triggerInputSchema(),
			},
			"actions": schema.ListNestedAttribute{
				MarkdownDescription: describe("The processing templates run on each object, in order: at least one.", updatesTrigger),
				Required:            true,
				Validators:          []validator.List{listvalidator.SizeAtLeast(1)},
				NestedObject:        schema.NestedAttributeObject{Attributes: triggerActionSchema()},
			},
			"service_role": schema.StringAttribute{
				MarkdownDescription: describe("The RAM role IMM assumes to read and write OSS for the trigger, 1-256 "+
					"characters. IMM's default is `AliyunIMMBatchTriggerRole`.", keepsValueWhenRemoved, replacesTrigger),
				Optional: true,
				Computed: true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(),
					stringplanmodifier.RequiresReplace()},
				Validators: []validator.String{stringvalidator.UTF8LengthBetween(1, 256)},
			},
			"notification": schema.SingleNestedAttribute{
				MarkdownDescription: describe("Where IMM reports on the tasks the trigger submits.", replacesTrigger),
				Optional:            true,
				PlanModifiers:       []planmodifier.Object{objectplanmodifier.RequiresReplace()},
				Attributes: map[string]schema.Attribute{
					"mns_topic_name": schema.StringAttribute{
						MarkdownDescription: "The Simple Message Queue (MNS) topic, in the project's region, 1-256 characters.",
						Required:            true,
						Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, 256)},
					},
				},
			},
			"tags": schema.MapAttribute{
				MarkdownDescription: describe("Custom tags to find the trigger by (the `imm_triggers` data source filters on "+
					"them); not resource tags. Keys are 1-128 characters.", overDefaultTags, updatesTrigger, sendsWholeTagSet),
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.Map{mapvalidator.KeysAre(stringvalidator.UTF8LengthBetween(1, 128))},
			},
			"tags_all": tagsAllAttribute("Every custom tag of the trigger: `tags` over the provider's `default_tags`, as " +
				"IMM holds them (a value that is not a string in IMM as its JSON text), without the tags the provider's " +
				"`ignore_tags` names."),
			"suspended": schema.BoolAttribute{
				MarkdownDescription: describe("Whether the trigger is suspended: it submits no new tasks until it is resumed. "+
					"Default `false`. IMM suspends only a Running trigger; a Failed one stays Failed (with a warning).", suspendsTrigger),
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"state": schema.StringAttribute{
				MarkdownDescription: "The trigger's state as of the last read: `Ready` (just created), `Running`, " +
					"`Suspended`, `Failed` (see `error`) or `Succeeded`. Null until IMM's reads show the trigger.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{keepUnlessChanged("suspended")},
			},
			"error": schema.StringAttribute{
				MarkdownDescription: "Why the trigger failed, as of the last read; empty otherwise.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"statistics": schema.SingleNestedAttribute{
				MarkdownDescription: "The tasks the trigger has submitted, as of the last read.",
				Computed:            true,
				PlanModifiers:       []planmodifier.Object{objectplanmodifier.UseStateForUnknown()},
				Attributes: map[string]schema.Attribute{
					"submit_success": countAttribute("Tasks submitted."),
					"submit_failure": countAttribute("Tasks that could not be submitted."),
					"skip_files":     countAttribute("Objects skipped."),
				},
			},
			"create_time": schema.StringAttribute{
				MarkdownDescription: "When the trigger was created (RFC 3339, whole seconds, UTC), once IMM's reads show it.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"update_time": schema.StringAttribute{
				MarkdownDescription: "When the trigger was last changed (RFC 3339, whole seconds, UTC). IMM's answers to " +
					"trigger writes carry no time, so after a write by the provider it is null until IMM's reads are sure to " +
					"show the write (the provider's `consistency_window`).",
				Computed:      true,
				PlanModifiers: []planmodifier.String{keepUnlessChanged(triggerChangedByWrites...)},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func triggerInputSchema() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"bucket": schema.StringAttribute{
			MarkdownDescription: "The OSS bucket, in the project's region and attached to the project.",
			Required:            true,
			Validators:          []validator.String{stringvalidator.RegexMatches(ossBucketPattern, ossBucketRule)},
		},
		"prefix": schema.StringAttribute{
			MarkdownDescription: "Only objects whose key starts with this, 1-1023 bytes (OSS counts object keys in bytes). " +
				"Keep the templates' output out of it, or the trigger processes its own output.",
			Optional:   true,
			Validators: []validator.String{stringvalidator.LengthBetween(1, 1023)},
		},
		"match_expressions": schema.ListAttribute{
			MarkdownDescription: "Match expressions that select objects further, at least one when set. IMM documents no " +
				"grammar for them; they are sent as written.",
			ElementType: types.StringType,
			Optional:    true,
			Validators: []validator.List{listvalidator.SizeAtLeast(1),
				listvalidator.ValueStringsAre(stringvalidator.UTF8LengthAtLeast(1))},
		},
	}
}

func triggerActionSchema() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"name": schema.StringAttribute{
			MarkdownDescription: "The processing template, `<category>/<operation>` in lower case, such as `doc/convert`, " +
				"`image/detect` or `video/convert` (IMM publishes no full list).",
			Required: true,
			Validators: []validator.String{stringvalidator.RegexMatches(triggerActionNamePattern,
				"must be a processing template name, <category>/<operation> in lower case, such as doc/convert, image/detect or video/convert")},
		},
		"parameters": schema.ListAttribute{
			MarkdownDescription: "The template's parameters, such as `pages=3`; at least one when set.",
			ElementType:         types.StringType,
			Optional:            true,
			Validators: []validator.List{listvalidator.SizeAtLeast(1),
				listvalidator.ValueStringsAre(stringvalidator.UTF8LengthAtLeast(1))},
		},
		"fast_fail_policy": schema.StringAttribute{
			MarkdownDescription: "What an error of this template does: `abort` stops the processing of the object, " +
				"`ignore` goes on with the next template. IMM's default when left out.",
			Optional:   true,
			Validators: []validator.String{stringvalidator.OneOf(imm.FastFailAbort, imm.FastFailIgnore)},
		},
	}
}

func (r *triggerResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, ctx, cancel := r.begin(ctx, req.Plan.Get, creating, &resp.Diagnostics)
	defer cancel()
	createReq, diags := expandCreateTrigger(ctx, &plan.triggerFields)
	resp.Diagnostics.Append(diags...)
	createReq.Tags, diags = stringMap(ctx, plan.TagsAll) // the default tags too
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if len(createReq.Tags) == 0 {
		createReq.Tags = nil
	}
	written := tagsWritten(knownAttributes(&plan, append(triggerArguments, "suspended")))

	answered, err := r.createOrAdopt(ctx, plan, func(ctx context.Context) (triggerModel, error) {
		id, err := r.data.client.CreateTrigger(ctx, createReq)
		answered := triggerModel{triggerFields: nullTriggerFields(), TagsAll: types.MapNull(types.StringType)}
		answered.ID = types.StringValue(id)
		return answered, err
	}, resp)
	switch {
	case errors.Is(err, errLostCreateReported):
		return
	case err != nil:
		r.apiError(&resp.Diagnostics, "creating", plan, err, notFoundAdvice(err, fmt.Sprintf("The project %s does not "+
			"exist (or IMM does not show it yet). Create it first, for example with an imm_project resource that this "+
			"trigger refers to.", plan.ProjectName.ValueString())))
		return
	}
	plan.UpdateTime = types.StringNull() // IMM's answer carries no time: null until reads show it
	fillUnknown(&plan, &answered)
	if plan.Suspended.ValueBool() && answered.State.ValueString() != imm.StateSuspended {
		r.suspendNew(ctx, &plan, &resp.Diagnostics)
	}
	r.saveCreate(ctx, &plan, append(written, "update_time"), resp)
}

func (r *triggerResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.readWithConsistency(ctx, req, resp)
}

func (r *triggerResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, ctx, cancel := r.begin(ctx, req.Plan.Get, updating, &resp.Diagnostics)
	defer cancel()
	var state triggerModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	updateReq := imm.UpdateTriggerRequest{ProjectName: plan.ProjectName.ValueString(), Id: plan.ID.ValueString()}
	changed, diags := buildPartialUpdate(ctx, &updateReq, &plan, &state, triggerUpdatableAttributes)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if slices.Contains(changed, "tags_all") {
		if err := r.keepIgnoredTags(ctx, &updateReq); err != nil {
			r.apiError(&resp.Diagnostics, "updating", plan, err, "The provider reads the trigger before it sends its whole "+
				"tag set, to keep the tags the provider's ignore_tags names.")
			return
		}
	}
	if !plan.Suspended.Equal(state.Suspended) {
		changed = append(changed, "suspended")
	}
	if len(changed) == 0 {
		fillUnknown(&plan, &state)
		r.saveUnchanged(ctx, &plan, resp)
		return
	}

	w := triggerWrite{ref: triggerRef{plan.ProjectName.ValueString(), plan.ID.ValueString()}, lastState: state.State.ValueString(),
		suspend: plan.Suspended.ValueBool(), wasSuspended: state.Suspended.ValueBool()}
	if len(changed) > 1 || changed[0] != "suspended" {
		w.update = &updateReq
	}
	endState, err := r.write(ctx, w, &resp.Diagnostics)
	if err != nil {
		r.apiError(&resp.Diagnostics, "updating", plan, err, updateRefusedAdvice(err, w))
		return
	}
	if plan.State.IsUnknown() { // suspended changed
		plan.State = optionalString(endState)
	}
	plan.UpdateTime = types.StringNull()
	fillUnknown(&plan, &state)
	r.saveUpdate(ctx, &plan, triggerWrittenByUpdate(changed), req.Private, resp)
}

func (r *triggerResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, ctx, cancel := r.begin(ctx, req.State.Get, deleting, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	ref := triggerRef{state.ProjectName.ValueString(), state.ID.ValueString()}
	_, err := r.whileNotRunning(ctx, ref, state.State.ValueString(), func(ctx context.Context) error {
		return r.data.client.DeleteTrigger(ctx, ref.project, ref.id)
	})
	if err != nil && !imm.IsNotFound(err) {
		advice := ""
		if imm.IsInvalidArgument(err) {
			advice = "IMM deletes a trigger only when it is not Running; the provider suspends a running trigger first, " +
				"but IMM refused even so. Check the trigger's state (terraform refresh), then destroy again."
		}
		r.apiError(&resp.Diagnostics, "deleting", state, err, advice)
	}
}

func (r *triggerResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	r.importByID(ctx, req, resp)
}

func (r *triggerResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	r.identitySchema(resp)
}

// fetchTrigger reads the trigger and writes IMM's answer over prior.
func (r *triggerResource) fetchTrigger(ctx context.Context, prior triggerModel) (triggerModel, error) {
	d, err := r.data.client.GetTrigger(ctx, prior.ProjectName.ValueString(), prior.ID.ValueString())
	if err != nil {
		return prior, err
	}
	read := prior
	if err := r.flatten(ctx, d, prior.ProjectName.ValueString(), &read, prior); err != nil {
		return prior, err
	}
	return read, nil
}

// flatten writes what IMM says of a trigger into m, its tags split into
// tags and tags_all by the provider's tag policy, given what prior held.
func (r *triggerResource) flatten(ctx context.Context, d *imm.DataIngestion, project string, m *triggerModel, prior triggerModel) error {
	diags := flattenTrigger(ctx, d, project, &m.triggerFields, prior.triggerFields)
	var tagDiags diag.Diagnostics
	m.Tags, m.TagsAll, tagDiags = r.data.tags.readTagAttributes(ctx, jsonValuesAsText(d.Tags), prior.Tags, prior.TagsAll)
	if diags.Append(tagDiags...); diags.HasError() {
		return fmt.Errorf("reading IMM's answer: %v", diags)
	}
	return nil
}

// keepIgnoredTags adds to an update that sends the whole tag set the tags
// IMM holds that ignore_tags names, read just before (DECISIONS.md, "Ignored
// tags are read before an update").
func (r *triggerResource) keepIgnoredTags(ctx context.Context, req *imm.UpdateTriggerRequest) error {
	if !r.data.tags.ignoresAny() {
		return nil
	}
	d, err := r.data.client.GetTrigger(ctx, req.ProjectName, req.Id)
	if imm.IsNotFound(err) {
		return nil // IMM does not show it yet, nor any tag of it
	}
	if err != nil {
		return err
	}
	maps.Copy(req.Tags, r.data.tags.ignoredIn(jsonValuesAsText(d.Tags)))
	return nil
}

// ModifyPlan plans tags_all: tags over the provider's default tags.
func (r *triggerResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.data != nil {
		r.data.tags.planTagsAll(ctx, req, resp, tagPlan{derived: []string{"update_time"}})
	}
}

// listTriggers lists the project's triggers, as models over plan: where a
// create whose answer was lost may have left its trigger.
func (r *triggerResource) listTriggers(ctx context.Context, plan triggerModel) ([]triggerModel, error) {
	project := plan.ProjectName.ValueString()
	all, err := r.data.client.ListAllTriggers(ctx, imm.ListTriggersRequest{ProjectName: project})
	if err != nil {
		return nil, err
	}
	out := make([]triggerModel, len(all))
	for i := range all {
		out[i] = plan
		if err := r.flatten(ctx, &all[i], project, &out[i], plan); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// triggerUpdatedLater tells whether a read shows a change made after
// state's. State's update_time is null while the provider's last write may
// not show yet, and no read is newer then.
func triggerUpdatedLater(prior, read triggerModel) bool {
	return laterTime(prior.UpdateTime, read.UpdateTime)
}

// triggerWrittenByUpdate are the attributes an update that changed these
// records as written: suspended too, since an update of a running trigger
// suspends and resumes it (a read from in between must not show it
// suspended), update_time, null until reads are sure to show the write, and
// tags with tags_all.
func triggerWrittenByUpdate(changed []string) []string {
	written := append([]string(nil), changed...)
	if !slices.Contains(written, "suspended") {
		written = append(written, "suspended")
	}
	return tagsWritten(append(written, "update_time"))
}

// knownAttributes are the names whose value in model (a pointer) is known.
func knownAttributes(model any, names []string) []string {
	var out []string
	for _, name := range names {
		if !attributeValue(model, name).IsUnknown() {
			out = append(out, name)
		}
	}
	return out
}
