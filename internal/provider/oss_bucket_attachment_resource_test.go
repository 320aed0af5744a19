package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

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

func TestOSSBucketAttachmentModelMatchesSchema(t *testing.T) {
	checkModelMatchesSchema(t, resourceSchemaNames(t, NewOSSBucketAttachmentResource()), ossBucketAttachmentModel{})
}

// attachmentConfig is two projects, "<prefix>_a" and "<prefix>_b", and one
// imm_oss_bucket_attachment "test" with the given argument lines.
func (e *testEnv) attachmentConfig(prefix string, lines ...string) string {
	return e.providerConfig() + fmt.Sprintf(`
resource "imm_project" "a" {
  project_name = "%[1]s_a"
}

resource "imm_project" "b" {
  project_name = "%[1]s_b"
}

resource "imm_oss_bucket_attachment" "test" {
  %[2]s
}
`, prefix, strings.Join(lines, "\n  "))
}

const attachmentAddr = "imm_oss_bucket_attachment.test"

// attachmentEnv runs on the wall clock with a short random lag: an attach
// is read back until a read shows it, which needs time to pass.
func attachmentEnv(t *testing.T) *testEnv {
	return newTestEnv(t, emulator.Options{Clock: clock.Real{}, PropagationDelay: 500 * time.Millisecond})
}

