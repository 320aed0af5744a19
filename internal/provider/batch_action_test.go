package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// TestAccBatchAction_invokedRunsOverTheObjectsInTheBucketUntilItSucceeds
// invokes imm_create_batch on an attached bucket of three photos, and on a
// bucket the project has not attached, which IMM fails.
func TestAccBatchAction_invokedRunsOverTheObjectsInTheBucketUntilItSucceeds(t *testing.T) {
	requireTerraform(t, "1.14.0")
	t.Parallel()
	env := newTestEnv(t, emulator.Options{Clock: clock.Real{}, PropagationDelay: time.Millisecond, ScanDuration: 2 * time.Second})
	project := "acc_batch"
	ctx := context.Background()
	if _, err := env.client.CreateProject(ctx, imm.CreateProjectRequest{ProjectName: project}); err != nil {
		t.Fatal(err)
	}
	if err := env.client.AttachOSSBucket(ctx, imm.AttachOSSBucketRequest{ProjectName: project, OSSBucket: "scans"}); err != nil {
		t.Fatal(err)
	}
	if err := env.emu.AddOSSObjects(emulator.OSSContents{Buckets: []string{"elsewhere"}, Objects: []emulator.OSSObject{
		{URI: "oss://scans/in/a.pdf"}, {URI: "oss://scans/in/b.pdf"}, {URI: "oss://scans/in/c.pdf"}, {URI: "oss://scans/other/d.pdf"},
	}}); err != nil {
		t.Fatal(err)
	}
	batch := func(name, bucket string) string {
		return fmt.Sprintf(`
action "imm_create_batch" %q {
  config {
    project_name = %q
    input        = { bucket = %q, prefix = "in/" }
    actions      = [{ name = "doc/convert", parameters = ["pages=3"] }]
    tags         = { run = %q }
  }
}
`, name, project, bucket, name)
	}
	tf := newTerraformCLI(t)
	tf.write("main.tf", env.providerConfig()+batch("scans", "scans")+batch("unattached", "elsewhere"))

	out := tf.mustRun("apply", "-auto-approve", "-invoke=action.imm_create_batch.scans")
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"Batch batch-", "created in project acc_batch", "is Running", "succeeded in", "3 tasks submitted"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the invoke did not report %q:\n%s", want, out)
		}
	}
	creates := env.requests("CreateBatch")
	if len(creates) != 1 || !strings.Contains(creates[0].Params["Actions"], `"Name":"doc/convert"`) {
		t.Errorf("CreateBatch requests = %+v, want one carrying the action", creates)
	}

	out, code := tf.run("apply", "-auto-approve", "-invoke=action.imm_create_batch.unattached")
	flat = strings.Join(strings.Fields(out), " ")
	if code == 0 || !strings.Contains(flat, "running IMM batch (acc_batch/batch-") || !strings.Contains(flat, "The batch failed:") {
		t.Errorf("a batch over an unattached bucket did not fail the invoke with IMM's error (exit %d):\n%s", code, out)
	}
}
