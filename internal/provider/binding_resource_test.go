package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tfresource "github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

func TestBindingModelMatchesSchema(t *testing.T) {
	checkModelMatchesSchema(t, resourceSchemaNames(t, NewBindingResource()), bindingModel{})
}

// familyPhotos are the objects of the bucket "family-photos": three
// people, each first seen alone (in URI order), then together.
var familyPhotos = emulator.OSSContents{Objects: []emulator.OSSObject{
	{URI: "oss://family-photos/2019/ann.jpg", Figures: []emulator.OSSFigure{{Person: "ann", Gender: "female", Age: 30}}},
	{URI: "oss://family-photos/2019/ben.jpg", Figures: []emulator.OSSFigure{{Person: "ben", Gender: "male", Age: 33}}},
	{URI: "oss://family-photos/2019/cat.jpg", Figures: []emulator.OSSFigure{{Person: "cat", Gender: "female", Age: 4}}},
	{URI: "oss://family-photos/2020/all.jpg", Figures: []emulator.OSSFigure{
		{Person: "ann", Gender: "female", Age: 31}, {Person: "ben", Gender: "male", Age: 34}, {Person: "cat", Gender: "female", Age: 5}}},
	{URI: "oss://family-photos/2020/garden.jpg"},
}}

// bindingEnv runs on the wall clock with a short scan and a short random
// lag: create waits for the scan, which needs time to pass.
func bindingEnv(t *testing.T, opts emulator.Options) *testEnv {
	t.Helper()
	opts.Clock = clock.Real{}
	if opts.PropagationDelay == 0 {
		opts.PropagationDelay = 500 * time.Millisecond
	}
	if opts.ScanDuration == 0 {
		opts.ScanDuration = time.Second
	}
	opts.TaskDuration = time.Second
	env := newTestEnv(t, opts)
	if err := env.emu.AddOSSObjects(familyPhotos); err != nil {
		t.Fatal(err)
	}
	return env
}

// bindingParents is a project and a dataset, both force_destroy.
func (e *testEnv) bindingParents(project, dataset string) string {
	return e.providerConfig(`consistency_window = "2s"`) + fmt.Sprintf(`
resource "imm_project" "p" {
  project_name  = %q
  force_destroy = true
}

resource "imm_dataset" "d" {
  project_name  = imm_project.p.project_name
  dataset_name  = %q
  force_destroy = true
}
`, project, dataset)
}

// bindingConfig is bindingParents and one imm_binding "test" of uri with the
// given extra lines.
func (e *testEnv) bindingConfig(project, dataset, uri string, lines ...string) string {
	return e.bindingParents(project, dataset) + fmt.Sprintf(`
resource "imm_binding" "test" {
  project_name = imm_dataset.d.project_name
  dataset_name = imm_dataset.d.dataset_name
  uri          = %q
  %s
}
`, uri, strings.Join(lines, "\n  "))
}

// wrapped is a pattern that matches text however Terraform wraps it: any
// white space stands for any run of white space.
func wrapped(pattern string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + strings.Join(strings.Fields(pattern), `\s+`))
}

const bindingAddr = "imm_binding.test"

func TestAccBinding_createWaitsForTheFullScanThenImports(t *testing.T) {
	env := bindingEnv(t, emulator.Options{})
	project, dataset := "acc_binding", "photos"
	config := env.bindingConfig(project, dataset, "oss://family-photos")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkProjectGone(project),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(bindingAddr, tfjsonpath.New("id"), knownvalue.StringExact(project+"/"+dataset+"/oss://family-photos")),
					// Saved only once the full scan was over.
					statecheck.ExpectKnownValue(bindingAddr, tfjsonpath.New("state"), knownvalue.StringExact("Running")),
					statecheck.ExpectKnownValue(bindingAddr, tfjsonpath.New("phase"), knownvalue.StringExact("IncrementalScanning")),
					statecheck.ExpectKnownValue(bindingAddr, tfjsonpath.New("reason"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(bindingAddr, tfjsonpath.New("create_time"), knownvalue.NotNull()),
				},
				Check: resource.ComposeTestCheckFunc(
					env.checkCodes("CreateBinding", ""),
					func(*terraform.State) error {
						if n := len(env.requests("GetBinding")); n < 2 {
							return fmt.Errorf("%d GetBinding reads: the create did not follow the scan", n)
						}
						return nil
					},
				),
			},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    config,
				Check:     env.checkNoWrites(),
			},
			{
				ResourceName:      bindingAddr,
				ImportState:       true,
				ImportStateId:     project + "/" + dataset + "/oss://family-photos",
				ImportStateVerify: true,
			},
		},
	})
}

