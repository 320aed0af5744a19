package imm

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

// people are the persons the clustering tests seed, one figure each here.
var people = []string{"erin", "bob", "dave", "alice", "carol"}

// clusterPeople seeds one face per person in p/d, runs a clustering task to
// its end and names each cluster after its person. It returns the clusters
// by person.
func clusterPeople(t *testing.T, env *emuEnv, c *Client, persons []string) map[string]FigureCluster {
	t.Helper()
	ctx := testCtx(t)
	seed := emulator.FigureSeed{ProjectName: "p", DatasetName: "d"}
	for i, p := range persons {
		seed.Figures = append(seed.Figures, emulator.SeedFigure{FigureId: "fig-" + p, URI: fmt.Sprintf("oss://bucket/%d.jpg", i), Person: p, Age: int64(20 + i)})
	}
	if err := env.emu.AddFigures(seed); err != nil {
		t.Fatalf("AddFigures: %v", err)
	}
	started, err := c.CreateFigureClusteringTask(ctx, CreateFigureClusteringTaskRequest{ProjectName: "p", DatasetName: "d"})
	if err != nil {
		t.Fatalf("CreateFigureClusteringTask: %v", err)
	}
	env.advance(time.Minute)
	task, err := c.GetTask(ctx, GetTaskRequest{ProjectName: "p", TaskId: started.TaskId, TaskType: TaskTypeFaceClustering})
	if err != nil || task.Status != TaskSucceeded {
		t.Fatalf("GetTask after the task's duration: %+v, %v", task, err)
	}
	all, err := c.QueryAllFigureClusters(ctx, QueryFigureClustersRequest{ProjectName: "p", DatasetName: "d"})
	if err != nil {
		t.Fatalf("QueryAllFigureClusters: %v", err)
	}
	out := map[string]FigureCluster{}
	for _, cl := range all {
		person := cl.Cover.Figures[0].FigureId[len("fig-"):]
		if err := c.UpdateFigureCluster(ctx, UpdateFigureClusterRequest{ProjectName: "p", DatasetName: "d",
			FigureCluster: FigureClusterForReq{ObjectId: cl.ObjectId, Name: ptr(person)}}); err != nil {
			t.Fatalf("UpdateFigureCluster: %v", err)
		}
		out[person] = cl
	}
	if len(out) != len(persons) {
		t.Fatalf("clustering made %d clusters for %d persons", len(out), len(persons))
	}
	return out
}

