package imm

import (
	"reflect"
	"testing"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/emulator"
)

func TestEmulatorOSSBucketAttachmentLifecycle(t *testing.T) {
	for _, sig := range signatures {
		t.Run(sig.name, func(t *testing.T) {
			env := startEmulator(t, emulator.Options{})
			c := env.client(sig.opts...)
			ctx := testCtx(t)
			seedProject(t, c, "p")

			if err := c.AttachOSSBucket(ctx, AttachOSSBucketRequest{ProjectName: "p", OSSBucket: "photos", Description: ptr("holiday <photos> & more")}); err != nil {
				t.Fatalf("AttachOSSBucket: %v", err)
			}
			checkParams(t, env.lastRequest("AttachOSSBucket"), map[string]string{"ProjectName": "p", "OSSBucket": "photos", "Description": "holiday <photos> & more"})
			env.advance(time.Second)
			want := OSSBucketAttachment{OSSBucket: "photos", ProjectName: "p", Description: "holiday <photos> & more",
				CreateTime: serviceTime(emuStart), UpdateTime: serviceTime(emuStart)}
			got, err := c.GetOSSBucketAttachment(ctx, "photos")
			if err != nil || !reflect.DeepEqual(*got, want) {
				t.Errorf("GetOSSBucketAttachment: %+v, %v; want %+v", got, err, want)
			}
			checkParams(t, env.lastRequest("GetOSSBucketAttachment"), map[string]string{"OSSBucket": "photos"})

			page, err := c.ListAttachedOSSBuckets(ctx, ListAttachedOSSBucketsRequest{ProjectName: "p", MaxResults: ptr(int64(10))})
			want.OwnerId = "1000000000000000"
			if err != nil || len(page.AttachedOSSBuckets) != 1 || !reflect.DeepEqual(page.AttachedOSSBuckets[0], want) || page.NextToken != "" {
				t.Errorf("ListAttachedOSSBuckets: %+v, %v; want just %+v", page, err, want)
			}
			checkParams(t, env.lastRequest("ListAttachedOSSBuckets"), map[string]string{"ProjectName": "p", "MaxResults": "10"})

			if err := c.AttachOSSBucket(ctx, AttachOSSBucketRequest{ProjectName: "p", OSSBucket: "photos"}); !IsAlreadyExists(err) {
				t.Errorf("attaching twice: %v, want ResourceAlreadyExists", err)
			}
			if err := c.DetachOSSBucket(ctx, "photos"); err != nil {
				t.Fatalf("DetachOSSBucket: %v", err)
			}
			checkParams(t, env.lastRequest("DetachOSSBucket"), map[string]string{"OSSBucket": "photos"})
			if _, err := c.GetOSSBucketAttachment(ctx, "photos"); !IsNotFound(err) {
				t.Errorf("GetOSSBucketAttachment after DetachOSSBucket: %v, want ResourceNotFound", err)
			}
			if err := c.DetachOSSBucket(ctx, "photos"); !IsNotFound(err) {
				t.Errorf("detaching twice: %v, want ResourceNotFound", err)
			}
		})
	}
}

func TestEmulatorListAllAttachedOSSBucketsFollowsEveryPage(t *testing.T) {
	env := startEmulator(t, emulator.Options{MaxPageSize: 2})
	c := env.client()
	ctx := testCtx(t)
	seedProject(t, c, "p")
	want := []string{"bucket-1", "bucket-2", "bucket-3", "bucket-4", "bucket-5"}
	for _, b := range want {
		if err := c.AttachOSSBucket(ctx, AttachOSSBucketRequest{ProjectName: "p", OSSBucket: b}); err != nil {
			t.Fatal(err)
		}
	}
	env.clear()
	all, err := c.ListAllAttachedOSSBuckets(ctx, ListAttachedOSSBucketsRequest{ProjectName: "p"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range all {
		got = append(got, a.OSSBucket)
	}
	if !reflect.DeepEqual(got, want) || len(env.requests("ListAttachedOSSBuckets")) != 3 {
		t.Errorf("ListAllAttachedOSSBuckets = %v in %d requests, want %v in 3", got, len(env.requests("ListAttachedOSSBuckets")), want)
	}
}
