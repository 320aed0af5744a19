package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ resource.Resource                = &figureClusterResource{}
	_ resource.ResourceWithConfigure   = &figureClusterResource{}
	_ resource.ResourceWithImportState = &figureClusterResource{}
	_ resource.ResourceWithIdentity    = &figureClusterResource{}
)

// NewFigureClusterResource is the imm_figure_cluster resource.
func NewFigureClusterResource() resource.Resource { return newFigureClusterResource() }

// newFigureClusterResource is NewFigureClusterResource with its type,
// which the imm_figure_cluster list resource embeds.
func newFigureClusterResource() *figureClusterResource {
	r := &figureClusterResource{}
	r.resourceType = resourceType[figureClusterModel]{
		kind:         "face cluster",
		typeName:     "imm_figure_cluster",
		idAttributes: []string{"project_name", "dataset_name", "object_id"},
		fetch:        r.fetchCluster,
		newer:        clusterChangedLater,
		timeouts:     defaultTimeouts{create: 5 * time.Minute, update: 5 * time.Minute},
	}
	return r
}

type figureClusterResource struct {
	resourceType[figureClusterModel]
}

type figureClusterModel struct {
	figureClusterFields
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (m figureClusterModel) timeoutsValue() timeouts.Value { return m.Timeouts }

// figureClusterFields are what IMM says of a cluster: the resource's
// attributes that its data sources share.
type figureClusterFields struct {
	ID              types.String  `tfsdk:"id"`
	ProjectName     types.String  `tfsdk:"project_name"`
	DatasetName     types.String  `tfsdk:"dataset_name"`
	ObjectID        types.String  `tfsdk:"object_id"`
	Name            types.String  `tfsdk:"name"`
	CustomID        types.String  `tfsdk:"custom_id"`
	CustomLabels    types.Map     `tfsdk:"custom_labels"`
	CoverFigureID   types.String  `tfsdk:"cover_figure_id"`
	CoverURI        types.String  `tfsdk:"cover_uri"`
	FaceCount       types.Int64   `tfsdk:"face_count"`
	ImageCount      types.Int64   `tfsdk:"image_count"`
	VideoCount      types.Int64   `tfsdk:"video_count"`
	Gender          types.String  `tfsdk:"gender"`
	MinAge          types.Float64 `tfsdk:"min_age"`
	MaxAge          types.Float64 `tfsdk:"max_age"`
	AverageAge      types.Float64 `tfsdk:"average_age"`
	MetaLockVersion types.Int64   `tfsdk:"meta_lock_version"`
	CreateTime      types.String  `tfsdk:"create_time"`
	UpdateTime      types.String  `tfsdk:"update_time"`
}

// clusterUpdatableAttributes are what UpdateFigureCluster can change.
var clusterUpdatableAttributes = []updatableAttribute[imm.FigureClusterForReq, figureClusterModel]{
	updatable("name", func(r *imm.FigureClusterForReq, m *figureClusterModel) { r.Name = knownString(m.Name) }),
	updatable("custom_id", func(r *imm.FigureClusterForReq, m *figureClusterModel) { r.CustomId = knownString(m.CustomID) }),
	updatableChecked("custom_labels", func(ctx context.Context, r *imm.FigureClusterForReq, m *figureClusterModel) diag.Diagnostics {
		labels, diags := stringMap(ctx, m.CustomLabels)
		if labels == nil {
			labels = map[string]string{}
		}
		r.CustomLabels = &labels
		return diags
	}),
	updatable("cover_figure_id", func(r *imm.FigureClusterForReq, m *figureClusterModel) {
		r.Cover = &imm.CoverForReq{Figures: []imm.FigureForReq{{FigureId: m.CoverFigureID.ValueString()}}}
	}),
}

func (r *figureClusterResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_figure_cluster"
}

func (r *figureClusterResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A face cluster of a dataset: a group of faces of one person, found by a clustering run " +
			"(`imm_figure_clustering`). IMM has no action to create or delete a cluster, so this resource *adopts* an " +
			"existing cluster by `object_id` and manages its name, custom ID, labels and cover; destroying it only " +
			"removes it from Terraform. Find clusters with the `imm_figure_clusters` data source. Every change is one " +
			"`UpdateFigureCluster` call that carries only what changed and the `MetaLockVersion` last seen, so a change " +
			"made elsewhere in between is never overwritten.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`project_name/dataset_name/object_id`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"project_name": schema.StringAttribute{
				MarkdownDescription: describe("The project of the cluster's dataset.", adoptsAnotherCluster),
				Required:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          nameValidators(),
			},
			"dataset_name": schema.StringAttribute{
				MarkdownDescription: describe("The dataset the cluster belongs to.", adoptsAnotherCluster),
				Required:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          nameValidators(),
			},
			"object_id": schema.StringAttribute{
				MarkdownDescription: describe("The cluster's ID, such as `Cluster-7bdbcedb-e72a-4d6c-a00e-3a40a0a0****`, as "+
					"the `imm_figure_clusters` data source lists it.", adoptsAnotherCluster),
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{stringvalidator.RegexMatches(clusterIDPattern, "must be a cluster ID such as Cluster-<uuid>")},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: describe("The cluster's name, such as the person's name, at most 128 characters.", keepsAdoptedValue),
				Optional:            true,
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				Validators:          []validator.String{stringvalidator.UTF8LengthAtMost(128)},
			},
			"custom_id": schema.StringAttribute{
				MarkdownDescription: describe("An ID of your own for the cluster, at most 128 characters.", keepsAdoptedValue),
				Optional:            true,
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				Validators:          []validator.String{stringvalidator.UTF8LengthAtMost(128)},
			},
			"custom_labels": schema.MapAttribute{
				MarkdownDescription: describe("Labels of your own (strings): at most 100, keys 1-128 characters, values at "+
					"most 256.", sendsWholeLabelMap, keepsAdoptedValue),
				ElementType:   types.StringType,
				Optional:      true,
				Computed:      true,
				PlanModifiers: []planmodifier.Map{mapplanmodifier.UseStateForUnknown()},
				Validators: []validator.Map{
					mapvalidator.SizeAtMost(100),
					mapvalidator.KeysAre(stringvalidator.UTF8LengthBetween(1, 128)),
					mapvalidator.ValueStringsAre(stringvalidator.UTF8LengthAtMost(256)),
				},
			},
			"cover_figure_id": schema.StringAttribute{
				MarkdownDescription: describe("The `FigureId` of the face shown as the cluster's cover; it must be one of "+
					"the cluster's faces.", keepsAdoptedValue),
				Optional:      true,
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				Validators:    []validator.String{stringvalidator.UTF8LengthAtLeast(1)},
			},
			"cover_uri": schema.StringAttribute{
				MarkdownDescription: "The URI of the cover's image. Null right after a change of `cover_figure_id`, " +
					"until a refresh reads the new cover.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{keepUnlessChanged("cover_figure_id")},
			},
			"face_count":  countAttribute("How many faces the cluster holds, as of the last read."),
			"image_count": countAttribute("How many images show the cluster's faces, as of the last read."),
			"video_count": countAttribute("How many videos show the cluster's faces, as of the last read."),
			"gender": schema.StringAttribute{
				MarkdownDescription: "The gender IMM infers for the cluster, such as `female`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"min_age":     ageAttribute("The youngest age IMM estimates among the cluster's faces."),
			"max_age":     ageAttribute("The oldest age IMM estimates among the cluster's faces."),
			"average_age": ageAttribute("The average age IMM estimates for the cluster's faces."),
			"meta_lock_version": schema.Int64Attribute{
				MarkdownDescription: "The cluster's version, which every update increments. The provider sends the " +
					"version it last saw with each update, so IMM refuses an update if the cluster changed elsewhere.",
				Computed:      true,
				PlanModifiers: []planmodifier.Int64{keepUnlessChangedInt64(attributeNames(clusterUpdatableAttributes)...)},
			},
			"create_time": schema.StringAttribute{
				MarkdownDescription: "When the cluster was created (RFC 3339).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"update_time": schema.StringAttribute{
				MarkdownDescription: "When the cluster last changed, as of the last read (RFC 3339).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true}),
		},
	}
}

