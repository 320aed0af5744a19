package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// bindOutside binds project/dataset to the bucket of familyPhotos outside
// Terraform and waits until IMM's reads show its full scan over.
func (e *testEnv) bindOutside(project, dataset string) {
	e.t.Helper()
	ctx := context.Background()
	ref := imm.CreateBindingRequest{ProjectName: project, DatasetName: dataset, URI: "oss://family-photos"}
	if _, err := e.client.CreateBinding(ctx, ref); err != nil {
		e.t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		b, err := e.client.GetBinding(ctx, ref)
		if err == nil && b.Phase == imm.PhaseIncrementalScanning {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("the binding's scan did not end: %+v, %v", b, err)
		}
	}
}

// datasetWithForceDestroy is a project and a dataset whose force_destroy is
// set as given.
func (e *testEnv) datasetWithForceDestroy(project, dataset string, force bool) string {
	return e.providerConfig() + fmt.Sprintf(`
resource "imm_project" "p" {
  project_name = %q
}

resource "imm_dataset" "test" {
  project_name  = imm_project.p.project_name
  dataset_name  = %q
  force_destroy = %t
}
`, project, dataset, force)
}

func TestAccDataset_forceDestroyDeletesBindingsThenEveryPageOfFiles(t *testing.T) {
	env := bindingEnv(t, emulator.Options{MaxPageSize: 2})
	project, dataset := "acc_force_dataset", "photos"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkProjectGone(project),
		Steps: []resource.TestStep{
			{Config: env.datasetWithForceDestroy(project, dataset, false)},
			{
				// Without force_destroy: what remains, and how to proceed.
				PreConfig: func() { env.bindOutside(project, dataset) },
				Config:    env.datasetWithForceDestroy(project, dataset, false),
				Destroy:   true,
				ExpectError: wrapped(`Error: deleting IMM dataset \(acc_force_dataset/photos\).*InvalidArgument.*` +
					`IMM shows 1 binding and 5 indexed files in the dataset\. A dataset that still has bindings or indexed files ` +
					`can't be deleted\. Set force_destroy = true on the dataset and apply, then destroy again`),
			},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    env.datasetWithForceDestroy(project, dataset, true),
				Check:     env.checkNoWrites(),
			},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    env.datasetWithForceDestroy(project, dataset, true),
				Destroy:   true,
			},
		},
	})
	// The binding went first, then every file, read over three pages of
	// two, deleted in one batch, then the dataset.
	var writes []string
	for _, r := range env.requests(writeActions...) {
		writes = append(writes, r.Action)
	}
	if fmt.Sprint(writes) != "[DeleteBinding BatchDeleteFileMeta DeleteDataset DeleteProject]" {
		t.Errorf("destroy wrote %v, want the binding, the files, the dataset, the project", writes)
	}
	var deleted []string
	for _, r := range env.requests("BatchDeleteFileMeta") {
		var uris []string
		if err := json.Unmarshal([]byte(r.Params["URIs"]), &uris); err != nil {
			t.Fatal(err)
		}
		deleted = append(deleted, uris...)
	}
	if len(deleted) != len(familyPhotos.Objects) {
		t.Errorf("BatchDeleteFileMeta deleted %v, want the %d files", deleted, len(familyPhotos.Objects))
	}
	if pages := env.requests("SimpleQuery"); len(pages) < 3 {
		t.Errorf("%d SimpleQuery pages for 5 files two a page, want at least 3", len(pages))
	}
}

func TestAccProject_forceDestroyRemovesTriggersBatchesAndDatasetsWithTheirFiles(t *testing.T) {
	env := bindingEnv(t, emulator.Options{})
	project := "acc_force_everything"
	config := func(force bool) string {
		return env.providerConfig() + fmt.Sprintf(`
resource "imm_project" "test" {
  project_name  = %q
  force_destroy = %t
}
`, project, force)
	}
	ingestion := imm.CreateTriggerRequest{ProjectName: project,
		Input:   imm.Input{OSS: &imm.InputOSS{Bucket: "family-photos"}},
		Actions: []imm.IngestionAction{{Name: "doc/convert"}}}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkProjectGone(project),
		Steps: []resource.TestStep{
			{Config: config(false)},
			{
				// Outside Terraform: a dataset with a binding and files, a
				// running trigger and a batch.
				PreConfig: func() {
					ctx := context.Background()
					if _, err := env.client.CreateDataset(ctx, imm.CreateDatasetRequest{ProjectName: project, DatasetName: "photos"}); err != nil {
						t.Fatal(err)
					}
					if err := env.client.AttachOSSBucket(ctx, imm.AttachOSSBucketRequest{ProjectName: project, OSSBucket: "family-photos"}); err != nil {
						t.Fatal(err)
					}
					env.bindOutside(project, "photos")
					if _, err := env.client.CreateTrigger(ctx, ingestion); err != nil {
						t.Fatal(err)
					}
					if _, err := env.client.CreateBatch(ctx, ingestion); err != nil {
						t.Fatal(err)
					}
					time.Sleep(time.Second) // the trigger starts running
				},
				Config:  config(false),
				Destroy: true,
				ExpectError: wrapped(`Error: deleting IMM project \(acc_force_everything\).*InvalidArgument.*` +
					`IMM shows 1 dataset, 1 trigger and 1 batch in the project\. A project that still has datasets, triggers or ` +
					`batches can't be deleted\. Set force_destroy = true on the project and apply`),
			},
			{Config: config(true)},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    config(true),
				Destroy:   true,
			},
		},
	})
	for action, want := range map[string]int{"SuspendTrigger": 1, "DeleteTrigger": 1, "DeleteBatch": 1, "DeleteBinding": 1,
		"BatchDeleteFileMeta": 1, "DeleteDataset": 1} {
		var ok int
		for _, r := range env.requests(action) {
			if r.Status == 200 {
				ok++
			}
		}
		if ok != want {
			t.Errorf("force_destroy: %d successful %s, want %d", ok, action, want)
		}
	}
}

func TestCountSaysOneOrMany(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		noun string
		want string
	}{
		{0, "dataset", "0 datasets"},
		{1, "binding", "1 binding"},
		{5, "indexed file", "5 indexed files"},
		{1, "batch", "1 batch"},
		{2, "batch", "2 batches"},
	} {
		if got := count(tt.n, tt.noun); got != tt.want {
			t.Errorf("count(%d, %q) = %q, want %q", tt.n, tt.noun, got, tt.want)
		}
	}
}
