package provider

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// Acceptance tests of default_tags and ignore_tags on imm_project: what
// CreateProject and UpdateProject carry, what each plan shows, and that no
// combination leaves a diff after apply.

// defaultTags is a provider default_tags block with these tags (HCL).
func defaultTags(tags string) string {
	return "default_tags {\n    tags = " + tags + "\n  }"
}

// ignoreTags is a provider ignore_tags block with these lines.
func ignoreTags(lines ...string) string {
	return "ignore_tags {\n    " + strings.Join(lines, "\n    ") + "\n  }"
}

// taggedProjectConfig is the provider block with the given extra lines and
// one imm_project "test" with the given argument lines.
func (e *testEnv) taggedProjectConfig(provider []string, name string, lines ...string) string {
	return e.providerConfig(provider...) + fmt.Sprintf(`
resource "imm_project" "test" {
  project_name = %q
  %s
}
`, name, strings.Join(lines, "\n  "))
}

// tagsValue is a state or plan check value: null for nil.
func tagsValue(m map[string]string) knownvalue.Check {
	if m == nil {
		return knownvalue.Null()
	}
	checks := map[string]knownvalue.Check{}
	for k, v := range m {
		checks[k] = knownvalue.StringExact(v)
	}
	return knownvalue.MapExact(checks)
}

// tagStep is one apply of a project's tags, after IMM's reads have caught
// up and the consistency window has passed, so that what the refresh reads
// decides the plan.
type tagStep struct {
	provider []string // default_tags and ignore_tags blocks
	tags     string   // the project's tags line, "" for none
	wantTags map[string]string
	wantAll  map[string]string
	// change is what the plan shows: "update" (of tags_all: one
	// UpdateProject), "tags" (of tags alone: no call) or "" (none).
	change string
	// sent is the Tag parameter of the step's one UpdateProject, or, on
	// the first step, of CreateProject.
	sent string
	// tagsKept: the plan must show tags as they were (only the defaults
	// changed); set by the test from the step before.
	tagsKept bool
}

func (e *testEnv) tagStep(name string, first bool, s tagStep) resource.TestStep {
	addr := tfjsonpath.New("tags_all")
	planChecks := []plancheck.PlanCheck{plancheck.ExpectKnownValue(projectAddr, addr, tagsValue(s.wantAll))}
	switch s.change {
	case "update":
		planChecks = append(planChecks, expectUnknownExactly(projectAddr, "update_time"))
		if s.tagsKept {
			planChecks = append(planChecks, expectUnchanged(projectAddr, "tags"))
		}
	case "tags":
		planChecks = append(planChecks, expectUnknownExactly(projectAddr))
	case "":
		if !first {
			planChecks = append(planChecks, plancheck.ExpectEmptyPlan())
		}
	}
	check := e.checkNoWrites()
	switch {
	case first:
		check = resource.ComposeTestCheckFunc(e.checkLog("CreateProject"), e.checkLastTriggerParam("CreateProject", "Tag", s.sent))
	case s.sent != "":
		check = resource.ComposeTestCheckFunc(e.checkOnlyUpdate("ProjectName", "Tag"), e.checkLastWriteTag(s.sent))
	}
	step := resource.TestStep{
		PreConfig: func() {
			e.advance(6 * time.Minute)
			e.emu.ClearRequests()
		},
		Config: e.taggedProjectConfig(s.provider, name, s.tags),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             planChecks,
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("tags"), tagsValue(s.wantTags)),
			statecheck.ExpectKnownValue(projectAddr, addr, tagsValue(s.wantAll)),
		},
		Check: resource.ComposeTestCheckFunc(check, e.checkProjectTags(name, s.wantAll)),
	}
	if first {
		step.PreConfig = e.emu.ClearRequests
	}
	return step
}

