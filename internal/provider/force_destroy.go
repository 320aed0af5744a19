package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// force_destroy empties what IMM refuses to delete while it holds anything
// (imm-api.md §6.1, §6.2, §11.3): a dataset goes only once its bindings and
// all its file metadata are gone; a project only once its datasets,
// triggers and batches are. IMM's lists lag its writes, so a list may miss
// something created moments ago, and IMM then refuses the delete
// (InvalidArgument): the whole round is tried again, with a growing pause,
// until the delete timeout, when IMM's last refusal is the error.

// destroyer deletes the contents of projects and datasets with one client.
type destroyer struct{ client *imm.Client }

// deleteDatasetForcibly deletes a dataset's bindings, then its file
// metadata (every page, in batches of 100; the OSS objects stay), then the
// dataset. A dataset already gone is no error.
func (d destroyer) deleteDatasetForcibly(ctx context.Context, project, dataset string) error {
	return d.retryRounds(ctx, func(ctx context.Context) error {
		if err := d.emptyDataset(ctx, project, dataset); err != nil {
			return err
		}
		return d.client.DeleteDataset(ctx, project, dataset)
	})
}

// deleteProjectForcibly deletes a project's triggers and batches (a running
// one is suspended first: IMM deletes neither while it runs), then
// force-deletes each of its datasets, then the project.
func (d destroyer) deleteProjectForcibly(ctx context.Context, project string) error {
	return d.retryRounds(ctx, func(ctx context.Context) error {
		if err := d.deleteIngestions(ctx, project); err != nil {
			return err
		}
		datasets, err := d.client.ListAllDatasets(ctx, imm.ListDatasetsRequest{ProjectName: project})
		if err != nil {
			return err
		}
		for _, ds := range datasets {
			// A lagging list may show a dataset already deleted: its
			// not-found is no error.
			if err := d.emptyDataset(ctx, project, ds.DatasetName); err != nil && !imm.IsNotFound(err) {
				return fmt.Errorf("emptying dataset %s first: %w", ds.DatasetName, err)
			}
			if err := d.client.DeleteDataset(ctx, project, ds.DatasetName); err != nil && !imm.IsNotFound(err) {
				return fmt.Errorf("deleting dataset %s first: %w", ds.DatasetName, err)
			}
		}
		return d.client.DeleteProject(ctx, project)
	})
}

// retryRounds runs round until it succeeds or fails otherwise than with a
// refusal IMM may lift once its reads catch up (InvalidArgument), within
// ctx. A not-found means the object being deleted is gone: success (round
// keeps the not-found of anything else to itself).
func (d destroyer) retryRounds(ctx context.Context, round func(context.Context) error) error {
	var last error
	_, err := poll(ctx, time.Second, 10*time.Second, func(ctx context.Context) (bool, error) {
		last = round(ctx)
		switch {
		case last == nil || imm.IsNotFound(last):
			return true, nil
		case imm.IsInvalidArgument(last):
			return false, nil // something a lagging list did not show yet
		}
		return false, last
	})
	if errors.Is(err, errPollTimeout) {
		return last
	}
	return err
}

// emptyDataset deletes a dataset's bindings first, so that none indexes
// more files, then the metadata of every file it holds.
func (d destroyer) emptyDataset(ctx context.Context, project, dataset string) error {
	bindings, err := d.client.ListAllBindings(ctx, imm.ListBindingsRequest{ProjectName: project, DatasetName: dataset})
	if err != nil {
		return err
	}
	for _, b := range bindings {
		err := d.client.DeleteBinding(ctx, imm.DeleteBindingRequest{ProjectName: project, DatasetName: dataset, URI: b.URI})
		if err != nil && !imm.IsNotFound(err) {
			return fmt.Errorf("deleting binding %s: %w", b.URI, err)
		}
	}
	files, err := d.client.QueryAllFiles(ctx, imm.SimpleQueryRequest{ProjectName: project, DatasetName: dataset})
	if err != nil {
		return err
	}
	uris := make([]string, len(files))
	for i, f := range files {
		uris[i] = f.URI
	}
	return d.client.DeleteAllFileMeta(ctx, project, dataset, uris)
}

