package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ resource.Resource                = &projectResource{}
	_ resource.ResourceWithConfigure   = &projectResource{}
	_ resource.ResourceWithImportState = &projectResource{}
	_ resource.ResourceWithIdentity    = &projectResource{}
	_ resource.ResourceWithModifyPlan  = &projectResource{}
)

// NewProjectResource is the imm_project resource.
func NewProjectResource() resource.Resource { return newProjectResource() }

// newProjectResource is NewProjectResource with its type,
// which the imm_project list resource embeds.
func newProjectResource() *projectResource {
	r := &projectResource{}
	r.resourceType = resourceType[projectModel]{
		kind:         "project",
		typeName:     "imm_project",
		idAttributes: []string{"project_name"},
		fetch:        r.fetchProject,
		newer:        projectUpdatedLater,
		arguments:    attributeNames(projectUpdatableAttributes),
		timeouts:     defaultTimeouts{create: 10 * time.Minute, update: 10 * time.Minute, delete: 10 * time.Minute},
	}
	return r
}

type projectResource struct{ resourceType[projectModel] }

type projectModel struct {
	projectFields
	TagsAll      types.Map      `tfsdk:"tags_all"`
	ForceDestroy types.Bool     `tfsdk:"force_destroy"`
	Timeouts     timeouts.Value `tfsdk:"timeouts"`
}

func (m projectModel) timeoutsValue() timeouts.Value { return m.Timeouts }

// projectFields are what IMM says of a project: the resource's attributes
// that its data sources share.
type projectFields struct {
	ID                      types.String `tfsdk:"id"`
	ProjectName             types.String `tfsdk:"project_name"`
	Description             types.String `tfsdk:"description"`
	ServiceRole             types.String `tfsdk:"service_role"`
	TemplateID              types.String `tfsdk:"template_id"`
	ProjectMaxDatasetCount  types.Int64  `tfsdk:"project_max_dataset_count"`
	DatasetMaxBindCount     types.Int64  `tfsdk:"dataset_max_bind_count"`
	DatasetMaxFileCount     types.Int64  `tfsdk:"dataset_max_file_count"`
	DatasetMaxEntityCount   types.Int64  `tfsdk:"dataset_max_entity_count"`
	DatasetMaxRelationCount types.Int64  `tfsdk:"dataset_max_relation_count"`
	DatasetMaxTotalFileSize types.Int64  `tfsdk:"dataset_max_total_file_size"`
	Tags                    types.Map    `tfsdk:"tags"`
	CreateTime              types.String `tfsdk:"create_time"`
	UpdateTime              types.String `tfsdk:"update_time"`
	ProjectQueriesPerSecond types.Int64  `tfsdk:"project_queries_per_second"`
	EngineConcurrency       types.Int64  `tfsdk:"engine_concurrency"`
	DatasetCount            types.Int64  `tfsdk:"dataset_count"`
}

// projectUpdatableAttributes are what UpdateProject can change, in the order
// the documentation lists them.
var projectUpdatableAttributes = []updatableAttribute[imm.UpdateProjectRequest, projectModel]{
	updatable("description", func(r *imm.UpdateProjectRequest, m *projectModel) { r.Description = knownString(m.Description) }),
	updatable("service_role", func(r *imm.UpdateProjectRequest, m *projectModel) { r.ServiceRole = knownString(m.ServiceRole) }),
	updatable("template_id", func(r *imm.UpdateProjectRequest, m *projectModel) { r.TemplateId = knownString(m.TemplateID) }),
	updatable("project_max_dataset_count", func(r *imm.UpdateProjectRequest, m *projectModel) {
		r.ProjectMaxDatasetCount = knownInt64(m.ProjectMaxDatasetCount)
	}),
	updatable("dataset_max_bind_count", func(r *imm.UpdateProjectRequest, m *projectModel) {
		r.DatasetMaxBindCount = knownInt64(m.DatasetMaxBindCount)
	}),
	updatable("dataset_max_file_count", func(r *imm.UpdateProjectRequest, m *projectModel) {
		r.DatasetMaxFileCount = knownInt64(m.DatasetMaxFileCount)
	}),
	updatable("dataset_max_entity_count", func(r *imm.UpdateProjectRequest, m *projectModel) {
		r.DatasetMaxEntityCount = knownInt64(m.DatasetMaxEntityCount)
	}),
	updatable("dataset_max_relation_count", func(r *imm.UpdateProjectRequest, m *projectModel) {
		r.DatasetMaxRelationCount = knownInt64(m.DatasetMaxRelationCount)
	}),
	updatable("dataset_max_total_file_size", func(r *imm.UpdateProjectRequest, m *projectModel) {
		r.DatasetMaxTotalFileSize = knownInt64(m.DatasetMaxTotalFileSize)
	}),
	// What is sent is the whole set, default tags included (tags_all); a
	// change of tags alone that leaves it as it was needs no call.
	updatableChecked("tags_all", func(ctx context.Context, r *imm.UpdateProjectRequest, m *projectModel) (diags diag.Diagnostics) {
		r.Tag, diags = expandTags(ctx, m.TagsAll, true)
		return diags
	}),
}