// checkProjectTags checks the tags IMM has committed for the project.
func (e *testEnv) checkProjectTags(name string, want map[string]string) resource.TestCheckFunc {
	return e.checkProjectInEmulator(name, func(p *imm.Project) error {
		if got := projectTagMap(p); !mapsEqual(got, want) {
			return fmt.Errorf("IMM holds tags %v, want %v", got, want)
		}
		return nil
	})
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestAccProject_defaultTagsInEveryCombinationLeaveNoDiff walks a project
// through every way its tags and the provider's default tags can meet: each
// change of the whole set is one UpdateProject carrying it, a change that
// leaves the set as it is makes no call, the plan shows tags_all known, and
// no apply leaves a diff.
func TestAccProject_defaultTagsInEveryCombinationLeaveNoDiff(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	name := "acc_default_tags"
	devMedia := defaultTags(`{ owner = "media", env = "dev" }`)
	prod := defaultTags(`{ env = "prod" }`)
	steps := []struct {
		what string
		tagStep
	}{
		{"created with default tags", tagStep{provider: []string{devMedia}, tags: `tags = { team = "photos" }`,
			wantTags: kv("team", "photos"), wantAll: kv("env", "dev", "owner", "media", "team", "photos"),
			sent: `[{"Key":"env","Value":"dev"},{"Key":"owner","Value":"media"},{"Key":"team","Value":"photos"}]`}},
		{"a default tag changed", tagStep{provider: []string{defaultTags(`{ owner = "media", env = "prod" }`)},
			tags: `tags = { team = "photos" }`, wantTags: kv("team", "photos"),
			wantAll: kv("env", "prod", "owner", "media", "team", "photos"), change: "update",
			sent: `[{"Key":"env","Value":"prod"},{"Key":"owner","Value":"media"},{"Key":"team","Value":"photos"}]`}},
		{"a default tag removed", tagStep{provider: []string{prod}, tags: `tags = { team = "photos" }`,
			wantTags: kv("team", "photos"), wantAll: kv("env", "prod", "team", "photos"), change: "update",
			sent: `[{"Key":"env","Value":"prod"},{"Key":"team","Value":"photos"}]`}},
		{"nothing changed", tagStep{provider: []string{prod}, tags: `tags = { team = "photos" }`,
			wantTags: kv("team", "photos"), wantAll: kv("env", "prod", "team", "photos")}},
		{"a key in both, another value: the resource's wins", tagStep{provider: []string{prod},
			tags: `tags = { team = "photos", env = "test" }`, wantTags: kv("team", "photos", "env", "test"),
			wantAll: kv("env", "test", "team", "photos"), change: "update",
			sent: `[{"Key":"env","Value":"test"},{"Key":"team","Value":"photos"}]`}},
		{"a key in both, the same value", tagStep{provider: []string{prod}, tags: `tags = { team = "photos", env = "prod" }`,
			wantTags: kv("team", "photos", "env", "prod"), wantAll: kv("env", "prod", "team", "photos"), change: "update",
			sent: `[{"Key":"env","Value":"prod"},{"Key":"team","Value":"photos"}]`}},
		{"the key left to the default, same value: tags change, the set does not", tagStep{provider: []string{prod},
			tags: `tags = { team = "photos" }`, wantTags: kv("team", "photos"), wantAll: kv("env", "prod", "team", "photos"),
			change: "tags"}},
		{"tags = {}", tagStep{provider: []string{prod}, tags: `tags = {}`, wantTags: map[string]string{},
			wantAll: kv("env", "prod"), change: "update", sent: `[{"Key":"env","Value":"prod"}]`}},
		{"tags left out", tagStep{provider: []string{prod}, wantAll: kv("env", "prod"), change: "tags"}},
		{"default_tags empty", tagStep{provider: []string{defaultTags(`{}`)}, wantAll: map[string]string{}, change: "update",
			sent: `[]`}},
		{"no default_tags block, tags of its own", tagStep{tags: `tags = { team = "photos" }`, wantTags: kv("team", "photos"),
			wantAll: kv("team", "photos"), change: "update", sent: `[{"Key":"team","Value":"photos"}]`}},
		{"a default tag added", tagStep{provider: []string{prod}, tags: `tags = { team = "photos" }`, wantTags: kv("team", "photos"),
			wantAll: kv("env", "prod", "team", "photos"), change: "update",
			sent: `[{"Key":"env","Value":"prod"},{"Key":"team","Value":"photos"}]`}},
	}
	var testSteps []resource.TestStep
	for i, s := range steps {
		s.tagsKept = i > 0 && s.tags == steps[i-1].tags
		step := env.tagStep(name, i == 0, s.tagStep)
		check := step.Check
		step.Check = func(st *terraform.State) error {
			if err := check(st); err != nil {
				return fmt.Errorf("%s: %w", s.what, err)
			}
			return nil
		}
		testSteps = append(testSteps, step)
	}
	// An import reads the tags IMM holds: env, with the default's value, is
	// the default's; team is the project's own.
	testSteps = append(testSteps, resource.TestStep{
		PreConfig:               func() { env.advance(6 * time.Minute) },
		ResourceName:            projectAddr,
		ImportState:             true,
		ImportStateId:           name,
		ImportStateVerify:       true,
		ImportStateVerifyIgnore: []string{"force_destroy"},
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkProjectGone(name),
		Steps:                    testSteps,
	})
}

// TestAccProject_aDefaultTagChangeShowsNoDiffInsideTheWindow changes a
// default tag, then refreshes while IMM's reads (lagging a fixed 20s) still
// show the old set: the consistency window keeps tags and tags_all as
// written.
func TestAccProject_aDefaultTagChangeShowsNoDiffInsideTheWindow(t *testing.T) {
	env := newTestEnv(t, emulator.Options{ReadLag: "fixed"})
	name := "acc_default_tags_window"
	changed := env.taggedProjectConfig([]string{defaultTags(`{ env = "prod" }`)}, name, `tags = { team = "photos" }`)
	steps := []resource.TestStep{
		{Config: env.taggedProjectConfig([]string{defaultTags(`{ env = "dev", owner = "media" }`)}, name, `tags = { team = "photos" }`)},
		// After the create's window: only the update's record protects.
		{PreConfig: func() { env.advance(6 * time.Minute) }, Config: changed},
	}
	stale := func() {
		env.advance(3 * time.Second)
		p, err := env.client.GetProject(context.Background(), imm.GetProjectRequest{ProjectName: name})
		if err != nil || projectTagMap(p)["env"] != "dev" {
			t.Errorf("IMM's read shows %+v (%v), want the old tags: the test does not exercise the window", p, err)
		}
	}
	for i := 0; i < 5; i++ {
		steps = append(steps,
			resource.TestStep{PreConfig: stale, RefreshState: true},
			resource.TestStep{Config: changed, PlanOnly: true},
		)
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
}

// TestAccProject_tagsAllIsUnknownAtPlanOnlyWhenTheTagsAre: tags that depend
// on another resource's result are known only at apply, and so is tags_all;
// after the apply there is no diff.
func TestAccProject_tagsAllIsUnknownAtPlanOnlyWhenTheTagsAre(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	name := "acc_tags_unknown"
	config := env.providerConfig(defaultTags(`{ env = "prod" }`)) + fmt.Sprintf(`
resource "terraform_data" "build" {
  input = "b42"
}

resource "imm_project" "test" {
  project_name = %q
  tags         = { build = terraform_data.build.output }
}
`, name)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectUnknownValue(projectAddr, tfjsonpath.New("tags_all"))},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("tags_all"), tagsValue(kv("build", "b42", "env", "prod"))),
			},
			Check: env.checkLastTriggerParam("CreateProject", "Tag", `[{"Key":"build","Value":"b42"},{"Key":"env","Value":"prod"}]`),
		}},
	})
}

