package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/emulator"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// Every way an answer to a create goes missing, for projects and datasets:
// the connection closed after IMM committed the create (then the client's
// retry meets ResourceAlreadyExists, or with max_retries = 0, nothing), the
// create timeout passing while IMM takes its time, and Ctrl-C. In each,
// what IMM holds and what state holds end up the same.

// lostAnswerEnv is an emulator on the real clock with a short fixed lag,
// whose first answer to action is lost after IMM committed the write.
func lostAnswerEnv(t *testing.T, action string) *testEnv {
	return newTestEnv(t, emulator.Options{Clock: clock.Real{}, PropagationDelay: time.Second, ReadLag: emulator.ReadLagFixed,
		FaultRate: 1, FaultKinds: []string{emulator.FaultConnectionClosed}, FaultActions: []string{action}, FaultLimit: 1})
}

func TestAccProject_aCreateWhoseAnswerIsLostIsAdoptedNotLost(t *testing.T) {
	env := lostAnswerEnv(t, "CreateProject")
	name := "acc_lost_answer"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkProjectGone(name),
		Steps: []resource.TestStep{{
			Config: env.projectConfig(name, `description = "created once"`),
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr(projectAddr, "description", "created once"),
				env.checkCodes("CreateProject", emulator.FaultConnectionClosed, imm.CodeResourceAlreadyExists),
				env.checkIMMHolds([]string{name}, "", nil),
			),
		}},
	})
}

func TestAccDataset_aCreateWhoseAnswerIsLostIsAdoptedNotLost(t *testing.T) {
	env := lostAnswerEnv(t, "CreateDataset")
	project, dataset := "acc_lost_dataset", "faces"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkProjectGone(project),
		Steps: []resource.TestStep{{
			Config: env.datasetConfig(project, dataset, `description = "created once"`),
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr(datasetAddr, "description", "created once"),
				resource.TestCheckResourceAttrSet(datasetAddr, "create_time"),
				env.checkCodes("CreateDataset", emulator.FaultConnectionClosed, imm.CodeResourceAlreadyExists),
				env.checkIMMHolds([]string{project}, project, []string{dataset}),
			),
		}},
	})
}

// Somebody else's object of the same name is never taken: here a retry
// after a 503 meets a dataset that differs from what the provider sent, or a
// project made before the provider's first attempt.
func TestAccDataset_somebodyElsesDatasetIsNotAdoptedAfterALostAnswer(t *testing.T) {
	env := newTestEnv(t, emulator.Options{Clock: clock.Real{}, PropagationDelay: time.Second, ReadLag: emulator.ReadLagFixed})
	project, dataset := "acc_theirs", "faces"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{Config: env.projectConfig(project, "force_destroy = true")},
			{
				PreConfig: func() {
					_, err := env.client.CreateDataset(context.Background(), imm.CreateDatasetRequest{
						ProjectName: project, DatasetName: dataset, Description: ptr("somebody else's")})
					if err != nil {
						t.Fatal(err)
					}
					env.loseNextAnswer("CreateDataset", emulator.FaultServiceUnavailable)
				},
				Config: env.projectConfig(project, "force_destroy = true") + fmt.Sprintf(`
resource "imm_dataset" "test" {
  project_name = imm_project.test.project_name
  dataset_name = %q
  description  = "mine"
}
`, dataset),
				ExpectError: regexp.MustCompile(`(?s)creating IMM dataset \(acc_theirs/faces\).*ResourceAlreadyExists.*terraform import imm_dataset`),
			},
			{
				// Not adopted: the dataset is not in state and keeps its description.
				Config: env.projectConfig(project, "force_destroy = true"),
				Check: resource.ComposeTestCheckFunc(
					// Theirs, then the provider's create: a 503, then a retry.
					env.checkCodes("CreateDataset", "", emulator.FaultServiceUnavailable, imm.CodeResourceAlreadyExists),
					func(*terraform.State) error {
						time.Sleep(time.Second) // the emulator's lag
						d, err := env.client.GetDataset(context.Background(), imm.GetDatasetRequest{ProjectName: project, DatasetName: dataset})
						if err != nil || d.Description != "somebody else's" {
							return fmt.Errorf("their dataset: %+v, %w", d, err)
						}
						return nil
					},
					func(s *terraform.State) error {
						if _, ok := s.RootModule().Resources[datasetAddr]; ok {
							return fmt.Errorf("somebody else's dataset is in the state")
						}
						return nil
					},
				),
			},
		},
	})
}