// deleteIngestions deletes a project's triggers and batches, suspending
// the running ones first.
func (d destroyer) deleteIngestions(ctx context.Context, project string) error {
	for _, kind := range []ingestionKind{triggers, batches} {
		list, err := kind.list(d.client, ctx, project)
		if err != nil {
			return err
		}
		for _, in := range list {
			if in.State == imm.StateRunning {
				if err := kind.suspend(d.client, ctx, project, in.Id); err != nil && !imm.IsNotFound(err) && !imm.IsInvalidArgument(err) {
					return fmt.Errorf("suspending %s %s before deleting it: %w", kind.name, in.Id, err)
				}
			}
			if err := kind.remove(d.client, ctx, project, in.Id); err != nil && !imm.IsNotFound(err) {
				return fmt.Errorf("deleting %s %s: %w", kind.name, in.Id, err)
			}
		}
	}
	return nil
}

// ingestionKind is triggers or batches: the same calls under other names.
type ingestionKind struct {
	name    string
	list    func(c *imm.Client, ctx context.Context, project string) ([]imm.DataIngestion, error)
	suspend func(c *imm.Client, ctx context.Context, project, id string) error
	remove  func(c *imm.Client, ctx context.Context, project, id string) error
}

var (
	triggers = ingestionKind{
		name: "trigger",
		list: func(c *imm.Client, ctx context.Context, project string) ([]imm.DataIngestion, error) {
			return c.ListAllTriggers(ctx, imm.ListTriggersRequest{ProjectName: project})
		},
		suspend: (*imm.Client).SuspendTrigger,
		remove:  (*imm.Client).DeleteTrigger,
	}
	batches = ingestionKind{
		name: "batch",
		list: func(c *imm.Client, ctx context.Context, project string) ([]imm.DataIngestion, error) {
			return c.ListAllBatches(ctx, imm.ListBatchesRequest{ProjectName: project})
		},
		suspend: (*imm.Client).SuspendBatch,
		remove:  (*imm.Client).DeleteBatch,
	}
)

// datasetRemains says what IMM's reads show in a dataset that IMM refused
// to delete, or "" when they could not be read or show nothing (they lag).
func (d destroyer) datasetRemains(ctx context.Context, project, dataset string) string {
	ds, err := d.client.GetDataset(ctx, imm.GetDatasetRequest{ProjectName: project, DatasetName: dataset})
	if err != nil || ds.BindCount+ds.FileCount == 0 {
		return ""
	}
	return fmt.Sprintf("IMM shows %s and %s in the dataset.", count(ds.BindCount, "binding"), count(ds.FileCount, "indexed file"))
}

// projectRemains says what IMM's reads show in a project that IMM refused
// to delete, or "" when they could not be read or show nothing (they lag).
func (d destroyer) projectRemains(ctx context.Context, project string) string {
	p, err := d.client.GetProject(ctx, imm.GetProjectRequest{ProjectName: project})
	if err != nil {
		return ""
	}
	parts := []string{count(p.DatasetCount, "dataset")}
	total := p.DatasetCount
	for _, kind := range []ingestionKind{triggers, batches} {
		if list, err := kind.list(d.client, ctx, project); err == nil {
			parts = append(parts, count(int64(len(list)), kind.name))
			total += int64(len(list))
		}
	}
	if total == 0 {
		return ""
	}
	last := len(parts) - 1
	if last == 0 {
		return fmt.Sprintf("IMM shows %s in the project.", parts[0])
	}
	return fmt.Sprintf("IMM shows %s and %s in the project.", strings.Join(parts[:last], ", "), parts[last])
}

// count is "1 binding", "2 bindings", "3 batches".
func count(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "ch") {
		return fmt.Sprintf("%d %ses", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