// Create adopts the cluster: it reads it, then sends one update with the
// configured fields that differ from it.
func (r *figureClusterResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, ctx, cancel := r.begin(ctx, req.Plan.Get, creating, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	// IMM may not show a cluster from a clustering run that finished moments
	// ago: a not-found is read again while the create timeout leaves time.
	current, err := readUntilFound(ctx, func(ctx context.Context) (figureClusterModel, error) { return r.fetchCluster(ctx, plan) })
	if err != nil {
		advice := ""
		if imm.IsNotFound(err) {
			advice = fmt.Sprintf("IMM has no cluster %s in dataset %s/%s. Clusters can't be created directly: a clustering "+
				"run (the imm_figure_clustering resource) makes them from the faces in a dataset. List the clusters that exist "+
				"with the imm_figure_clusters data source and adopt one of their object_id values. If a clustering run finished "+
				"moments ago, IMM may not show its clusters yet: apply again in a few minutes.",
				plan.ObjectID.ValueString(), plan.ProjectName.ValueString(), plan.DatasetName.ValueString())
		}
		r.apiError(&resp.Diagnostics, "adopting", plan, err, advice)
		return
	}
	// The update is computed against the cluster as it is, so unchanged
	// configured values are not sent.
	changed := r.update(ctx, &plan, current, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	r.saveCreate(ctx, &plan, append(changed, "meta_lock_version"), resp)
}

func (r *figureClusterResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.readWithConsistency(ctx, req, resp)
}

func (r *figureClusterResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, ctx, cancel := r.begin(ctx, req.Plan.Get, updating, &resp.Diagnostics)
	defer cancel()
	var state figureClusterModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	changed := r.update(ctx, &plan, state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if len(changed) == 0 {
		r.saveUnchanged(ctx, &plan, resp)
		return
	}
	r.saveUpdate(ctx, &plan, append(changed, "meta_lock_version"), req.Private, resp)
}

// Delete forgets the cluster: IMM has no action to delete one.
func (r *figureClusterResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state figureClusterModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.AddWarning("Face cluster removed from Terraform only",
		fmt.Sprintf("IMM has no action to delete a face cluster, so %s was only removed from the Terraform state. It stays "+
			"in the dataset, with its name and labels, until the images that hold its faces are removed from the dataset.",
			r.id(state)))
}

func (r *figureClusterResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	r.importByID(ctx, req, resp)
}

func (r *figureClusterResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	r.identitySchema(resp)
}

// update sends the changes from base (the cluster as last seen) to plan, with
// base's MetaLockVersion, and completes plan with what is known after it. It
// returns the attributes it changed.
func (r *figureClusterResource) update(ctx context.Context, plan *figureClusterModel, base figureClusterModel, diags *diag.Diagnostics) []string {
	forReq := imm.FigureClusterForReq{ObjectId: plan.ObjectID.ValueString()}
	changed, setDiags := buildPartialUpdate(ctx, &forReq, plan, &base, clusterUpdatableAttributes)
	diags.Append(setDiags...)
	fillUnknown(plan, &base)
	if len(changed) == 0 || diags.HasError() {
		return nil
	}
	lock := base.MetaLockVersion.ValueInt64()
	forReq.MetaLockVersion = &lock
	err := r.data.client.UpdateFigureCluster(ctx, imm.UpdateFigureClusterRequest{
		ProjectName: plan.ProjectName.ValueString(), DatasetName: plan.DatasetName.ValueString(), FigureCluster: forReq})
	if err != nil && imm.IsLockMismatch(err) && imm.WasAmbiguous(err) && r.landed(ctx, *plan, changed, lock+1) {
		// The first attempt was applied and its answer lost; the retry then
		// met the version that attempt made.
		tflog.Warn(ctx, "UpdateFigureCluster was applied by an attempt whose answer was lost", map[string]any{"id": r.id(*plan)})
		err = nil
	}
	if err != nil {
		advice := ""
		if imm.IsLockMismatch(err) {
			advice = fmt.Sprintf("The cluster changed elsewhere since Terraform last read it (version %d is no longer the current "+
				"one), and the provider does not overwrite a change it has not seen. Run `terraform plan` (or `terraform apply "+
				"-refresh-only`) to read the cluster as it is now, review the difference, and apply again.", lock)
		}
		r.apiError(diags, "updating", *plan, err, advice)
		return nil
	}
	plan.MetaLockVersion = types.Int64Value(lock + 1)
	if slices.Contains(changed, "cover_figure_id") {
		plan.CoverURI = types.StringNull()
	}
	return changed
}

// landed reads the cluster once to tell whether an update whose answer was
// lost took effect: the cluster is at the version it would have made and
// shows the values it carried.
func (r *figureClusterResource) landed(ctx context.Context, plan figureClusterModel, changed []string, version int64) bool {
	read, err := r.fetchCluster(ctx, plan)
	return err == nil && read.MetaLockVersion.ValueInt64() == version && shows(&plan, &read, changed)
}

// fetchCluster reads the cluster and writes IMM's answer over prior.
func (r *figureClusterResource) fetchCluster(ctx context.Context, prior figureClusterModel) (figureClusterModel, error) {

	c, err := r.data.client.GetFigureCluster(ctx, imm.GetFigureClusterRequest{
		ProjectName: prior.ProjectName.ValueString(),
		DatasetName: prior.DatasetName.ValueString(),
		ObjectId:    prior.ObjectID.ValueString(),
	})
	if err != nil {
		return prior, err
	}
	read := prior
	flattenFigureCluster(c, &read.figureClusterFields)
	return read, nil
}

// clusterChangedLater tells whether a read shows a change made after state's:
// a later version, or a later update time (a clustering run added faces).
func clusterChangedLater(prior, read figureClusterModel) bool {
	return read.MetaLockVersion.ValueInt64() > prior.MetaLockVersion.ValueInt64() || laterTime(prior.UpdateTime, read.UpdateTime)
}

// flattenFigureCluster writes what IMM says of a cluster into m.
func flattenFigureCluster(c *imm.FigureCluster, m *figureClusterFields) {
	m.ID = types.StringValue(c.ProjectName + "/" + c.DatasetName + "/" + c.ObjectId)
	m.ProjectName = types.StringValue(c.ProjectName)
	m.DatasetName = types.StringValue(c.DatasetName)
	m.ObjectID = types.StringValue(c.ObjectId)
	m.Name = types.StringValue(c.Name)
	m.CustomID = types.StringValue(c.CustomId)
	m.CustomLabels = flattenLabels(c.CustomLabels)
	m.CoverFigureID = types.StringValue(coverFigureID(c.Cover))
	m.CoverURI = types.StringValue(c.Cover.URI)
	m.FaceCount = types.Int64Value(c.FaceCount)
	m.ImageCount = types.Int64Value(c.ImageCount)
	m.VideoCount = types.Int64Value(c.VideoCount)
	m.Gender = types.StringValue(c.Gender)
	m.MinAge = types.Float64Value(c.MinAge)
	m.MaxAge = types.Float64Value(c.MaxAge)
	m.AverageAge = types.Float64Value(c.AverageAge)
	m.MetaLockVersion = types.Int64Value(c.MetaLockVersion)
	m.CreateTime = types.StringValue(c.CreateTime)
	m.UpdateTime = types.StringValue(c.UpdateTime)
}

// flattenLabels turns IMM's labels (JSON values) into a map of strings;
// values that are not strings keep their JSON text (`{"a":1}`, `2`, `true`).
// Always a map, possibly empty: a cluster's labels are Optional+Computed.
func flattenLabels(labels map[string]any) types.Map {
	return stringMapValue(jsonValuesAsText(labels))
}

func coverFigureID(cover imm.File) string {
	ids := make([]string, 0, len(cover.Figures))
	for _, f := range cover.Figures {
		ids = append(ids, f.FigureId)
	}
	sort.Strings(ids)
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}
