package imm

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// observe reduces a read's outcome to a string: the value read, or the
// ResourceNotFound message. Any other error fails the test.
func observe(t *testing.T, value string, err error) string {
	t.Helper()
	if err == nil {
		return value
	}
	var e *Error
	if IsNotFound(err) && errors.As(err, &e) {
		return "ResourceNotFound: " + e.Message
	}
	t.Fatalf("read: %v", err)
	return ""
}

// TestEmulatorClientSurfacesTheFixedReadLag shows that the client reports
// IMM's eventual consistency as the emulator defines it (ReadLag "fixed":
// every read sees the state of PropagationDelay ago, on the shared fake
// clock), without retrying or hiding it: a read right after a write is
// stale, one just short of the delay still is, one at the delay is not.
func TestEmulatorClientSurfacesTheFixedReadLag(t *testing.T) {
	const delay = 5 * time.Minute
	type client = *Client
	tests := []struct {
		name    string
		prepare func(ctx context.Context, c client) // writes made visible before the write under test
		// write returns what read needs to find the resource, if anything.
		write  func(ctx context.Context, c client) (string, error)
		read   func(ctx context.Context, c client, handle string) (string, error)
		before string
		after  string
	}{
		{
			name: "GetProject after CreateProject",
			write: func(ctx context.Context, c client) (string, error) {
				_, err := c.CreateProject(ctx, CreateProjectRequest{ProjectName: "p"})
				return "", err
			},
			read: func(ctx context.Context, c client, handle string) (string, error) {
				p, err := c.GetProject(ctx, GetProjectRequest{ProjectName: "p"})
				if err != nil {
					return "", err
				}
				return p.CreateTime, nil
			},
			before: "ResourceNotFound: The specified resource project is not found.",
			after:  serviceTime(emuStart),
		},
		{
			name: "ListAllProjects after CreateProject",
			write: func(ctx context.Context, c client) (string, error) {
				_, err := c.CreateProject(ctx, CreateProjectRequest{ProjectName: "p"})
				return "", err
			},
			read: func(ctx context.Context, c client, handle string) (string, error) {
				all, err := c.ListAllProjects(ctx, ListProjectsRequest{})
				names := ""
				for _, p := range all {
					names += p.ProjectName + ";"
				}
				return names, err
			},
			before: "",
			after:  "p;",
		},
		{
			// Writes validate against the committed state, so the dataset
			// can be created in a project no read sees yet; its read then
			// names the parent that is missing from the snapshot.
			name: "GetDataset after CreateProject and CreateDataset",
			write: func(ctx context.Context, c client) (string, error) {
				if _, err := c.CreateProject(ctx, CreateProjectRequest{ProjectName: "p"}); err != nil {
					return "", err
				}
				_, err := c.CreateDataset(ctx, CreateDatasetRequest{ProjectName: "p", DatasetName: "d"})
				return "", err
			},
			read: func(ctx context.Context, c client, handle string) (string, error) {
				d, err := c.GetDataset(ctx, GetDatasetRequest{ProjectName: "p", DatasetName: "d"})
				if err != nil {
					return "", err
				}
				return d.ProjectName + "/" + d.DatasetName, nil
			},
			before: "ResourceNotFound: The specified resource project is not found.",
			after:  "p/d",
		},
		{
			name:    "GetDataset after UpdateDataset",
			prepare: func(ctx context.Context, c client) { seedProject(t, c, "p"); seedDataset(t, c, "d") },
			write: func(ctx context.Context, c client) (string, error) {
				_, err := c.UpdateDataset(ctx, UpdateDatasetRequest{ProjectName: "p", DatasetName: "d", Description: ptr("new")})
				return "", err
			},
			read: func(ctx context.Context, c client, handle string) (string, error) {
				d, err := c.GetDataset(ctx, GetDatasetRequest{ProjectName: "p", DatasetName: "d"})
				if err != nil {
					return "", err
				}
				return "description " + d.Description, nil
			},
			before: "description ",
			after:  "description new",
		},
		{
			name:    "GetTask after CreateFigureClusteringTask",
			prepare: func(ctx context.Context, c client) { seedProject(t, c, "p"); seedDataset(t, c, "d") },
			write: func(ctx context.Context, c client) (string, error) {
				started, err := c.CreateFigureClusteringTask(ctx, CreateFigureClusteringTaskRequest{ProjectName: "p", DatasetName: "d"})
				if err != nil {
					return "", err
				}
				return started.TaskId, nil
			},
			read: func(ctx context.Context, c client, handle string) (string, error) {
				task, err := c.GetTask(ctx, GetTaskRequest{ProjectName: "p", TaskId: handle, TaskType: TaskTypeFaceClustering})
				if err != nil {
					return "", err
				}
				return task.Status, nil
			},
			before: "ResourceNotFound: The specified resource task is not found.",
			after:  TaskRunning,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := startEmulator(t, emulator.Options{
				PropagationDelay: delay,
				ReadLag:          emulator.ReadLagFixed,
				// Long enough that the task is still running when its
				// creation becomes visible.
				TaskDuration: time.Hour,
			})
			c := env.client(withMaxRetries(5))
			ctx := testCtx(t)
			if tt.prepare != nil {
				tt.prepare(ctx, c)
				env.advance(delay)
			}
			handle, err := tt.write(ctx, c)
			if err != nil {
				t.Fatalf("write: %v", err)
			}
			env.clear()
			read := func() string {
				t.Helper()
				v, err := tt.read(ctx, c, handle)
				return observe(t, v, err)
			}

			if got := read(); got != tt.before {
				t.Errorf("read right after the write = %q, want %q", got, tt.before)
			}
			env.advance(delay - time.Second)
			if got := read(); got != tt.before {
				t.Errorf("read 1s short of the delay = %q, want %q", got, tt.before)
			}
			env.advance(time.Second)
			if got := read(); got != tt.after {
				t.Errorf("read once the delay has passed = %q, want %q", got, tt.after)
			}
			// The client neither retried a stale read nor hid it.
			if n := len(env.requests("")); n != 3 {
				t.Errorf("the emulator logged %d reads, want 3 (no retries): %+v", n, summarize(env.requests("")))
			}
		})
	}
}