// TestEmulatorListAllAndQueryAllFollowEveryPageInOrder runs the List/Query
// All helpers against an emulator whose pages hold at most 2 items: they
// must return every item once, in the service's order, with one request per
// page, each page asked for with the previous page's NextToken and the
// caller's other parameters unchanged.
func TestEmulatorListAllAndQueryAllFollowEveryPageInOrder(t *testing.T) {
	type page func(ctx context.Context, c *Client, token string) (keys []string, next string, err error)
	type all func(ctx context.Context, c *Client) ([]string, error)

	projectsReq := ListProjectsRequest{Prefix: "pg-", MaxResults: ptr(int64(100))}
	datasetsReq := ListDatasetsRequest{ProjectName: "p"}
	clustersReq := func(order string) QueryFigureClustersRequest {
		return QueryFigureClustersRequest{ProjectName: "p", DatasetName: "d", Sort: "GroupName", Order: order, WithTotalCount: ptr(true)}
	}
	projectNames := func(ps []Project) (out []string) {
		for _, p := range ps {
			out = append(out, p.ProjectName)
		}
		return out
	}
	datasetNames := func(ds []Dataset) (out []string) {
		for _, d := range ds {
			out = append(out, d.DatasetName)
		}
		return out
	}
	clusterNames := func(cs []FigureCluster) (out []string) {
		for _, c := range cs {
			out = append(out, c.Name)
		}
		return out
	}
	listProjectsPage := func(ctx context.Context, c *Client, token string) ([]string, string, error) {
		req := projectsReq
		req.NextToken = token
		r, err := c.ListProjects(ctx, req)
		if err != nil {
			return nil, "", err
		}
		return projectNames(r.Projects), r.NextToken, nil
	}
	listDatasetsPage := func(ctx context.Context, c *Client, token string) ([]string, string, error) {
		req := datasetsReq
		req.NextToken = token
		r, err := c.ListDatasets(ctx, req)
		if err != nil {
			return nil, "", err
		}
		return datasetNames(r.Datasets), r.NextToken, nil
	}
	queryClustersPage := func(order string) page {
		return func(ctx context.Context, c *Client, token string) ([]string, string, error) {
			req := clustersReq(order)
			req.NextToken = token
			r, err := c.QueryFigureClusters(ctx, req)
			if err != nil {
				return nil, "", err
			}
			if r.TotalCount == nil || *r.TotalCount != int64(len(people)) {
				return nil, "", fmt.Errorf("TotalCount = %v, want %d", r.TotalCount, len(people))
			}
			return clusterNames(r.FigureClusters), r.NextToken, nil
		}
	}
	queryAllClusters := func(order string) all {
		return func(ctx context.Context, c *Client) ([]string, error) {
			cs, err := c.QueryAllFigureClusters(ctx, clustersReq(order))
			return clusterNames(cs), err
		}
	}

	tests := []struct {
		name   string
		setup  func(t *testing.T, env *emuEnv, c *Client)
		page   page
		all    all
		action string
		params map[string]string // every page's parameters but NextToken
		want   []string
		pages  int
	}{
		{
			name: "ListAllProjects: 5 matching projects in 3 pages",
			setup: func(t *testing.T, env *emuEnv, c *Client) {
				for _, n := range []string{"pg-e", "pg-a", "other", "pg-c", "pg-b", "pg-d"} {
					seedProject(t, c, n)
				}
			},
			page: listProjectsPage,
			all: func(ctx context.Context, c *Client) ([]string, error) {
				ps, err := c.ListAllProjects(ctx, projectsReq)
				return projectNames(ps), err
			},
			action: "ListProjects",
			params: map[string]string{"Prefix": "pg-", "MaxResults": "100"},
			want:   []string{"pg-a", "pg-b", "pg-c", "pg-d", "pg-e"},
			pages:  3,
		},
		{
			name: "ListAllDatasets: 4 datasets fill exactly 2 pages",
			setup: func(t *testing.T, env *emuEnv, c *Client) {
				seedProject(t, c, "p")
				for _, n := range []string{"d4", "d2", "d1", "d3"} {
					seedDataset(t, c, n)
				}
			},
			page: listDatasetsPage,
			all: func(ctx context.Context, c *Client) ([]string, error) {
				ds, err := c.ListAllDatasets(ctx, datasetsReq)
				return datasetNames(ds), err
			},
			action: "ListDatasets",
			params: map[string]string{"ProjectName": "p"},
			want:   []string{"d1", "d2", "d3", "d4"},
			pages:  2,
		},
		{
			name:  "ListAllDatasets: an empty project is one empty page",
			setup: func(t *testing.T, env *emuEnv, c *Client) { seedProject(t, c, "p") },
			page:  listDatasetsPage,
			all: func(ctx context.Context, c *Client) ([]string, error) {
				ds, err := c.ListAllDatasets(ctx, datasetsReq)
				return datasetNames(ds), err
			},
			action: "ListDatasets",
			params: map[string]string{"ProjectName": "p"},
			want:   nil,
			pages:  1,
		},
		{
			name: "QueryAllFigureClusters: 5 clusters by GroupName in 3 pages",
			setup: func(t *testing.T, env *emuEnv, c *Client) {
				seedProject(t, c, "p")
				seedDataset(t, c, "d")
				clusterPeople(t, env, c, people)
			},
			page:   queryClustersPage(""),
			all:    queryAllClusters(""),
			action: "QueryFigureClusters",
			params: map[string]string{"ProjectName": "p", "DatasetName": "d", "Sort": "GroupName", "WithTotalCount": "true"},
			want:   []string{"alice", "bob", "carol", "dave", "erin"},
			pages:  3,
		},
		{
			name: "QueryAllFigureClusters: descending order holds across pages",
			setup: func(t *testing.T, env *emuEnv, c *Client) {
				seedProject(t, c, "p")
				seedDataset(t, c, "d")
				clusterPeople(t, env, c, people)
			},
			page:   queryClustersPage("desc"),
			all:    queryAllClusters("desc"),
			action: "QueryFigureClusters",
			params: map[string]string{"ProjectName": "p", "DatasetName": "d", "Sort": "GroupName", "Order": "desc", "WithTotalCount": "true"},
			want:   []string{"erin", "dave", "carol", "bob", "alice"},
			pages:  3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := startEmulator(t, emulator.Options{MaxPageSize: 2, TaskDuration: time.Minute})
			c := env.client()
			ctx := testCtx(t)
			tt.setup(t, env, c)

			// Walk the pages by hand to learn the tokens the service hands
			// out.
			var walked []string
			tokens := []string{""}
			for {
				keys, next, err := tt.page(ctx, c, tokens[len(tokens)-1])
				if err != nil {
					t.Fatalf("page %d: %v", len(tokens), err)
				}
				if len(keys) > 2 {
					t.Fatalf("page %d holds %d items; the emulator's MaxPageSize is 2", len(tokens), len(keys))
				}
				walked = append(walked, keys...)
				if next == "" {
					break
				}
				if len(tokens) > 10 {
					t.Fatal("more than 10 pages")
				}
				tokens = append(tokens, next)
			}
			if len(tokens) != tt.pages {
				t.Fatalf("the service gave %d pages, want %d; the test's premise is wrong", len(tokens), tt.pages)
			}

			env.clear()
			// A helper that never stops paging fails here, not at the
			// test's timeout.
			allCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			got, err := tt.all(allCtx, c)
			if err != nil {
				t.Fatalf("all pages: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("all pages = %q, want %q", got, tt.want)
			}
			if !reflect.DeepEqual(got, walked) {
				t.Errorf("all pages = %q, but walking the pages gives %q", got, walked)
			}
			log := env.requests("")
			if len(log) != tt.pages {
				t.Fatalf("the emulator logged %d requests, want one %s per page (%d): %+v", len(log), tt.action, tt.pages, summarize(log))
			}
			for i, r := range log {
				if r.Action != tt.action || r.Status != 200 {
					t.Errorf("request %d: %s answered %d %s, want %s answered 200", i, r.Action, r.Status, r.Code, tt.action)
				}
				want := map[string]string{}
				for k, v := range tt.params {
					want[k] = v
				}
				if tokens[i] != "" {
					want["NextToken"] = tokens[i]
				}
				checkParams(t, r, want)
			}
		})
	}
}