// TestAccProject_ignoredTagsAreNeitherDriftNorRemoved: tags another tool
// sets on the project (a key ignore_tags names, and one under a prefix it
// names) show in no plan, and an update of the whole set keeps them as IMM
// holds them, read just before the update.
func TestAccProject_ignoredTagsAreNeitherDriftNorRemoved(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	name := "acc_ignore_tags"
	ignore := ignoreTags(`keys         = ["cost_center"]`, `key_prefixes = ["finops:"]`)
	config := func(owner string, lines ...string) string {
		return env.taggedProjectConfig([]string{defaultTags(fmt.Sprintf(`{ owner = %q }`, owner)), ignore}, name, lines...)
	}
	team := `tags = { team = "photos" }`
	byOthers := []imm.Tag{{Key: "cost_center", Value: "cc1"}, {Key: "finops:budget", Value: "10"}}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkProjectGone(name),
		Steps: []resource.TestStep{
			{Config: config("media", team)},
			{
				PreConfig: func() {
					env.advance(6 * time.Minute)
					env.updateOutside(imm.UpdateProjectRequest{ProjectName: name, Tag: append(byOthers,
						imm.Tag{Key: "owner", Value: "media"}, imm.Tag{Key: "team", Value: "photos"})})
					env.settle()
					env.emu.ClearRequests()
				},
				Config:           config("media", team),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(projectAddr, tfjsonpath.New("tags_all"), tagsValue(kv("owner", "media", "team", "photos"))),
				},
				Check: env.checkNoWrites(),
			},
			{
				PreConfig: env.emu.ClearRequests,
				Config:    config("video", team),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectKnownValue(projectAddr, tfjsonpath.New("tags_all"),
						tagsValue(kv("owner", "video", "team", "photos")))},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					env.checkOnlyUpdate("ProjectName", "Tag"),
					env.checkLastWriteTag(`[{"Key":"cost_center","Value":"cc1"},{"Key":"finops:budget","Value":"10"},`+
						`{"Key":"owner","Value":"video"},{"Key":"team","Value":"photos"}]`),
					env.checkReadJustBefore("UpdateProject", "GetProject"),
					env.checkProjectTags(name, kv("cost_center", "cc1", "finops:budget", "10", "owner", "video", "team", "photos")),
				),
			},
			{
				// An update of the project's own tag keeps them too.
				PreConfig: func() {
					env.advance(6 * time.Minute)
					env.emu.ClearRequests()
				},
				Config: config("video", `tags = { team = "films" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					env.checkOnlyUpdate("ProjectName", "Tag"),
					env.checkLastWriteTag(`[{"Key":"cost_center","Value":"cc1"},{"Key":"finops:budget","Value":"10"},`+
						`{"Key":"owner","Value":"video"},{"Key":"team","Value":"films"}]`),
					env.checkProjectTags(name, kv("cost_center", "cc1", "finops:budget", "10", "owner", "video", "team", "films")),
				),
			},
			{
				PreConfig:    func() { env.advance(6 * time.Minute) },
				RefreshState: true,
				Check:        checkTagsInState(projectAddr, kv("team", "films"), kv("owner", "video", "team", "films")),
			},
			{
				// An import shows neither ignored tag; owner, with the
				// default's value, is the default's.
				ResourceName:            projectAddr,
				ImportState:             true,
				ImportStateId:           name,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"force_destroy"},
			},
			{
				// The project may not set an ignored tag itself: refused at
				// plan, with no write.
				PreConfig:   env.emu.ClearRequests,
				Config:      config("video", `tags = { team = "films", cost_center = "mine" }`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Tag set and ignored.*tags\["cost_center"\]\s+is\s+named\s+by\s+the\s+provider's\s+ignore_tags.keys\s+\("cost_center"\)`),
			},
			{
				PreConfig: func() {
					if writes := env.requests(writeActions...); len(writes) > 0 {
						t.Errorf("a refused configuration wrote: %v", writes)
					}
				},
				Config:   config("video", `tags = { team = "films" }`),
				PlanOnly: true,
			},
		},
	})
}

