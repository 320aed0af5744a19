package emulator

import (
	"strings"
	"testing"
	"time"
)

func TestOSSBucketAttachmentLifecycle(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []clientOption
	}{{"V3", nil}, {"V2", []clientOption{withV2}}} {
		t.Run(tc.name, func(t *testing.T) {
			srv, fake := startFake(t, Options{})
			c := newClient(t, srv, tc.opts...)
			mustCreateProject(c, "p")
			res := c.must("AttachOSSBucket", map[string]string{"ProjectName": "p", "OSSBucket": "photos", "Description": "holiday photos"})
			if len(res) != 1 {
				t.Errorf("AttachOSSBucket answered %v, want only a RequestId", res)
			}
			fake.Advance(time.Second)
			got := c.must("GetOSSBucketAttachment", map[string]string{"OSSBucket": "photos"})
			want := map[string]any{"ProjectName": "p", "Description": "holiday photos",
				"CreateTime": formatServiceTime(testStart), "UpdateTime": formatServiceTime(testStart)}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("GetOSSBucketAttachment %s = %v, want %v", k, got[k], v)
				}
			}
			list := arrayOf(t, c.must("ListAttachedOSSBuckets", map[string]string{"ProjectName": "p"}), "AttachedOSSBuckets")
			if len(list) != 1 {
				t.Fatalf("ListAttachedOSSBuckets = %v", list)
			}
			item := itemOf(t, list, 0)
			if item["OSSBucket"] != "photos" || item["ProjectName"] != "p" || item["Description"] != "holiday photos" || item["OwnerId"] != emulatorOwnerID {
				t.Errorf("listed attachment %v", item)
			}
			c.must("DetachOSSBucket", map[string]string{"OSSBucket": "photos"})
			c.fails("GetOSSBucketAttachment", map[string]string{"OSSBucket": "photos"}, 400, "ResourceNotFound")
			// Detached, the bucket may go to another project.
			mustCreateProject(c, "q")
			c.must("AttachOSSBucket", map[string]string{"ProjectName": "q", "OSSBucket": "photos"})
			if got := c.must("GetOSSBucketAttachment", map[string]string{"OSSBucket": "photos"}); got["ProjectName"] != "q" || got["Description"] != "" {
				t.Errorf("re-attached: %v", got)
			}
		})
	}
}

func TestOSSBucketAttachmentErrors(t *testing.T) {
	srv := startServer(t, Options{})
	c := newClient(t, srv)
	se := c.fails("AttachOSSBucket", map[string]string{"ProjectName": "p", "OSSBucket": "photos"}, 400, "ResourceNotFound")
	if !strings.Contains(se.Message, "project") {
		t.Errorf("message %q", se.Message)
	}
	mustCreateProject(c, "p")
	mustCreateProject(c, "q")
	c.must("AttachOSSBucket", map[string]string{"ProjectName": "p", "OSSBucket": "photos"})
	for _, project := range []string{"p", "q"} {
		se := c.fails("AttachOSSBucket", map[string]string{"ProjectName": project, "OSSBucket": "photos"}, 400, "ResourceAlreadyExists")
		if !strings.Contains(se.Message, "The specified resource attachment already exists.") {
			t.Errorf("message %q", se.Message)
		}
	}
	c.fails("DetachOSSBucket", map[string]string{"OSSBucket": "other"}, 400, "ResourceNotFound")
	c.fails("ListAttachedOSSBuckets", map[string]string{"ProjectName": "nope"}, 400, "ResourceNotFound")
	if got := arrayOf(t, c.must("ListAttachedOSSBuckets", map[string]string{"ProjectName": "q"}), "AttachedOSSBuckets"); len(got) != 0 {
		t.Errorf("q lists %v", got)
	}
}

