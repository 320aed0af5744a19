package provider

import (
	"context"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// awaitTask reads a face clustering task until it has finished (Succeeded or
// Failed), and returns it. Right after its creation IMM may not show it yet
// (ResourceNotFound): that is read again too. progress, when not nil, hears
// each read that finds the task still running. The imm_figure_clustering
// resource and the imm_create_figure_clustering_task action both wait with
// it.
func awaitTask(ctx context.Context, client *imm.Client, project, taskID string, progress func(*imm.Task)) (*imm.Task, error) {
	var task *imm.Task
	_, err := poll(ctx, 250*time.Millisecond, 5*time.Second, func(ctx context.Context) (bool, error) {
		t, err := client.GetTask(ctx, imm.GetTaskRequest{ProjectName: project, TaskId: taskID, TaskType: imm.TaskTypeFaceClustering})
		if imm.IsNotFound(err) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		task = t
		done := t.Status == imm.TaskSucceeded || t.Status == imm.TaskFailed
		if !done && progress != nil {
			progress(t)
		}
		return done, nil
	})
	return task, err
}
