package provider

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// realPathConfig is what a user runs on Alibaba Cloud: a project, a dataset
// bound to the bucket the photos are in, a clustering run that depends on
// the binding (run changes to run it again), and a name for every cluster
// found, by the photo on its cover.
func (e *testEnv) realPathConfig(project, dataset, run string) string {
	return e.providerConfig() + fmt.Sprintf(`
variable "names" {
  type = map(string)
  default = {
    "oss://family-photos/2019/ann.jpg" = "Ann"
    "oss://family-photos/2019/ben.jpg" = "Ben"
    "oss://family-photos/2019/cat.jpg" = "Cat"
    "oss://family-photos/2021/dan.jpg" = "Dan"
  }
}

resource "imm_project" "p" {
  project_name  = %q
  force_destroy = true
}

resource "imm_dataset" "d" {
  project_name  = imm_project.p.project_name
  dataset_name  = %q
  force_destroy = true
}

resource "imm_binding" "photos" {
  project_name = imm_dataset.d.project_name
  dataset_name = imm_dataset.d.dataset_name
  uri          = "oss://family-photos"
}

resource "imm_figure_clustering" "faces" {
  project_name = imm_binding.photos.project_name
  dataset_name = imm_binding.photos.dataset_name
  triggers     = { run = %q }
}

data "imm_figure_clusters" "found" {
  project_name = imm_figure_clustering.faces.project_name
  dataset_name = imm_figure_clustering.faces.dataset_name
}

resource "imm_figure_cluster" "person" {
  for_each     = { for c in data.imm_figure_clusters.found.clusters : c.object_id => c }
  project_name = each.value.project_name
  dataset_name = each.value.dataset_name
  object_id    = each.key
  name         = lookup(var.names, each.value.cover_uri, "Unknown")
}
`, project, dataset, run)
}

// namedClusters is the dataset's clusters IMM has committed, by name, with
// their face counts.
func (e *testEnv) namedClusters(project, dataset string) map[string]imm.FigureCluster {
	e.t.Helper()
	s, err := e.committed()
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]imm.FigureCluster{}
	for _, c := range s.Clusters {
		if c.ProjectName == project && c.DatasetName == dataset {
			found := c.FigureCluster
			found.FaceCount = int64(len(c.Figures))
			out[c.Name] = found
		}
	}
	return out
}

func clusterSummary(m map[string]imm.FigureCluster) string {
	var parts []string
	for name, c := range m {
		parts = append(parts, fmt.Sprintf("%s:%d", name, c.FaceCount))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// TestAccRealPath_photosInOSSAreBoundClusteredAndNamedAndMorePhotosAddOneCluster
// is the main job the way a real account runs it: photos uploaded to a
// bucket (the emulator's fake OSS), a binding that indexes them, a
// clustering run that depends on it, then a second apply that names each
// person's cluster. More photos, of a new person, uploaded later are
// indexed by the binding; a second run adds exactly one cluster, and the
// named ones keep their names. Destroy leaves nothing in IMM.
func TestAccRealPath_photosInOSSAreBoundClusteredAndNamedAndMorePhotosAddOneCluster(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	t.Parallel()
	env := bindingEnv(t, emulator.Options{PropagationDelay: time.Second})
	project, dataset := "acc_real_path", "photos"
	tf := newTerraformCLI(t)

	tf.write("main.tf", env.realPathConfig(project, dataset, "1"))
	tf.mustRun("apply", "-auto-approve", "-target=imm_figure_clustering.faces")
	time.Sleep(time.Second) // reads show the clusters once the 1s lag has passed
	tf.mustRun("apply", "-auto-approve")
	first := env.namedClusters(project, dataset)
	// The run saw every photo: the binding's create waited for its scan.
	if got := clusterSummary(first); got != "Ann:2 Ben:2 Cat:2" {
		t.Fatalf("after the first run, clusters %s; want Ann, Ben and Cat with two faces each", got)
	}

	// Later uploads: Dan alone, then Dan with Ann. The binding indexes them
	// as they come; a second run (triggers changed) clusters them.
	if err := env.emu.AddOSSObjects(emulator.OSSContents{Objects: []emulator.OSSObject{
		{URI: "oss://family-photos/2021/dan.jpg", Figures: []emulator.OSSFigure{{Person: "dan", Gender: "male", Age: 61}}},
		{URI: "oss://family-photos/2021/picnic.jpg", Figures: []emulator.OSSFigure{
			{Person: "dan", Gender: "male", Age: 61}, {Person: "ann", Gender: "female", Age: 32}}},
	}}); err != nil {
		t.Fatal(err)
	}
	tf.write("main.tf", env.realPathConfig(project, dataset, "2"))
	out := tf.mustRun("apply", "-auto-approve", "-target=imm_figure_clustering.faces")
	if !strings.Contains(out, "1 added, 0 changed, 1 destroyed") {
		t.Errorf("the second run was not a replacement of the clustering run alone:\n%s", out)
	}
	time.Sleep(time.Second) // the lag, again
	out = tf.mustRun("apply", "-auto-approve")
	if !strings.Contains(out, "1 added, 0 changed, 0 destroyed") {
		t.Errorf("the naming apply did not add exactly one named cluster:\n%s", out)
	}
	second := env.namedClusters(project, dataset)
	if got := clusterSummary(second); got != "Ann:3 Ben:2 Cat:2 Dan:2" {
		t.Errorf("after the second run, clusters %s; want Ann grown to three faces and one new cluster, Dan's", got)
	}
	for _, name := range []string{"Ann", "Ben", "Cat"} {
		if second[name].ObjectId != first[name].ObjectId {
			t.Errorf("%s's cluster changed from %s to %s", name, first[name].ObjectId, second[name].ObjectId)
		}
	}
	if out, code := tf.run("plan", "-detailed-exitcode"); code != 0 {
		t.Errorf("plan after the naming apply: exit %d, want 0 (no changes):\n%s", code, out)
	}

	tf.mustRun("destroy", "-auto-approve")
	if s, err := env.committed(); err != nil || len(s.Projects)+len(s.Datasets)+len(s.Clusters) != 0 {
		t.Errorf("IMM holds %+v after destroy (%v), want nothing", s, err)
	}
	if bindings, _, err := env.committedLinks(); err != nil || len(bindings) != 0 {
		t.Errorf("IMM holds bindings %+v after destroy (%v), want none", bindings, err)
	}
	if n := len(env.emu.OSS().Objects); n != len(familyPhotos.Objects)+2 {
		t.Errorf("the fake OSS holds %d objects after destroy, want all %d photos (destroy deletes metadata, not photos)", n, len(familyPhotos.Objects)+2)
	}
}