func TestAccOSSBucketAttachment_everyArgumentThenImport(t *testing.T) {
	env := attachmentEnv(t)
	config := env.attachmentConfig("acc_attach", `oss_bucket = "family-photos"`, `project_name = imm_project.a.project_name`,
		`description = "x-oss-process for the family archive"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkAttachmentGone("family-photos"),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(attachmentAddr, tfjsonpath.New("id"), knownvalue.StringExact("family-photos")),
					statecheck.ExpectKnownValue(attachmentAddr, tfjsonpath.New("create_time"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(attachmentAddr, tfjsonpath.New("update_time"), knownvalue.NotNull()),
				},
				Check: resource.ComposeTestCheckFunc(
					env.checkCodes("AttachOSSBucket", ""),
					env.checkAttachmentInEmulator("family-photos", "acc_attach_a", "x-oss-process for the family archive"),
				),
			},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    config,
				Check:     env.checkNoWrites(),
			},
			{
				ResourceName:      attachmentAddr,
				ImportState:       true,
				ImportStateId:     "family-photos",
				ImportStateVerify: true,
			},
		},
	})
}

// Every argument forces replacement: IMM has no update, so a change is a
// detach then an attach, and the plan says so.
func TestAccOSSBucketAttachment_aChangeDetachesThenAttachesAgain(t *testing.T) {
	env := attachmentEnv(t)
	config := func(lines ...string) string {
		return env.attachmentConfig("acc_reattach", append([]string{`oss_bucket = "family-photos"`}, lines...)...)
	}
	replaced := func(want map[string]string) []resource.TestCheckFunc {
		return []resource.TestCheckFunc{
			func(*terraform.State) error {
				writes := env.requests(writeActions...)
				if len(writes) != 2 || writes[0].Action != "DetachOSSBucket" || writes[1].Action != "AttachOSSBucket" {
					return fmt.Errorf("writes = %v, want DetachOSSBucket then AttachOSSBucket", writes)
				}
				attach := writes[1]
				if fmt.Sprint(attach.Params) != fmt.Sprint(want) {
					return fmt.Errorf("AttachOSSBucket sent %v, want %v", attach.Params, want)
				}
				return nil
			},
		}
	}
	replace := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(attachmentAddr, plancheck.ResourceActionDestroyBeforeCreate)}}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkAttachmentGone("family-photos"),
		Steps: []resource.TestStep{
			{Config: config(`project_name = imm_project.a.project_name`, `description = "first"`)},
			{
				PreConfig:        env.emu.ClearRequests,
				Config:           config(`project_name = imm_project.a.project_name`, `description = "second"`),
				ConfigPlanChecks: replace,
				Check: resource.ComposeTestCheckFunc(append(replaced(map[string]string{
					"ProjectName": "acc_reattach_a", "OSSBucket": "family-photos", "Description": "second"}),
					env.checkAttachmentInEmulator("family-photos", "acc_reattach_a", "second"))...),
			},
			{
				PreConfig:        env.emu.ClearRequests,
				Config:           config(`project_name = imm_project.b.project_name`),
				ConfigPlanChecks: replace,
				Check: resource.ComposeTestCheckFunc(append(replaced(map[string]string{
					"ProjectName": "acc_reattach_b", "OSSBucket": "family-photos"}),
					resource.TestCheckNoResourceAttr(attachmentAddr, "description"),
					env.checkAttachmentInEmulator("family-photos", "acc_reattach_b", ""))...),
			},
		},
	})
}

func TestAccOSSBucketAttachment_aCreateWhoseAnswerIsLostIsAdoptedNotLost(t *testing.T) {
	env := lostAnswerEnv(t, "AttachOSSBucket")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkAttachmentGone("family-photos"),
		Steps: []resource.TestStep{{
			Config: env.attachmentConfig("acc_attach_lost", `oss_bucket = "family-photos"`,
				`project_name = imm_project.a.project_name`, `description = "attached once"`),
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr(attachmentAddr, "description", "attached once"),
				resource.TestCheckResourceAttrSet(attachmentAddr, "create_time"),
				env.checkCodes("AttachOSSBucket", emulator.FaultConnectionClosed, imm.CodeResourceAlreadyExists),
			),
		}},
	})
}

func TestAccOSSBucketAttachment_invalidConfigurationsAndImportIDsFailBeforeAnyCall(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	var steps []resource.TestStep
	for _, c := range []struct {
		lines   []string
		wantErr string
	}{
		{[]string{`oss_bucket = "Family-Photos"`}, `oss_bucket.*must be an OSS bucket name`},
		{[]string{`oss_bucket = "oss://family-photos"`}, `oss_bucket.*must be an OSS bucket name`},
		{[]string{`oss_bucket = "ab"`}, `oss_bucket.*3-63 characters`},
		{[]string{`oss_bucket = "family_photos"`}, `oss_bucket.*lower-case letters, digits and hyphens`},
		{[]string{`oss_bucket = "family-photos"`, `description = ""`}, `description.*character count must be between 1 and 128`},
		{[]string{`oss_bucket = "family-photos"`, `description = "` + strings.Repeat("图", 129) + `"`}, `description.*between 1 and 128, got: 129`},
	} {
		steps = append(steps, resource.TestStep{
			Config:      env.attachmentConfig("valid", append(c.lines, `project_name = imm_project.a.project_name`)...),
			PlanOnly:    true,
			ExpectError: wrapped(c.wantErr),
		})
	}
	for _, id := range []string{"Family-Photos", "valid_a/family-photos", "oss://family-photos"} {
		steps = append(steps, resource.TestStep{
			Config:        env.attachmentConfig("valid", `oss_bucket = "family-photos"`, `project_name = imm_project.a.project_name`),
			ResourceName:  attachmentAddr,
			ImportState:   true,
			ImportStateId: id,
			ExpectError:   wrapped(`Invalid import ID.*by oss_bucket`),
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
	if reqs := env.requests(); len(reqs) != 0 {
		t.Errorf("invalid input reached the API: %d requests, first %s", len(reqs), reqs[0].Action)
	}
}

// Somebody else's attachment of the bucket is never taken over: the create
// fails, saying how to import it.
func TestAccOSSBucketAttachment_aBucketAttachedElsewhereIsRefusedWithImportAdvice(t *testing.T) {
	env := newTestEnv(t, emulator.Options{Clock: clock.Real{}, PropagationDelay: time.Millisecond})
	ctx := context.Background()
	if _, err := env.client.CreateProject(ctx, imm.CreateProjectRequest{ProjectName: "acc_theirs_attach"}); err != nil {
		t.Fatal(err)
	}
	if err := env.client.AttachOSSBucket(ctx, imm.AttachOSSBucketRequest{ProjectName: "acc_theirs_attach", OSSBucket: "family-photos"}); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.attachmentConfig("acc_mine_attach", `oss_bucket = "family-photos"`, `project_name = imm_project.a.project_name`),
			ExpectError: wrapped(`creating IMM OSS bucket attachment \(family-photos\).*ResourceAlreadyExists.*` +
				`attached to at most one project.*terraform import imm_oss_bucket_attachment.<name> family-photos`),
		}},
	})
}

func (e *testEnv) checkAttachmentInEmulator(bucket, project, description string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		a, err := e.committedAttachment(bucket)
		if err == nil && a == nil {
			err = fmt.Errorf("IMM holds no attachment of %s", bucket)
		}
		if err != nil {
			return err
		}
		if a.ProjectName != project || a.Description != description {
			return fmt.Errorf("IMM has %+v, want project %s and description %q", *a, project, description)
		}
		return nil
	}
}

func (e *testEnv) checkAttachmentGone(bucket string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		a, err := e.committedAttachment(bucket)
		if err == nil && a != nil {
			err = fmt.Errorf("bucket %s is still attached after destroy: %+v", bucket, *a)
		}
		return err
	}
}

// committedAttachment is the bucket's attachment IMM has committed, or nil.
func (e *testEnv) committedAttachment(bucket string) (*committedAttachment, error) {
	_, all, err := e.committedLinks()
	for i := range all {
		if all[i].OSSBucket == bucket {
			return &all[i], err
		}
	}
	return nil, err
}