func TestOSSBucketAttachmentParameterValidation(t *testing.T) {
	runValidationCases(t, []validationCase{
		{"missing OSSBucket", "AttachOSSBucket", map[string]string{"ProjectName": "p"}, "InvalidArgument", "The parameter OSSBucket is required but not provided."},
		{"missing ProjectName", "AttachOSSBucket", map[string]string{"OSSBucket": "photos"}, "InvalidArgument", "The parameter ProjectName is required"},
		{"bucket URI instead of name", "AttachOSSBucket", map[string]string{"ProjectName": "p", "OSSBucket": "oss://photos"}, "InvalidArgument", "OSSBucket must be a bucket name"},
		{"upper-case bucket", "GetOSSBucketAttachment", map[string]string{"OSSBucket": "Photos"}, "InvalidArgument", "OSSBucket must be a bucket name"},
		{"description of 129 characters", "AttachOSSBucket", map[string]string{"ProjectName": "p", "OSSBucket": "photos", "Description": strings.Repeat("é", 129)}, "InvalidArgument", "Description must be 1 to 128 characters"},
		{"empty description", "AttachOSSBucket", map[string]string{"ProjectName": "p", "OSSBucket": "photos", "Description": ""}, "InvalidArgument", "Description must be 1 to 128 characters"},
		{"missing bucket on detach", "DetachOSSBucket", nil, "InvalidArgument", "OSSBucket"},
		{"MaxResults 201", "ListAttachedOSSBuckets", map[string]string{"ProjectName": "p", "MaxResults": "201"}, "InvalidArgument", "MaxResults must be between 0 and 200"},
	})
}

func TestListAttachedOSSBucketsPages(t *testing.T) {
	srv := startServer(t, Options{MaxPageSize: 2})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	mustCreateProject(c, "q")
	for _, b := range []string{"b-5", "b-1", "b-4", "b-2", "b-3"} {
		c.must("AttachOSSBucket", map[string]string{"ProjectName": "p", "OSSBucket": b})
	}
	c.must("AttachOSSBucket", map[string]string{"ProjectName": "q", "OSSBucket": "b-0"})
	var got []string
	params := map[string]string{"ProjectName": "p"}
	for pages := 1; ; pages++ {
		res := c.must("ListAttachedOSSBuckets", params)
		got = append(got, names(t, arrayOf(t, res, "AttachedOSSBuckets"), "OSSBucket")...)
		next, _ := res["NextToken"].(string)
		if next == "" {
			if pages != 3 {
				t.Errorf("%d pages, want 3", pages)
			}
			break
		}
		params["NextToken"] = next
	}
	if strings.Join(got, ",") != "b-1,b-2,b-3,b-4,b-5" {
		t.Errorf("pages gave %v", got)
	}
}

func TestDeleteProjectRemovesItsAttachments(t *testing.T) {
	srv := startServer(t, Options{})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	c.must("AttachOSSBucket", map[string]string{"ProjectName": "p", "OSSBucket": "photos"})
	c.must("DeleteProject", map[string]string{"ProjectName": "p"})
	c.fails("GetOSSBucketAttachment", map[string]string{"OSSBucket": "photos"}, 400, "ResourceNotFound")
}

func TestAttachmentReadsLagWrites(t *testing.T) {
	srv, fake := startFake(t, Options{PropagationDelay: time.Minute, ReadLag: ReadLagFixed})
	c := newClient(t, srv)
	mustCreateProject(c, "p")
	fake.Advance(time.Minute)
	c.must("AttachOSSBucket", map[string]string{"ProjectName": "p", "OSSBucket": "photos"})
	c.fails("GetOSSBucketAttachment", map[string]string{"OSSBucket": "photos"}, 400, "ResourceNotFound")
	// Writes check the committed state.
	c.fails("AttachOSSBucket", map[string]string{"ProjectName": "p", "OSSBucket": "photos"}, 400, "ResourceAlreadyExists")
	fake.Advance(time.Minute)
	c.must("GetOSSBucketAttachment", map[string]string{"OSSBucket": "photos"})
	c.must("DetachOSSBucket", map[string]string{"OSSBucket": "photos"})
	c.must("GetOSSBucketAttachment", map[string]string{"OSSBucket": "photos"})
}