func TestAccProject_aProjectMadeBeforeTheFirstAttemptIsNotAdopted(t *testing.T) {
	env := newTestEnv(t, emulator.Options{})
	name := "acc_theirs_before"
	// Theirs has exactly the arguments the configuration sends, but IMM
	// dates it an hour before the provider tried.
	if _, err := env.client.CreateProject(context.Background(), imm.CreateProjectRequest{ProjectName: name, Description: ptr("same")}); err != nil {
		t.Fatal(err)
	}
	env.advance(time.Hour)
	env.loseNextAnswer("CreateProject", emulator.FaultServiceUnavailable)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.projectConfig(name, `description = "same"`),
			ExpectError: regexp.MustCompile(`(?s)creating IMM project \(acc_theirs_before\).*ResourceAlreadyExists.*terraform import imm_project`),
		}, {
			Config: env.providerConfig(),
			Check:  env.checkCodes("CreateProject", "", emulator.FaultServiceUnavailable, imm.CodeResourceAlreadyExists),
		}},
	})
}

// A create that outlives its timeout: IMM commits at once and answers after
// 4s; the create timeout is 2s. The call runs to its end, so the object is
// in state and the next plan is empty.
func TestAccProjectAndDataset_aCreateThatOutlivesItsTimeoutIsSaved(t *testing.T) {
	env := newTestEnv(t, emulator.Options{Clock: clock.Real{}, PropagationDelay: time.Millisecond,
		Latency: 4 * time.Second, LatencyActions: []string{"CreateProject", "CreateDataset"}})
	project, dataset := "acc_slow_create", "faces"
	config := env.providerConfig() + fmt.Sprintf(`
resource "imm_project" "p" {
  project_name = %q
  timeouts { create = "2s" }
}
resource "imm_dataset" "test" {
  project_name = imm_project.p.project_name
  dataset_name = %q
  timeouts { create = "2s" }
}
`, project, dataset)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.checkProjectGone(project),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrSet("imm_project.p", "create_time"),
					resource.TestCheckResourceAttrSet(datasetAddr, "create_time"),
					env.checkCodes("CreateProject", ""),
					env.checkCodes("CreateDataset", ""),
					env.checkIMMHolds([]string{project}, project, []string{dataset}),
				),
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// With max_retries = 0 a lost answer is the create's only answer: IMM may
// or may not have committed it. The object is kept as tainted, and the next
// apply deletes it and creates it again: no orphan, no duplicate.
func TestAccProjectAndDataset_aCreateWithNoAnswerIsTaintedThenReplaced(t *testing.T) {
	for _, action := range []string{"CreateProject", "CreateDataset"} {
		t.Run(action, func(t *testing.T) {
			env := lostAnswerEnv(t, action)
			project, dataset := "acc_no_answer", "faces"
			config := env.providerConfig("max_retries = 0") + fmt.Sprintf(`
resource "imm_project" "p" {
  project_name = %q
}
resource "imm_dataset" "test" {
  project_name = imm_project.p.project_name
  dataset_name = %q
}
`, project, dataset)
			addr, kind, id := "imm_project.p", "project", project
			deleteAction := "DeleteProject"
			if action == "CreateDataset" {
				addr, kind, id, deleteAction = datasetAddr, "dataset", project+"/"+dataset, "DeleteDataset"
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				CheckDestroy:             env.checkProjectGone(project),
				Steps: []resource.TestStep{
					{
						Config:      config,
						ExpectError: regexp.MustCompile(fmt.Sprintf(`(?s)creating IMM %s \(%s\).*tainted:\s+the\s+next`, kind, regexp.QuoteMeta(id))),
					},
					{
						Config: config,
						Check: resource.ComposeTestCheckFunc(
							resource.TestCheckResourceAttrSet(addr, "create_time"),
							env.checkCodes(action, emulator.FaultConnectionClosed, ""),
							env.checkCodes(deleteAction, ""),
							env.checkIMMHolds([]string{project}, project, []string{dataset}),
						),
					},
				},
			})
		})
	}
}

