package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ resource.Resource               = &figureClusteringResource{}
	_ resource.ResourceWithConfigure  = &figureClusteringResource{}
	_ resource.ResourceWithModifyPlan = &figureClusteringResource{}
)

// NewFigureClusteringResource is the imm_figure_clustering resource.
func NewFigureClusteringResource() resource.Resource {
	return &figureClusteringResource{resourceType[figureClusteringModel]{
		kind:         "clustering run",
		typeName:     "imm_figure_clustering",
		idAttributes: []string{"project_name", "dataset_name"},
		timeouts:     defaultTimeouts{create: 30 * time.Minute},
	}}
}

// figureClusteringResource has no fetch: a finished run is not read back.
type figureClusteringResource struct {
	resourceType[figureClusteringModel]
}

type figureClusteringModel struct {
	ID          types.String   `tfsdk:"id"`
	ProjectName types.String   `tfsdk:"project_name"`
	DatasetName types.String   `tfsdk:"dataset_name"`
	Triggers    types.Map      `tfsdk:"triggers"`
	Tags        types.Map      `tfsdk:"tags"`
	TagsAll     types.Map      `tfsdk:"tags_all"`
	TaskID      types.String   `tfsdk:"task_id"`
	Status      types.String   `tfsdk:"status"`
	StartTime   types.String   `tfsdk:"start_time"`
	EndTime     types.String   `tfsdk:"end_time"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
}

func (m figureClusteringModel) timeoutsValue() timeouts.Value { return m.Timeouts }

func (r *figureClusteringResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_figure_clustering"
}

func (r *figureClusteringResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A clustering run over a dataset: it starts IMM's `CreateFigureClusteringTask`, which groups " +
			"the dataset's faces not yet clustered into face clusters (one per person, adding to the clusters of earlier " +
			"runs), and waits until the task has succeeded. Resources that name clusters can `depends_on` it. A change of " +
			"`triggers` runs it again; destroying it changes nothing in IMM (the clusters stay). On Terraform 1.14 and " +
			"later, the `imm_create_figure_clustering_task` action runs the clustering as the one-off operation it is, " +
			"without keeping a run in state.",
		Attributes: map[string]schema.Attribute{
			"id": computedString("The task ID."),
			"project_name": schema.StringAttribute{
				MarkdownDescription: describe("The project of the dataset.", replacesRun),
				Required:            true,
				PlanModifiers:       replace,
				Validators:          nameValidators(),
			},
			"dataset_name": schema.StringAttribute{
				MarkdownDescription: describe("The dataset whose faces are clustered.", replacesRun),
				Required:            true,
				PlanModifiers:       replace,
				Validators:          nameValidators(),
			},
			"triggers": schema.MapAttribute{
				MarkdownDescription: "Arbitrary values; any change runs the clustering again (for example a hash of " +
					"what was indexed since).",
				ElementType:   types.StringType,
				Optional:      true,
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
			},
			"tags": schema.MapAttribute{
				MarkdownDescription: describe("Tags of the clustering task, which IMM returns with it (and with its "+
					"notification): at most 20.", overDefaultTagsCounted, replacesRun),
				ElementType:   types.StringType,
				Optional:      true,
				PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()},
				Validators:    tagValidators(),
			},
			"tags_all": tagsAllAttribute("The tags the task was started with: `tags` over the provider's `default_tags`. " +
				"A task's tags cannot change, so a later change of `default_tags` applies to the runs started after it and " +
				"is no change of this one."),
			"task_id":    computedString("IMM's ID of the clustering task, such as `FaceClustering-<uuid>`."),
			"status":     computedString("The task's final status: `Succeeded`."),
			"start_time": computedString("When the task started (RFC 3339)."),
			"end_time":   computedString("When the task finished (RFC 3339)."),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true}),
		},
	}
}

func (r *figureClusteringResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, ctx, cancel := r.begin(ctx, req.Plan.Get, creating, &resp.Diagnostics)
	defer cancel()
	if resp.Diagnostics.HasError() {
		return
	}

	project, dataset := plan.ProjectName.ValueString(), plan.DatasetName.ValueString()
	id := project + "/" + dataset
	tags, diags := stringMap(ctx, plan.TagsAll) // the default tags too
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if len(tags) == 0 {
		tags = nil
	}
	started, err := r.data.client.CreateFigureClusteringTask(ctx, imm.CreateFigureClusteringTaskRequest{ProjectName: project,
		DatasetName: dataset, Tags: tags})
	if err != nil {
		advice := ""
		if imm.IsNotFound(err) {
			advice = fmt.Sprintf("The dataset %s does not exist, or IMM does not show it yet. Create it first, for example with an "+
				"imm_dataset resource that this clustering refers to.", id)
		}
		addAPIError(&resp.Diagnostics, "starting clustering of", "dataset", id, err, advice)
		return
	}
	tflog.Info(ctx, "Clustering task started", map[string]any{"dataset": id, "task_id": started.TaskId})

	task, err := awaitTask(ctx, r.data.client, project, started.TaskId, nil)
	switch {
	case errors.Is(err, errPollTimeout):
		resp.Diagnostics.AddError(operationSummary("waiting for clustering of", "dataset", id),
			fmt.Sprintf("The clustering task %s was still running when the create timeout passed. It goes on in IMM; raise "+
				"timeouts.create and apply again (which starts a new run over whatever is left to cluster).", started.TaskId))
		return
	case err != nil:
		addAPIError(&resp.Diagnostics, "waiting for clustering of", "dataset", id, err, "")
		return
	case task.Status == imm.TaskFailed:
		resp.Diagnostics.AddError(operationSummary("clustering", "dataset", id),
			fmt.Sprintf("The clustering task %s failed.\n\nCode:    %s\nMessage: %s", task.TaskId, task.Code, task.Message))
		return
	}

	plan.ID = types.StringValue(task.TaskId)
	plan.TaskID = types.StringValue(task.TaskId)
	plan.Status = types.StringValue(task.Status)
	plan.StartTime = types.StringValue(task.StartTime)
	plan.EndTime = types.StringValue(task.EndTime)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// ModifyPlan plans tags_all: at a new run, tags over the provider's
// default tags; afterwards, the tags the run started with.
func (r *figureClusteringResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.data != nil {
		r.data.tags.planTagsAll(ctx, req, resp, tagPlan{maxTags: tagLimit, fixedAfterCreate: true})
	}
}

// Read keeps what Create saw: a finished clustering run does not change, and
// IMM forgets tasks after seven days.
func (r *figureClusteringResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state figureClusteringModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update only takes a new timeouts block; every other change replaces.
func (r *figureClusteringResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan figureClusteringModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete forgets the run: the clusters it made stay in the dataset.
func (r *figureClusteringResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}