// unchanged is a plan check: the planned change of addr leaves the
// attribute as it was.
type unchanged struct{ addr, name string }

func expectUnchanged(addr, name string) plancheck.PlanCheck { return unchanged{addr, name} }

func (c unchanged) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.addr {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		after, _ := rc.Change.After.(map[string]any)
		if !reflect.DeepEqual(before[c.name], after[c.name]) {
			resp.Error = fmt.Errorf("%s plans %s to change from %v to %v, want no change", c.addr, c.name, before[c.name], after[c.name])
		}
		return
	}
	resp.Error = fmt.Errorf("the plan has no change for %s", c.addr)
}

// checkReadJustBefore checks that the request just before the step's one
// write was a read.
func (e *testEnv) checkReadJustBefore(write, read string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		reqs := e.requests()
		i := slices.IndexFunc(reqs, func(r emulator.Request) bool { return r.Action == write })
		if i < 1 || reqs[i-1].Action != read {
			var got []string
			for _, r := range reqs {
				got = append(got, r.Action)
			}
			return fmt.Errorf("requests %v: want %s just before %s", got, read, write)
		}
		return nil
	}
}

// TestAccProvider_aDefaultTagThatIsAlsoIgnoredIsRefusedAtPlan: the provider
// block is refused before any request.
func TestAccProvider_aDefaultTagThatIsAlsoIgnoredIsRefusedAtPlan(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.taggedProjectConfig([]string{defaultTags(`{ "finops:owner" = "x", team = "a" }`),
				ignoreTags(`key_prefixes = ["finops:"]`)}, "acc_never_created"),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Default tag ignored.*default_tags.tags\["finops:owner"\]\s+is\s+also\s+named\s+by\s+ignore_tags.key_prefixes\s+\("finops:"\)`),
		}},
	})
	if reqs := env.requests(); len(reqs) != 0 {
		t.Errorf("a refused provider configuration sent %d requests", len(reqs))
	}
}

// TestAccProject_aChangedDefaultTagIsOneUpdatePerProjectCarryingItsWholeSet:
// three projects, each with tags of its own; a default tag changed is one
// UpdateProject per project, with nothing but its name and its whole set.
func TestAccProject_aChangedDefaultTagIsOneUpdatePerProjectCarryingItsWholeSet(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	config := func(defaults string) string {
		return env.providerConfig(defaultTags(defaults)) + `
resource "imm_project" "each" {
  count        = 3
  project_name = "acc_dt_${["a", "b", "c"][count.index]}"
  tags         = { team = ["a", "b", "c"][count.index] }
}
`
	}
	names := []string{"acc_dt_a", "acc_dt_b", "acc_dt_c"}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{Config: config(`{ env = "dev", owner = "media" }`)},
			{
				PreConfig: func() {
					env.advance(6 * time.Minute)
					env.emu.ClearRequests()
				},
				Config: config(`{ env = "prod", owner = "media" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					writes := env.requests(writeActions...)
					var got []string
					for _, w := range writes {
						if w.Action != "UpdateProject" || !slices.Equal(paramNames(w), []string{"ProjectName", "Tag"}) {
							return fmt.Errorf("write %s carried %v, want UpdateProject with ProjectName and Tag", w.Action, paramNames(w))
						}
						team := strings.TrimPrefix(w.Params["ProjectName"], "acc_dt_")
						want := `[{"Key":"env","Value":"prod"},{"Key":"owner","Value":"media"},{"Key":"team","Value":"` + team + `"}]`
						if w.Params["Tag"] != want {
							return fmt.Errorf("UpdateProject of %s carried Tag %s, want %s", w.Params["ProjectName"], w.Params["Tag"], want)
						}
						got = append(got, w.Params["ProjectName"])
					}
					if slices.Sort(got); !slices.Equal(got, names) {
						return fmt.Errorf("UpdateProject for %v, want one for each of %v", got, names)
					}
					return nil
				},
			},
		},
	})
}

