package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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
	_ resource.Resource                = &datasetResource{}
	_ resource.ResourceWithConfigure   = &datasetResource{}
	_ resource.ResourceWithImportState = &datasetResource{}
	_ resource.ResourceWithIdentity    = &datasetResource{}
)

// NewDatasetResource is the imm_dataset resource.
func NewDatasetResource() resource.Resource { return newDatasetResource() }

// newDatasetResource is NewDatasetResource with its type,
// which the imm_dataset list resource embeds.
func newDatasetResource() *datasetResource {
	r := &datasetResource{}
	r.resourceType = resourceType[datasetModel]{
		kind:         "dataset",
		typeName:     "imm_dataset",
		idAttributes: []string{"project_name", "dataset_name"},
		fetch:        r.fetchDataset,
		newer:        datasetUpdatedLater,
		arguments:    attributeNames(datasetUpdatableAttributes),
		timeouts:     defaultTimeouts{create: 10 * time.Minute, update: 10 * time.Minute, delete: 10 * time.Minute},
	}
	return r
}

type datasetResource struct{ resourceType[datasetModel] }

type datasetModel struct {
	datasetFields
	ForceDestroy types.Bool     `tfsdk:"force_destroy"`
	Timeouts     timeouts.Value `tfsdk:"timeouts"`
}

func (m datasetModel) timeoutsValue() timeouts.Value { return m.Timeouts }

// datasetFields are what IMM says of a dataset: the resource's attributes
// that its data sources share.
type datasetFields struct {
	ID                      types.String `tfsdk:"id"`
	ProjectName             types.String `tfsdk:"project_name"`
	DatasetName             types.String `tfsdk:"dataset_name"`
	Description             types.String `tfsdk:"description"`
	TemplateID              types.String `tfsdk:"template_id"`
	DatasetMaxBindCount     types.Int64  `tfsdk:"dataset_max_bind_count"`
	DatasetMaxFileCount     types.Int64  `tfsdk:"dataset_max_file_count"`
	DatasetMaxEntityCount   types.Int64  `tfsdk:"dataset_max_entity_count"`
	DatasetMaxRelationCount types.Int64  `tfsdk:"dataset_max_relation_count"`
	DatasetMaxTotalFileSize types.Int64  `tfsdk:"dataset_max_total_file_size"`
	BindCount               types.Int64  `tfsdk:"bind_count"`
	FileCount               types.Int64  `tfsdk:"file_count"`
	TotalFileSize           types.Int64  `tfsdk:"total_file_size"`
	CreateTime              types.String `tfsdk:"create_time"`
	UpdateTime              types.String `tfsdk:"update_time"`
}

// datasetUpdatableAttributes are what UpdateDataset can change.
var datasetUpdatableAttributes = []updatableAttribute[imm.UpdateDatasetRequest, datasetModel]{
	updatable("description", func(r *imm.UpdateDatasetRequest, m *datasetModel) { r.Description = knownString(m.Description) }),
	updatable("template_id", func(r *imm.UpdateDatasetRequest, m *datasetModel) { r.TemplateId = knownString(m.TemplateID) }),
	updatable("dataset_max_bind_count", func(r *imm.UpdateDatasetRequest, m *datasetModel) {
		r.DatasetMaxBindCount = knownInt64(m.DatasetMaxBindCount)
	}),
	updatable("dataset_max_file_count", func(r *imm.UpdateDatasetRequest, m *datasetModel) {
		r.DatasetMaxFileCount = knownInt64(m.DatasetMaxFileCount)
	}),
	updatable("dataset_max_entity_count", func(r *imm.UpdateDatasetRequest, m *datasetModel) {
		r.DatasetMaxEntityCount = knownInt64(m.DatasetMaxEntityCount)
	}),
	updatable("dataset_max_relation_count", func(r *imm.UpdateDatasetRequest, m *datasetModel) {
		r.DatasetMaxRelationCount = knownInt64(m.DatasetMaxRelationCount)
	}),
	updatable("dataset_max_total_file_size", func(r *imm.UpdateDatasetRequest, m *datasetModel) {
		r.DatasetMaxTotalFileSize = knownInt64(m.DatasetMaxTotalFileSize)
	}),
}

var datasetWrittenOnCreate = append(attributeNames(datasetUpdatableAttributes), "create_time", "update_time")

func (r *datasetResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_dataset"
}

