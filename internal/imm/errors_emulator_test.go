package imm

import (
	"context"
	"strings"
	"testing"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

func TestEmulatorNotFoundAndAlreadyExistsAreDecidedByCodeOnHTTP400(t *testing.T) {
	env := startEmulator(t, emulator.Options{})
	c := env.client(withMaxRetries(5))
	seedProject(t, c, "p")
	seedDataset(t, c, "d")

	const (
		notFound = CodeResourceNotFound
		exists   = CodeResourceAlreadyExists
	)
	tests := []struct {
		name    string
		action  string
		call    func(context.Context) error
		code    string
		message string
	}{
		{"GetProject of a missing project", "GetProject", func(ctx context.Context) error {
			_, err := c.GetProject(ctx, GetProjectRequest{ProjectName: "nope"})
			return err
		}, notFound, "The specified resource project is not found."},
		{"CreateProject of an existing project", "CreateProject", func(ctx context.Context) error {
			_, err := c.CreateProject(ctx, CreateProjectRequest{ProjectName: "p"})
			return err
		}, exists, "The specified resource project already exists."},
		{"UpdateProject of a missing project", "UpdateProject", func(ctx context.Context) error {
			_, err := c.UpdateProject(ctx, UpdateProjectRequest{ProjectName: "nope", Description: ptr("x")})
			return err
		}, notFound, "The specified resource project is not found."},
		{"DeleteProject of a missing project", "DeleteProject", func(ctx context.Context) error {
			return c.DeleteProject(ctx, "nope")
		}, notFound, "The specified resource project is not found."},
		{"CreateDataset in a missing project", "CreateDataset", func(ctx context.Context) error {
			_, err := c.CreateDataset(ctx, CreateDatasetRequest{ProjectName: "nope", DatasetName: "d"})
			return err
		}, notFound, "The specified resource project is not found."},
		{"CreateDataset of an existing dataset", "CreateDataset", func(ctx context.Context) error {
			_, err := c.CreateDataset(ctx, CreateDatasetRequest{ProjectName: "p", DatasetName: "d"})
			return err
		}, exists, "The specified resource dataset already exists."},
		{"GetDataset of a missing dataset", "GetDataset", func(ctx context.Context) error {
			_, err := c.GetDataset(ctx, GetDatasetRequest{ProjectName: "p", DatasetName: "nope"})
			return err
		}, notFound, "The specified resource dataset is not found."},
		{"UpdateDataset of a missing dataset", "UpdateDataset", func(ctx context.Context) error {
			_, err := c.UpdateDataset(ctx, UpdateDatasetRequest{ProjectName: "p", DatasetName: "nope", Description: ptr("x")})
			return err
		}, notFound, "The specified resource dataset is not found."},
		{"DeleteDataset of a missing dataset", "DeleteDataset", func(ctx context.Context) error {
			return c.DeleteDataset(ctx, "p", "nope")
		}, notFound, "The specified resource dataset is not found."},
		{"ListDatasets of a missing project", "ListDatasets", func(ctx context.Context) error {
			_, err := c.ListDatasets(ctx, ListDatasetsRequest{ProjectName: "nope"})
			return err
		}, notFound, "The specified resource project is not found."},
		{"CreateFigureClusteringTask on a missing dataset", "CreateFigureClusteringTask", func(ctx context.Context) error {
			_, err := c.CreateFigureClusteringTask(ctx, CreateFigureClusteringTaskRequest{ProjectName: "p", DatasetName: "nope"})
			return err
		}, notFound, "The specified resource dataset is not found."},
		{"GetTask of a missing task", "GetTask", func(ctx context.Context) error {
			_, err := c.GetTask(ctx, GetTaskRequest{ProjectName: "p", TaskId: "FaceClustering-nope", TaskType: TaskTypeFaceClustering})
			return err
		}, notFound, "The specified resource task is not found."},
		{"GetFigureCluster of a missing cluster", "GetFigureCluster", func(ctx context.Context) error {
			_, err := c.GetFigureCluster(ctx, GetFigureClusterRequest{ProjectName: "p", DatasetName: "d", ObjectId: "Cluster-nope"})
			return err
		}, notFound, "The specified resource figure-cluster is not found."},
		{"BatchGetFigureCluster in a missing dataset", "BatchGetFigureCluster", func(ctx context.Context) error {
			_, err := c.BatchGetFigureCluster(ctx, BatchGetFigureClusterRequest{ProjectName: "p", DatasetName: "nope", ObjectIds: []string{"Cluster-1"}})
			return err
		}, notFound, "The specified resource dataset is not found."},
		{"QueryFigureClusters in a missing dataset", "QueryFigureClusters", func(ctx context.Context) error {
			_, err := c.QueryFigureClusters(ctx, QueryFigureClustersRequest{ProjectName: "p", DatasetName: "nope"})
			return err
		}, notFound, "The specified resource dataset is not found."},
		{"UpdateFigureCluster of a missing cluster", "UpdateFigureCluster", func(ctx context.Context) error {
			return c.UpdateFigureCluster(ctx, UpdateFigureClusterRequest{ProjectName: "p", DatasetName: "d",
				FigureCluster: FigureClusterForReq{ObjectId: "Cluster-nope", Name: ptr("x")}})
		}, notFound, "The specified resource figure-cluster is not found."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env.clear()
			err := tt.call(testCtx(t))
			e := asError(t, err)
			want := Error{
				Action:     tt.action,
				StatusCode: 400,
				Code:       tt.code,
				Message:    tt.message,
				RequestID:  env.lastRequestID(),
				Recommend:  recommend(tt.code),
			}
			if *e != want {
				t.Errorf("error = %+v\nwant    %+v", *e, want)
			}
			if e.RequestID == "" {
				t.Error("the error carries no RequestId")
			}
			if IsNotFound(err) != (tt.code == notFound) || IsAlreadyExists(err) != (tt.code == exists) {
				t.Errorf("IsNotFound = %v, IsAlreadyExists = %v for %s", IsNotFound(err), IsAlreadyExists(err), tt.code)
			}
			if IsRetryable(err) || IsThrottling(err) || IsLockMismatch(err) {
				t.Errorf("IsRetryable = %v, IsThrottling = %v, IsLockMismatch = %v; want all false",
					IsRetryable(err), IsThrottling(err), IsLockMismatch(err))
			}
			for _, s := range []string{tt.action, tt.code, tt.message, e.RequestID} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Error() = %q lacks %q", err.Error(), s)
				}
			}
			// Not retried: the emulator saw the request once, and refused
			// it with the status and code the client reports.
			got := summarize(env.requests(""))
			if len(got) != 1 || got[0] != (summary{tt.action, 400, tt.code}) {
				t.Errorf("the emulator logged %+v, want one %s answered 400 %s", got, tt.action, tt.code)
			}
		})
	}
}