func TestAccBinding_aBindingThatFailsIsAnErrorWithIMMsReasonAndIsDeleted(t *testing.T) {
	env := bindingEnv(t, emulator.Options{})
	project, dataset := "acc_binding_fails", "photos"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkProjectGone(project),
		Steps: []resource.TestStep{
			{
				Config: env.bindingConfig(project, dataset, "oss://no-such-bucket"),
				ExpectError: wrapped(`Error: creating IMM binding \(acc_binding_fails/photos/oss://no-such-bucket\).*` +
					`IMM reports the binding Failed: The OSS bucket no-such-bucket does not exist\. The provider deleted the failed binding`),
			},
			{
				// Not in state (nothing to plan without it), and not left in IMM.
				Config:           env.bindingParents(project, dataset),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeTestCheckFunc(
					env.checkCodes("DeleteBinding", ""),
					func(*terraform.State) error {
						if left, err := env.committedBindings(project); err != nil || len(left) != 0 {
							return fmt.Errorf("bindings left in IMM: %+v, %w", left, err)
						}
						return nil
					},
				),
			},
		},
	})
}

func TestAccBinding_aScanThatOutlastsTheCreateTimeoutIsSavedTainted(t *testing.T) {
	env := bindingEnv(t, emulator.Options{ScanDuration: time.Minute})
	project, dataset := "acc_binding_slow", "photos"
	config := env.bindingConfig(project, dataset, "oss://family-photos", `timeouts { create = "2s" }`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkProjectGone(project),
		Steps: []resource.TestStep{
			{
				Config: config,
				ExpectError: wrapped(`Error: waiting for the full scan of IMM binding.*had not finished when the create timeout passed.*` +
					`saved as tainted.*terraform untaint`),
			},
			{
				// IMM has it, state has it (tainted): the next apply replaces it.
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(bindingAddr, plancheck.ResourceActionReplace)},
				},
				Check: env.checkCodes("CreateBinding", ""),
			},
		},
	})
}