// TestAccProjects_anApplyInterruptedByCtrlCLosesNoProject sends SIGINT, as
// Ctrl-C does, to an apply of 40 projects while creates are on their way
// (IMM commits each at once and answers 1s later). Whatever IMM committed is
// in state, and the next apply finishes the rest.
func TestAccProjects_anApplyInterruptedByCtrlCLosesNoProject(t *testing.T) {
	t.Parallel()
	const n, parallelism = 40, 10
	env := newTestEnv(t, emulator.Options{Clock: clock.Real{}, PropagationDelay: time.Millisecond,
		Latency: time.Second, LatencyActions: []string{"CreateProject"}})
	tf := newTerraformCLI(t)
	var config strings.Builder
	config.WriteString(env.providerConfig())
	for i := 0; i < n; i++ {
		fmt.Fprintf(&config, "resource \"imm_project\" \"p%02d\" {\n  project_name = \"acc_ctrl_c_%02d\"\n}\n", i, i)
	}
	tf.write("main.tf", config.String())

	apply := tf.start("apply", "-auto-approve", fmt.Sprintf("-parallelism=%d", parallelism))
	// Interrupt while creates are in flight: IMM has committed more
	// projects than it has answered for, and at least one batch of
	// `parallelism` creates is still to start, whatever this machine's speed
	// (the emulator logs a request when it answers, 1s after committing).
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no create in flight within a minute:\n%s", apply.output())
		}
		s, err := env.committed()
		if err != nil {
			t.Fatal(err)
		}
		if answered := len(env.requests("CreateProject")); len(s.Projects) > answered {
			break
		}
	}
	apply.interrupt()
	out, code := apply.wait()
	if code == 0 {
		t.Fatalf("the interrupted apply exited 0; the test did not interrupt it:\n%s", out)
	}
	inState := tf.stateList()
	inIMM := env.projectNames()
	t.Logf("after Ctrl-C: %d projects in state, %d in IMM", len(inState), len(inIMM))
	if len(inIMM) == n {
		t.Fatalf("every project was created before the interrupt; the test did not interrupt an apply in flight")
	}
	if len(inState) != len(inIMM) {
		t.Errorf("after Ctrl-C, state holds %d projects and IMM %d: IMM holds some that state does not", len(inState), len(inIMM))
	}

	tf.mustRun("apply", "-auto-approve", "-parallelism=10")
	if got, inIMM := len(tf.stateList()), len(env.projectNames()); got != n || inIMM != n {
		t.Errorf("after the second apply: %d projects in state, %d in IMM; want %d and %d", got, inIMM, n, n)
	}
	tf.mustRun("destroy", "-auto-approve", "-parallelism=10")
}

// TestAccProjectsAndDatasets_aFaultStormConvergesWithinThreeApplies runs
// projects with a dataset each against an emulator that faults one request
// in five (every kind: 500, 503, a connection closed after commit, a
// response held) and lags reads by up to 5s. Within three applies state
// holds what IMM holds; destroy, faults still on, leaves nothing.
// FAULT_STORM_N sets how many (default 6).
func TestAccProjectsAndDatasets_aFaultStormConvergesWithinThreeApplies(t *testing.T) {
	t.Parallel()
	n := 6
	if v := os.Getenv("FAULT_STORM_N"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			t.Fatal(err)
		}
	}
	env := newTestEnv(t, emulator.Options{Clock: clock.Real{}, PropagationDelay: 5 * time.Second,
		FaultRate: 0.2, FaultHold: 2 * time.Second})
	tf := newTerraformCLI(t)
	var config strings.Builder
	config.WriteString(env.providerConfig())
	for i := 0; i < n; i++ {
		fmt.Fprintf(&config, `
resource "imm_project" "p%[1]d" {
  project_name  = "acc_storm_%[1]d"
  force_destroy = true
}
resource "imm_dataset" "d%[1]d" {
  project_name = imm_project.p%[1]d.project_name
  dataset_name = "faces"
}
`, i)
	}
	tf.write("main.tf", config.String())

	runs := 0
	for ; runs < 3; runs++ {
		if _, code := tf.run("apply", "-auto-approve", "-parallelism=10"); code == 0 {
			break
		}
	}
	runs++
	if runs > 3 {
		t.Fatalf("three applies did not converge")
	}
	time.Sleep(5 * time.Second) // IMM's reads catch up
	ctx := context.Background()
	state := tf.stateList()
	var inIMM []string
	for _, p := range env.projectNamesWhenSettled(ctx) {
		inIMM = append(inIMM, "project "+p)
		ds, err := env.client.ListAllDatasets(ctx, imm.ListDatasetsRequest{ProjectName: p})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			inIMM = append(inIMM, "dataset "+p+"/"+d.DatasetName)
		}
	}
	faults := 0
	for _, r := range env.requests() {
		if r.Status >= 500 || r.Status == 0 {
			faults++
		}
	}
	t.Logf("N=%d: %d apply runs; %d requests, %d faults injected; state %d resources, IMM %d objects",
		n, runs, len(env.requests()), faults, len(state), len(inIMM))
	if len(state) != 2*n || len(inIMM) != 2*n {
		t.Errorf("state holds %d resources and IMM %d objects, want %d each (no orphan, no duplicate):\nstate: %v\nIMM: %v",
			len(state), len(inIMM), 2*n, state, inIMM)
	}

	for runs = 1; runs <= 3; runs++ {
		if _, code := tf.run("destroy", "-auto-approve", "-parallelism=10"); code == 0 {
			break
		}
	}
	time.Sleep(5 * time.Second)
	if left := env.projectNamesWhenSettled(ctx); len(left) != 0 {
		t.Errorf("after destroy (%d runs), IMM still holds %v", runs, left)
	}
	t.Logf("destroy: %d runs", runs)
}