func (r *datasetResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An IMM dataset: where a project's files are indexed and their faces clustered. Changes are " +
			"sent as one `UpdateDataset` call carrying only what changed; reads within the provider's `consistency_window` " +
			"keep what the provider wrote.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`project_name/dataset_name`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"project_name": schema.StringAttribute{
				MarkdownDescription: describe("The project that holds the dataset.", replacesDataset),
				Required:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          nameValidators(),
			},
			"dataset_name": schema.StringAttribute{
				MarkdownDescription: describe("The dataset name, unique in the project: 1-128 characters, letters, digits, "+
					"underscores and hyphens, starting with a letter or an underscore.", replacesDataset),
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
			"template_id": schema.StringAttribute{
				MarkdownDescription: describe("The workflow template, such as `Official:ImageManagement`.", keepsValueWhenRemoved),
				Optional:            true,
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, 256)},
			},
			"dataset_max_bind_count":      limitAttribute("The most bindings the dataset may have", 10, 10),
			"dataset_max_file_count":      limitAttribute("The most files the dataset may hold", 100000000, 100000000),
			"dataset_max_entity_count":    limitAttribute("The most entities the dataset may hold (reserved by IMM)", maxInt64, 10000000000),
			"dataset_max_relation_count":  limitAttribute("The most relations the dataset may hold (reserved by IMM)", maxInt64, 100000000000),
			"dataset_max_total_file_size": limitAttribute("The most bytes of files the dataset may hold", maxInt64, 90000000000000000),
			"bind_count":                  countAttribute("How many bindings the dataset has, as of the last read."),
			"file_count":                  countAttribute("How many files the dataset holds, as of the last read."),
			"total_file_size":             countAttribute("The total size of the dataset's files in bytes, as of the last read."),
			"force_destroy": schema.BoolAttribute{
				MarkdownDescription: "When `false` (the default), destroying a dataset that still has bindings or indexed " +
					"files fails, saying what remains. When `true`, its bindings are deleted first, then the metadata of " +
					"every file it holds (`BatchDeleteFileMeta`; the OSS objects stay), then the dataset.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"create_time": schema.StringAttribute{
				MarkdownDescription: "When the dataset was created (RFC 3339).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"update_time": schema.StringAttribute{
				MarkdownDescription: "When the dataset was last changed (RFC 3339).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{keepUnlessChanged(attributeNames(datasetUpdatableAttributes)...)},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func (r *datasetResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, ctx, cancel := r.begin(ctx, req.Plan.Get, creating, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	answered, err := r.createOrAdopt(ctx, plan, func(ctx context.Context) (datasetModel, error) {
		dataset, err := r.data.client.CreateDataset(ctx, expandCreateDataset(&plan))
		var answered datasetModel
		if err == nil {
			flattenDataset(dataset, &answered.datasetFields)
		}
		return answered, err
	}, resp)
	switch {
	case errors.Is(err, errSavedAsTainted):
		return
	case imm.IsNotFound(err):
		r.apiError(&resp.Diagnostics, "creating", plan, err, fmt.Sprintf("The project %s does not exist (or IMM does not "+
			"show it yet). Create it first, for example with an imm_project resource that this dataset refers to.",
			plan.ProjectName.ValueString()))
		return
	case err != nil:
		r.apiError(&resp.Diagnostics, "creating", plan, err, r.alreadyExistsAdvice(err, plan, "Dataset names are unique in a project."))
		return
	}
	fillUnknown(&plan, &answered)
	r.saveCreate(ctx, &plan, datasetWrittenOnCreate, resp)
}

func (r *datasetResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.readWithConsistency(ctx, req, resp)
}

func (r *datasetResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, ctx, cancel := r.begin(ctx, req.Plan.Get, updating, &resp.Diagnostics)
	defer cancel()
	var state datasetModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	updateReq := imm.UpdateDatasetRequest{ProjectName: plan.ProjectName.ValueString(), DatasetName: plan.DatasetName.ValueString()}
	changed, diags := buildPartialUpdate(ctx, &updateReq, &plan, &state, datasetUpdatableAttributes)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if len(changed) == 0 {
		fillUnknown(&plan, &state)
		r.saveUnchanged(ctx, &plan, resp)
		return
	}

	dataset, err := r.data.client.UpdateDataset(ctx, updateReq)
	if err != nil {
		r.apiError(&resp.Diagnostics, "updating", plan, err, "")
		return
	}
	var answered datasetModel
	flattenDataset(dataset, &answered.datasetFields)
	fillUnknown(&plan, &answered)
	r.saveUpdate(ctx, &plan, append(changed, "update_time"), req.Private, resp)
}