func TestAccBinding_aTimeoutsChangeWritesNothingAndPlansEveryValueKnown(t *testing.T) {
	env := bindingEnv(t, emulator.Options{})
	project, dataset := "acc_binding_timeouts", "photos"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkProjectGone(project),
		Steps: []resource.TestStep{
			{Config: env.bindingConfig(project, dataset, "oss://family-photos")},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    env.bindingConfig(project, dataset, "oss://family-photos", `timeouts { create = "20m" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{expectUnknownExactly(bindingAddr)},
				},
				Check: env.checkNoWrites(),
			},
		},
	})
}

func TestAccBinding_aCreateWhoseAnswerIsLostIsAdoptedNotLost(t *testing.T) {
	env := bindingEnv(t, emulator.Options{PropagationDelay: time.Second, ReadLag: emulator.ReadLagFixed,
		FaultRate: 1, FaultKinds: []string{emulator.FaultConnectionClosed}, FaultActions: []string{"CreateBinding"}, FaultLimit: 1})
	project, dataset := "acc_binding_lost", "photos"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkProjectGone(project),
		Steps: []resource.TestStep{{
			Config: env.bindingConfig(project, dataset, "oss://family-photos"),
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr(bindingAddr, "phase", "IncrementalScanning"),
				env.checkCodes("CreateBinding", emulator.FaultConnectionClosed, imm.CodeResourceAlreadyExists),
				func(*terraform.State) error {
					if all, err := env.committedBindings(project); err != nil || len(all) != 1 {
						return fmt.Errorf("IMM holds bindings %+v (%w), want exactly one", all, err)
					}
					return nil
				},
			),
		}},
	})
}

func TestAccBinding_invalidConfigurationsAndImportIDsFailBeforeAnyCall(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	var steps []resource.TestStep
	for _, c := range []struct{ uri, dataset, wantErr string }{
		{"oss://family-photos/2026/", "photos", `uri.*must be oss://<bucket> with no path`},
		{"oss://family-photos/", "photos", `uri.*must be oss://<bucket>`},
		{"family-photos", "photos", `uri.*must be oss://<bucket>`},
		{"s3://family-photos", "photos", `uri.*must be oss://<bucket>`},
		{"oss://Family-Photos", "photos", `uri.*lower-case letters`},
		{"oss://ab", "photos", `uri.*3-63 characters`},
		{"oss://-photos", "photos", `uri.*starting and ending with a letter or a digit`},
		{"oss://family-photos", "-photos", `dataset_name.*must start with a letter or an underscore`},
	} {
		steps = append(steps, resource.TestStep{
			Config:      env.bindingConfig("valid_project", c.dataset, c.uri),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)` + strings.ReplaceAll(c.wantErr, " ", `\s+`)),
		})
	}
	for _, id := range []string{"valid_project/photos", "valid_project/photos/oss://family-photos/2026",
		"valid_project/photos/family-photos", "9bad/photos/oss://family-photos", "valid_project//oss://family-photos"} {
		steps = append(steps, resource.TestStep{
			Config:        env.bindingConfig("valid_project", "photos", "oss://family-photos"),
			ResourceName:  bindingAddr,
			ImportState:   true,
			ImportStateId: id,
			ExpectError:   regexp.MustCompile(`(?s)Invalid import ID.*project_name/dataset_name/uri`),
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
	if reqs := env.requests(); len(reqs) != 0 {
		t.Errorf("invalid input reached the API: %d requests, first %s", len(reqs), reqs[0].Action)
	}
}

// TestEveryBindingAndAttachmentArgumentForcesReplacement: IMM has no update
// for either, so no argument may be planned as an in-place change.
func TestEveryBindingAndAttachmentArgumentForcesReplacement(t *testing.T) {
	for _, r := range []tfresource.Resource{NewBindingResource(), NewOSSBucketAttachmentResource()} {
		var resp tfresource.SchemaResponse
		r.Schema(context.Background(), tfresource.SchemaRequest{}, &resp)
		for name, a := range resp.Schema.Attributes {
			if !a.IsRequired() && !a.IsOptional() {
				continue
			}
			s, ok := a.(rschema.StringAttribute)
			if !ok {
				t.Errorf("%T %s is not a string argument", r, name)
				continue
			}
			replaces := false
			for _, m := range s.PlanModifiers {
				replaces = replaces || strings.Contains(m.Description(context.Background()), "destroy and recreate")
			}
			if !replaces {
				t.Errorf("%T %s does not force replacement", r, name)
			}
		}
	}
}

// committedBinding is a binding IMM has committed, as the emulator's
// snapshot holds it.
type committedBinding struct {
	ProjectName, DatasetName, URI, State, Phase string
}

// committedAttachment is an OSS bucket attachment IMM has committed.
type committedAttachment struct {
	OSSBucket, ProjectName, Description string
}

// committedLinks reads the bindings and attachments IMM has committed:
// checks read the truth without moving the test's clock.
func (e *testEnv) committedLinks() (bindings []committedBinding, attachments []committedAttachment, err error) {
	var s struct {
		Bindings    []committedBinding
		Attachments []committedAttachment
	}
	raw, err := e.emu.State()
	if err == nil {
		err = json.Unmarshal(raw, &s)
	}
	return s.Bindings, s.Attachments, err
}

// committedBindings are the project's bindings IMM has committed.
func (e *testEnv) committedBindings(project string) ([]committedBinding, error) {
	all, _, err := e.committedLinks()
	var out []committedBinding
	for _, b := range all {
		if b.ProjectName == project {
			out = append(out, b)
		}
	}
	return out, err
}