func TestEmulatorAuthenticationFailuresAreReportedAndNotRetried(t *testing.T) {
	env := startEmulator(t, emulator.Options{})
	tests := []struct {
		name    string
		keyID   string
		secret  string
		v2      bool
		status  int
		code    string
		message string // a prefix of the message
	}{
		{"wrong secret, V3", emulator.DefaultAccessKeyID, "not-the-secret", false, 400, "SignatureDoesNotMatch", "Specified signature does not match our calculation."},
		{"wrong secret, V2", emulator.DefaultAccessKeyID, "not-the-secret", true, 400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:POST&"},
		{"unknown AccessKey, V3", "LTAI5tNoSuchKey", emulator.DefaultAccessKeySecret, false, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."},
		{"unknown AccessKey, V2", "LTAI5tNoSuchKey", emulator.DefaultAccessKeySecret, true, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := []clientOption{withKeyPair(tt.keyID, tt.secret), withMaxRetries(5)}
			if tt.v2 {
				opts = append(opts, withV2Signature)
			}
			c := env.client(opts...)
			env.clear()
			_, err := c.GetProject(testCtx(t), GetProjectRequest{ProjectName: "p"})
			e := asError(t, err)
			if e.Code != tt.code || e.StatusCode != tt.status || e.Action != "GetProject" {
				t.Errorf("error = %+v, want HTTP %d %s", *e, tt.status, tt.code)
			}
			if !strings.HasPrefix(e.Message, tt.message) {
				t.Errorf("Message = %q, want it to start with %q", e.Message, tt.message)
			}
			if e.RequestID == "" || e.RequestID != env.lastRequestID() {
				t.Errorf("RequestID = %q, want the emulator's %q", e.RequestID, env.lastRequestID())
			}
			if e.Recommend != recommend(tt.code) {
				t.Errorf("Recommend = %q, want %q", e.Recommend, recommend(tt.code))
			}
			if IsRetryable(err) || IsNotFound(err) {
				t.Errorf("IsRetryable = %v, IsNotFound = %v; want both false", IsRetryable(err), IsNotFound(err))
			}
			log := env.requests("")
			if len(log) != 1 || log[0].Code != tt.code || log[0].Status != tt.status || log[0].AccessKeyId != tt.keyID {
				t.Errorf("the emulator logged %+v, want one GetProject from %s refused %d %s", log, tt.keyID, tt.status, tt.code)
			}
			// The secret never travels, not even when it is wrong.
			for _, v := range log[0].Params {
				if strings.Contains(v, tt.secret) {
					t.Errorf("a parameter carries the secret: %q", v)
				}
			}
		})
	}
}
