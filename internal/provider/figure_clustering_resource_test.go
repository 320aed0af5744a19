package provider

import (
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

func TestAccFigureClustering_aFailedTaskIsAnErrorWithItsCodeAndMessage(t *testing.T) {
	env := realClockEnv(t, emulator.Options{})
	project, dataset := "acc_clustering_fails", "faces"
	env.seedPeople(project, dataset)
	// As soon as the task starts, its dataset goes: the task then fails.
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
			if len(env.requests("CreateFigureClusteringTask")) > 0 {
				_ = env.client.DeleteDataset(t.Context(), project, dataset)
				return
			}
		}
	}()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{
			{
				Config:      env.clusteringConfig(project, dataset),
				ExpectError: regexp.MustCompile(`(?s)Error: clustering IMM dataset \(acc_clustering_fails/faces\).*The clustering task\s+FaceClustering-\S+\s+failed.*Code:\s+ResourceNotFound.*Message:`),
			},
		},
	})
}