// projectWrittenOnCreate are the attributes a create writes: every argument
// IMM stores, and the times IMM answered with.
var projectWrittenOnCreate = tagsWritten(append(attributeNames(projectUpdatableAttributes), "create_time", "update_time"))

func (r *projectResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project"
}

func (r *projectResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An IMM project: the top-level container of datasets, with the limits that apply to them. " +
			"Changes are sent as one `UpdateProject` call that carries only the arguments that changed. IMM takes up to " +
			"5 minutes to show an update in its reads; within the provider's `consistency_window` the provider keeps " +
			"what it wrote, so no spurious diff appears.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The project name.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"project_name": schema.StringAttribute{
				MarkdownDescription: describe("The project name, unique in the region: 1-128 characters, letters, digits, "+
					"underscores and hyphens, starting with a letter or an underscore.", replacesProject),
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    nameValidators(),
			},
			"description": schema.StringAttribute{
				MarkdownDescription: describe("A description, 1-256 characters.", keepsValueWhenRemoved),
				Optional:            true,
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, 256)},
			},
			"service_role": schema.StringAttribute{
				MarkdownDescription: describe("The RAM role IMM assumes to reach other services, such as OSS. IMM's default "+
					"is `AliyunIMMDefaultRole`.", keepsValueWhenRemoved),
				Optional:      true,
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				Validators:    []validator.String{stringvalidator.UTF8LengthBetween(1, 256)},
			},
			"template_id": schema.StringAttribute{
				MarkdownDescription: describe("The workflow template, such as `Official:ImageManagement`. IMM's default is "+
					"none.", keepsValueWhenRemoved),
				Optional:      true,
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				Validators:    []validator.String{stringvalidator.UTF8LengthBetween(1, 256)},
			},
			"project_max_dataset_count":   limitAttribute("The most datasets the project may hold", 1000000000, 1000000000),
			"dataset_max_bind_count":      limitAttribute("The most bindings each dataset may have", 10, 10),
			"dataset_max_file_count":      limitAttribute("The most files each dataset may hold", 100000000, 100000000),
			"dataset_max_entity_count":    limitAttribute("The most entities each dataset may hold (reserved by IMM)", maxInt64, 10000000000),
			"dataset_max_relation_count":  limitAttribute("The most relations each dataset may hold (reserved by IMM)", maxInt64, 100000000000),
			"dataset_max_total_file_size": limitAttribute("The most bytes of files each dataset may hold", maxInt64, 90000000000000000),
			"tags": schema.MapAttribute{
				MarkdownDescription: describe("Tags of the project: at most 20; keys 1-128 characters, values at most 128 "+
					"characters; neither may start with `aliyun` or `acs:` or contain `http://` or `https://`.",
					overDefaultTagsCounted, sendsWholeTagSet),
				ElementType: types.StringType,
				Optional:    true,
				Validators:  tagValidators(),
			},
			"tags_all": tagsAllAttribute("Every tag of the project: `tags` over the provider's `default_tags`, as IMM " +
				"holds them, without the tags the provider's `ignore_tags` names."),
			"force_destroy": schema.BoolAttribute{
				MarkdownDescription: "When `false` (the default), destroying a project that still has datasets, triggers or " +
					"batches fails, saying what remains. When `true`, its triggers and batches are deleted first (a running " +
					"one is suspended, then deleted), then each dataset with its bindings and all its file metadata (the " +
					"OSS objects stay), then the project.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"create_time": schema.StringAttribute{
				MarkdownDescription: "When the project was created (RFC 3339).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"update_time": schema.StringAttribute{
				MarkdownDescription: "When the project was last changed (RFC 3339).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{keepUnlessChanged(attributeNames(projectUpdatableAttributes)...)},
			},
			"project_queries_per_second": countAttribute("The project's request rate limit, set by IMM."),
			"engine_concurrency":         countAttribute("The project's processing concurrency, set by IMM."),
			"dataset_count":              countAttribute("How many datasets the project holds, as of the last read."),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func (r *projectResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, ctx, cancel := r.begin(ctx, req.Plan.Get, creating, &resp.Diagnostics)
	defer cancel()
	createReq, diags := expandCreateProject(ctx, &plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	answered, err := r.createOrAdopt(ctx, plan, func(ctx context.Context) (projectModel, error) {
		project, err := r.data.client.CreateProject(ctx, createReq)
		answered := plan
		if err == nil {
			err = r.flatten(ctx, project, &answered, plan)
		}
		return answered, err
	}, resp)
	if err != nil {
		if !errors.Is(err, errSavedAsTainted) {
			r.apiError(&resp.Diagnostics, "creating", plan, err, r.alreadyExistsAdvice(err, plan, "Project names are unique per region."))
		}
		return
	}
	fillUnknown(&plan, &answered)
	r.saveCreate(ctx, &plan, projectWrittenOnCreate, resp)
}

func (r *projectResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.readWithConsistency(ctx, req, resp)
}

func (r *projectResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, ctx, cancel := r.begin(ctx, req.Plan.Get, updating, &resp.Diagnostics)
	defer cancel()
	var state projectModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	updateReq := imm.UpdateProjectRequest{ProjectName: plan.ProjectName.ValueString()}
	changed, diags := buildPartialUpdate(ctx, &updateReq, &plan, &state, projectUpdatableAttributes)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if len(changed) == 0 {
		fillUnknown(&plan, &state)
		r.saveUnchanged(ctx, &plan, resp)
		return
	}
	if slices.Contains(changed, "tags_all") {
		if err := r.keepIgnoredTags(ctx, &updateReq); err != nil {
			r.apiError(&resp.Diagnostics, "updating", plan, err, "The provider reads the project before it sends its whole "+
				"tag set, to keep the tags the provider's ignore_tags names.")
			return
		}
	}

	project, err := r.data.client.UpdateProject(ctx, updateReq)
	if err != nil {
		r.apiError(&resp.Diagnostics, "updating", plan, err, "")
		return
	}
	answered := plan
	if err := r.flatten(ctx, project, &answered, plan); err != nil {
		r.apiError(&resp.Diagnostics, "updating", plan, err, "")
		return
	}
	fillUnknown(&plan, &answered)
	r.saveUpdate(ctx, &plan, tagsWritten(append(changed, "update_time")), req.Private, resp)
}

// ModifyPlan plans tags_all: tags over the provider's default tags.
func (r *projectResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.data != nil {
		r.data.tags.planTagsAll(ctx, req, resp, tagPlan{maxTags: tagLimit, derived: []string{"update_time"}})
	}
}

func (r *projectResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, ctx, cancel := r.begin(ctx, req.State.Get, deleting, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	name := state.ProjectName.ValueString()
	d := destroyer{r.data.client}
	var err error
	if state.ForceDestroy.ValueBool() {
		err = d.deleteProjectForcibly(ctx, name)
	} else {
		err = r.data.client.DeleteProject(ctx, name)
	}
	if err != nil && !imm.IsNotFound(err) {
		advice := ""
		if !state.ForceDestroy.ValueBool() && imm.IsInvalidArgument(err) {
			advice = strings.TrimSpace(d.projectRemains(ctx, name) + " A project that still has datasets, triggers or " +
				"batches can't be deleted. Set force_destroy = true on the project and apply, then destroy again: the " +
				"provider then deletes its triggers and batches, and each dataset with its bindings and file metadata, " +
				"before the project. Or delete them yourself first.")
		}
		r.apiError(&resp.Diagnostics, "deleting", state, err, advice)
	}
}

func (r *projectResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	r.importByID(ctx, req, resp)
}

func (r *projectResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	r.identitySchema(resp)
}

// fetchProject reads the project and writes IMM's answer over prior.
func (r *projectResource) fetchProject(ctx context.Context, prior projectModel) (projectModel, error) {
	p, err := r.data.client.GetProject(ctx, imm.GetProjectRequest{ProjectName: prior.ProjectName.ValueString()})
	if err != nil {
		return prior, err
	}
	read := prior
	if err := r.flatten(ctx, p, &read, prior); err != nil {
		return prior, err
	}
	if read.ForceDestroy.IsNull() { // after import
		read.ForceDestroy = types.BoolValue(false)
	}
	return read, nil
}

// flatten writes IMM's answer into m: what IMM says of the project, and its
// tags split into tags and tags_all by the provider's tag policy, given what
// prior held.
func (r *projectResource) flatten(ctx context.Context, p *imm.Project, m *projectModel, prior projectModel) error {
	flattenProject(p, &m.projectFields, prior.Tags)
	var diags diag.Diagnostics
	m.Tags, m.TagsAll, diags = r.data.tags.readTagAttributes(ctx, projectTagMap(p), prior.Tags, prior.TagsAll)
	if diags.HasError() {
		return fmt.Errorf("reading IMM's answer: %v", diags)
	}
	return nil
}

// keepIgnoredTags adds to an update that sends the whole tag set the tags
// IMM holds that ignore_tags names, read just before (DECISIONS.md, "Ignored
// tags are read before an update").
func (r *projectResource) keepIgnoredTags(ctx context.Context, req *imm.UpdateProjectRequest) error {
	if !r.data.tags.ignoresAny() {
		return nil
	}
	p, err := r.data.client.GetProject(ctx, imm.GetProjectRequest{ProjectName: req.ProjectName})
	if imm.IsNotFound(err) {
		return nil // IMM does not show it yet, nor any tag of it
	}
	if err != nil {
		return err
	}
	req.Tag = withIgnoredTags(req.Tag, r.data.tags.ignoredIn(projectTagMap(p)))
	return nil
}

// projectTagMap is a project's tags by key.
func projectTagMap(p *imm.Project) map[string]string {
	tags := make(map[string]string, len(p.Tags))
	for _, t := range p.Tags {
		tags[t.TagKey] = t.TagValue
	}
	return tags
}

// projectUpdatedLater tells whether a read shows a change made after state's.
func projectUpdatedLater(prior, read projectModel) bool {
	return laterTime(prior.UpdateTime, read.UpdateTime)
}

// expandCreateProject builds CreateProject's parameters. The tags sent are
// tags_all, the default tags included; none is no Tag parameter.
func expandCreateProject(ctx context.Context, m *projectModel) (imm.CreateProjectRequest, diag.Diagnostics) {
	tags, diags := expandTags(ctx, m.TagsAll, false)
	if len(tags) == 0 {
		tags = nil
	}
	return imm.CreateProjectRequest{
		ProjectName:             m.ProjectName.ValueString(),
		Description:             knownString(m.Description),
		ServiceRole:             knownString(m.ServiceRole),
		TemplateId:              knownString(m.TemplateID),
		ProjectMaxDatasetCount:  knownInt64(m.ProjectMaxDatasetCount),
		DatasetMaxBindCount:     knownInt64(m.DatasetMaxBindCount),
		DatasetMaxFileCount:     knownInt64(m.DatasetMaxFileCount),
		DatasetMaxEntityCount:   knownInt64(m.DatasetMaxEntityCount),
		DatasetMaxRelationCount: knownInt64(m.DatasetMaxRelationCount),
		DatasetMaxTotalFileSize: knownInt64(m.DatasetMaxTotalFileSize),
		Tag:                     tags,
	}, diags
}

// flattenProject writes what IMM says of a project into m. priorTags is what
// state held, so that tags = {} and no tags at all read back as written.
func flattenProject(p *imm.Project, m *projectFields, priorTags types.Map) {
	m.ID = types.StringValue(p.ProjectName)
	m.ProjectName = types.StringValue(p.ProjectName)
	m.Description = types.StringValue(p.Description)
	m.ServiceRole = types.StringValue(p.ServiceRole)
	m.TemplateID = types.StringValue(p.TemplateId)
	m.ProjectMaxDatasetCount = types.Int64Value(p.ProjectMaxDatasetCount)
	m.DatasetMaxBindCount = types.Int64Value(p.DatasetMaxBindCount)
	m.DatasetMaxFileCount = types.Int64Value(p.DatasetMaxFileCount)
	m.DatasetMaxEntityCount = types.Int64Value(p.DatasetMaxEntityCount)
	m.DatasetMaxRelationCount = types.Int64Value(p.DatasetMaxRelationCount)
	m.DatasetMaxTotalFileSize = types.Int64Value(p.DatasetMaxTotalFileSize)
	m.Tags = flattenStringMap(projectTagMap(p), priorTags)
	m.CreateTime = types.StringValue(p.CreateTime)
	m.UpdateTime = types.StringValue(p.UpdateTime)
	m.ProjectQueriesPerSecond = types.Int64Value(p.ProjectQueriesPerSecond)
	m.EngineConcurrency = types.Int64Value(p.EngineConcurrency)
	m.DatasetCount = types.Int64Value(p.DatasetCount)
}