func (r *datasetResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, ctx, cancel := r.begin(ctx, req.State.Get, deleting, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	project, dataset := state.ProjectName.ValueString(), state.DatasetName.ValueString()
	d := destroyer{r.data.client}
	var err error
	if state.ForceDestroy.ValueBool() {
		err = d.deleteDatasetForcibly(ctx, project, dataset)
	} else {
		err = r.data.client.DeleteDataset(ctx, project, dataset)
	}
	if err != nil && !imm.IsNotFound(err) {
		advice := ""
		if !state.ForceDestroy.ValueBool() && imm.IsInvalidArgument(err) {
			advice = strings.TrimSpace(d.datasetRemains(ctx, project, dataset) + " A dataset that still has bindings or " +
				"indexed files can't be deleted. Set force_destroy = true on the dataset and apply, then destroy again: " +
				"the provider then deletes its bindings and the metadata of all its files (the OSS objects stay) before " +
				"the dataset. Or delete them yourself first (DeleteBinding, then DeleteFileMeta or BatchDeleteFileMeta).")
		}
		r.apiError(&resp.Diagnostics, "deleting", state, err, advice)
	}
}

func (r *datasetResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	r.importByID(ctx, req, resp)
}

func (r *datasetResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	r.identitySchema(resp)
}

// fetchDataset reads the dataset and writes IMM's answer over prior.
func (r *datasetResource) fetchDataset(ctx context.Context, prior datasetModel) (datasetModel, error) {
	d, err := r.data.client.GetDataset(ctx, imm.GetDatasetRequest{
		ProjectName: prior.ProjectName.ValueString(), DatasetName: prior.DatasetName.ValueString()})
	if err != nil {
		return prior, err
	}
	read := prior
	flattenDataset(d, &read.datasetFields)
	if read.ForceDestroy.IsNull() { // after import
		read.ForceDestroy = types.BoolValue(false)
	}
	return read, nil
}

// datasetUpdatedLater tells whether a read shows a change made after state's.
func datasetUpdatedLater(prior, read datasetModel) bool {
	return laterTime(prior.UpdateTime, read.UpdateTime)
}

func expandCreateDataset(m *datasetModel) imm.CreateDatasetRequest {
	return imm.CreateDatasetRequest{
		ProjectName:             m.ProjectName.ValueString(),
		DatasetName:             m.DatasetName.ValueString(),
		Description:             knownString(m.Description),
		TemplateId:              knownString(m.TemplateID),
		DatasetMaxBindCount:     knownInt64(m.DatasetMaxBindCount),
		DatasetMaxFileCount:     knownInt64(m.DatasetMaxFileCount),
		DatasetMaxEntityCount:   knownInt64(m.DatasetMaxEntityCount),
		DatasetMaxRelationCount: knownInt64(m.DatasetMaxRelationCount),
		DatasetMaxTotalFileSize: knownInt64(m.DatasetMaxTotalFileSize),
	}
}

// flattenDataset writes what IMM says of a dataset into m.
func flattenDataset(d *imm.Dataset, m *datasetFields) {
	m.ID = types.StringValue(d.ProjectName + "/" + d.DatasetName)
	m.ProjectName = types.StringValue(d.ProjectName)
	m.DatasetName = types.StringValue(d.DatasetName)
	m.Description = types.StringValue(d.Description)
	m.TemplateID = types.StringValue(d.TemplateId)
	m.DatasetMaxBindCount = types.Int64Value(d.DatasetMaxBindCount)
	m.DatasetMaxFileCount = types.Int64Value(d.DatasetMaxFileCount)
	m.DatasetMaxEntityCount = types.Int64Value(d.DatasetMaxEntityCount)
	m.DatasetMaxRelationCount = types.Int64Value(d.DatasetMaxRelationCount)
	m.DatasetMaxTotalFileSize = types.Int64Value(d.DatasetMaxTotalFileSize)
	m.BindCount = types.Int64Value(d.BindCount)
	m.FileCount = types.Int64Value(d.FileCount)
	m.TotalFileSize = types.Int64Value(d.TotalFileSize)
	m.CreateTime = types.StringValue(d.CreateTime)
	m.UpdateTime = types.StringValue(d.UpdateTime)
}
