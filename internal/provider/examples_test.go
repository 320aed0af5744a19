package provider

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// examplesDir is the repository's examples folder: the documentation's
// examples and the demo.
const examplesDir = "../../examples"

// TestExamplesAreFormattedAndValid runs terraform fmt and terraform validate,
// with the built provider, on every example folder, so that the docs never
// show a configuration that does not work.
func TestExamplesAreFormattedAndValid(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("needs terraform and a provider build: set TF_ACC=1")
	}
	abs, err := filepath.Abs(examplesDir)
	if err != nil {
		t.Fatal(err)
	}
	fmtCheck := newTerraformCLI(t)
	if out, code := fmtCheck.run("fmt", "-check", "-recursive", "-diff", abs); code != 0 {
		t.Errorf("terraform fmt would change the examples:\n%s", out)
	}

	dirs := exampleFolders(t, abs)
	for _, want := range expectedExampleFolders(abs) {
		if !slices.Contains(dirs, want) {
			t.Errorf("no example in %s: every resource, data source and function needs one for its documentation page", want)
		}
	}
	for _, want := range expectedImportExamples(abs) {
		if _, err := os.Stat(want); err != nil {
			t.Errorf("no import example %s: every importable resource shows terraform import and an import block", want)
		}
	}
	for _, dir := range dirs {
		rel, _ := filepath.Rel(abs, dir)
		t.Run(rel, func(t *testing.T) {
			if minimum, ok := exampleMinimumTerraform[strings.Split(filepath.ToSlash(rel), "/")[0]]; ok {
				requireTerraform(t, minimum)
			}
			t.Parallel()
			tf := newTerraformCLI(t)
			files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
			if err != nil {
				t.Fatal(err)
			}
			queries, err := filepath.Glob(filepath.Join(dir, "*.tfquery.hcl"))
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, queries...)
			for _, f := range files {
				content, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				tf.write(filepath.Base(f), string(content))
				if strings.Contains(string(content), "required_providers") && filepath.Base(f) != "versions.tf" {
					// The example names the provider itself.
					if err := os.Remove(filepath.Join(tf.dir, "versions.tf")); err != nil {
						t.Fatal(err)
					}
				}
			}
			validate := []string{"validate"}
			if len(queries) > 0 {
				validate = append(validate, "-query")
			}
			if out, code := tf.run(validate...); code != 0 || !strings.Contains(out, "The configuration is valid") {
				t.Errorf("terraform validate (exit %d):\n%s", code, out)
			}
		})
	}
}

// exampleMinimumTerraform is the Terraform version the examples of a folder
// of examples/ need; on an older terraform they are skipped.
var exampleMinimumTerraform = map[string]string{
	"functions":      "1.8.0",
	"list-resources": "1.14.0",
	"actions":        "1.14.0",
}

// expectedExampleFolders are where tfplugindocs looks for the examples of the
// provider and of every resource and data source it serves.
func expectedExampleFolders(root string) []string {
	ctx := context.Background()
	p := New("test")()
	want := []string{filepath.Join(root, "provider"), filepath.Join(root, "demo")}
	for _, r := range p.Resources(ctx) {
		var resp resource.MetadataResponse
		r().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "imm"}, &resp)
		want = append(want, filepath.Join(root, "resources", resp.TypeName))
	}
	for _, d := range p.DataSources(ctx) {
		var resp datasource.MetadataResponse
		d().Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "imm"}, &resp)
		want = append(want, filepath.Join(root, "data-sources", resp.TypeName))
	}
	if withLists, ok := p.(provider.ProviderWithListResources); ok {
		for _, l := range withLists.ListResources(ctx) {
			var resp resource.MetadataResponse
			l().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "imm"}, &resp)
			want = append(want, filepath.Join(root, "list-resources", resp.TypeName))
		}
	}
	if withActions, ok := p.(provider.ProviderWithActions); ok {
		for _, a := range withActions.Actions(ctx) {
			var resp action.MetadataResponse
			a().Metadata(ctx, action.MetadataRequest{ProviderTypeName: "imm"}, &resp)
			want = append(want, filepath.Join(root, "actions", resp.TypeName))
		}
	}
	if withFunctions, ok := p.(provider.ProviderWithFunctions); ok {
		for _, f := range withFunctions.Functions(ctx) {
			var resp function.MetadataResponse
			f().Metadata(ctx, function.MetadataRequest{}, &resp)
			want = append(want, filepath.Join(root, "functions", resp.Name))
		}
	}
	return want
}

// expectedImportExamples are the import examples tfplugindocs shows for
// every resource that can be imported: the command and the import block.
func expectedImportExamples(root string) []string {
	ctx := context.Background()
	var want []string
	for _, r := range New("test")().Resources(ctx) {
		res := r()
		if _, ok := res.(resource.ResourceWithImportState); !ok {
			continue
		}
		var resp resource.MetadataResponse
		res.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "imm"}, &resp)
		dir := filepath.Join(root, "resources", resp.TypeName)
		want = append(want, filepath.Join(dir, "import.sh"), filepath.Join(dir, "import-by-string-id.tf"))
	}
	return want
}

// exampleFolders lists the folders under root that hold .tf or .tfquery.hcl
// files.
func exampleFolders(t *testing.T, root string) []string {
	t.Helper()
	seen := map[string]bool{}
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tfquery.hcl")) && !seen[filepath.Dir(p)] {
			seen[filepath.Dir(p)] = true
			dirs = append(dirs, filepath.Dir(p))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}