// TestAccProvider_invalidTagBlocksAreRefusedAtPlanWithNoRequest: each
// mistake in default_tags, ignore_tags or a project's tags against them is
// an error at plan naming the attribute, and nothing reaches IMM. Lengths
// are characters: 128 two-byte characters are a valid key.
func TestAccProvider_invalidTagBlocksAreRefusedAtPlanWithNoRequest(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	twentyDefaults := make([]string, 0, 20)
	for i := range 20 {
		twentyDefaults = append(twentyDefaults, fmt.Sprintf("d%02d = \"x\"", i))
	}
	cases := []struct {
		provider []string
		tags     string
		wantErr  string // "" for a valid configuration
	}{
		{provider: []string{defaultTags(`{ "" = "x" }`)}, wantErr: `default_tags\[0\].tags.*character count must be between 1 and 128`},
		{provider: []string{defaultTags(fmt.Sprintf(`{ %q = "x" }`, strings.Repeat("é", 129)))},
			wantErr: `default_tags\[0\].tags.*character count must be between 1 and 128, got: 129`},
		{provider: []string{defaultTags(fmt.Sprintf(`{ %q = "x" }`, strings.Repeat("é", 128)))}},
		{provider: []string{defaultTags(fmt.Sprintf(`{ k = %q }`, strings.Repeat("é", 129)))},
			wantErr: `default_tags\[0\].tags\["k"\].*character count must be at most 128, got: 129`},
		{provider: []string{defaultTags(`{ "acs:owner" = "x" }`)}, wantErr: `default_tags\[0\].tags\["acs:owner"\] must not start with "aliyun" or "acs:"`},
		{provider: []string{defaultTags(`{ site = "https://example.com" }`)}, wantErr: `default_tags\[0\].tags\["site"\].*must not contain`},
		{provider: []string{defaultTags(`{ a = "1" }`), defaultTags(`{ b = "2" }`)}, wantErr: `default_tags.*at most 1`},
		{provider: []string{ignoreTags(`keys = ["a"]`), ignoreTags(`keys = ["b"]`)}, wantErr: `ignore_tags.*at most 1`},
		{provider: []string{ignoreTags(fmt.Sprintf(`keys = [%q]`, strings.Repeat("k", 129)))},
			wantErr: `ignore_tags\[0\].keys.*character count must be at most 128, got: 129`},
		{provider: []string{ignoreTags(fmt.Sprintf(`key_prefixes = [%q]`, strings.Repeat("é", 129)))},
			wantErr: `ignore_tags\[0\].key_prefixes.*character count must be at most 128, got: 129`},
		{provider: []string{defaultTags(`{ cost_center = "cc" }`), ignoreTags(`keys = ["cost_center"]`)},
			wantErr: `Default tag ignored.*default_tags.tags\["cost_center"\] is also named by ignore_tags.keys \("cost_center"\)`},
		{provider: []string{ignoreTags(`key_prefixes = ["finops:"]`)}, tags: `tags = { "finops:budget" = "10" }`,
			wantErr: `Tag set and ignored.*tags\["finops:budget"\] is named by the provider's ignore_tags.key_prefixes \("finops:"\)`},
		{provider: []string{defaultTags("{ " + strings.Join(twentyDefaults, ", ") + " }")}, tags: `tags = { team = "a" }`,
			wantErr: `Too many tags.*default_tags make 21 tags together \(a key in both counts once\); IMM allows at most 20`},
		// A tag of the project's that a default has too counts once.
		{provider: []string{defaultTags("{ " + strings.Join(twentyDefaults, ", ") + " }")}, tags: `tags = { d00 = "mine" }`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		step := resource.TestStep{
			Config:   env.taggedProjectConfig(c.provider, "acc_never_created", c.tags),
			PlanOnly: true,
		}
		if c.wantErr == "" {
			step.ExpectNonEmptyPlan = true
		} else {
			step.ExpectError = regexp.MustCompile(`(?s)` + strings.ReplaceAll(c.wantErr, " ", `\s+`))
		}
		steps = append(steps, step)
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
	if reqs := env.requests(); len(reqs) != 0 {
		t.Errorf("invalid configurations reached the API: %d requests, first %s", len(reqs), reqs[0].Action)
	}
}

// checkTagsInState checks tags and tags_all in state.
func checkTagsInState(addr string, own, all map[string]string) resource.TestCheckFunc {
	checks := []resource.TestCheckFunc{
		resource.TestCheckResourceAttr(addr, "tags.%", fmt.Sprint(len(own))),
		resource.TestCheckResourceAttr(addr, "tags_all.%", fmt.Sprint(len(all))),
	}
	for k, v := range own {
		checks = append(checks, resource.TestCheckResourceAttr(addr, "tags."+k, v))
	}
	for k, v := range all {
		checks = append(checks, resource.TestCheckResourceAttr(addr, "tags_all."+k, v))
	}
	return resource.ComposeTestCheckFunc(checks...)
}
