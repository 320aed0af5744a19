package emulator

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

// This file is the emulator's fake OSS: the objects a user would have
// uploaded to buckets, each with the faces a recogniser would find in it.
// It is the world IMM looks at, not IMM's state: it does not lag, and only
// the control endpoints (/_emulator/oss/objects), Options.OSS and the
// library methods below change it. Bindings index it, triggers and batches
// process it.

// OSSObject is an object in the fake OSS: its URI (oss://bucket/key) and the
// faces in it. An object may have no faces.
type OSSObject struct {
	URI     string
	Figures []OSSFigure `json:",omitempty"`
}

// OSSFigure is a face in an OSS object. Person is who the face recogniser
// would find: faces of one Person end up in one cluster; an empty Person
// makes a cluster of its own.
type OSSFigure struct {
	Person string `json:",omitempty"`
	Gender string `json:",omitempty"`
	Age    int64
}

// OSSContents is the JSON document of POST and GET /_emulator/oss/objects
// and of the command's -oss-seed file:
//
//	{"Buckets":["empty-bucket"],"Objects":[{"URI":"oss://bucket/path/photo1.jpg","Figures":[{"Person":"Mei","Gender":"female","Age":31}]}]}
//
// A bucket exists once it is named in Buckets or holds an object; Buckets
// is optional.
type OSSContents struct {
	Buckets []string `json:",omitempty"`
	Objects []OSSObject
}

// OSSRemoval is the body of DELETE /_emulator/oss/objects: the objects to
// remove, and buckets to remove with all their objects.
type OSSRemoval struct {
	URIs    []string
	Buckets []string `json:",omitempty"`
}

// ParseOSSContents reads an OSSContents document.
func ParseOSSContents(data []byte) (OSSContents, error) {
	var c OSSContents
	if err := decodeStrictJSON(string(data), &c); err != nil {
		return OSSContents{}, fmt.Errorf("OSS objects: %w", err)
	}
	return c, nil
}

// ossObject is a stored object. Seq orders uploads: every write of an
// object takes the next number, which is how triggers tell new objects from
// ones they have seen.
type ossObject struct {
	URI     string
	Bucket  string
	Key     string
	Figures []OSSFigure
	Seq     int64
}

// fakeOSS is the whole fake OSS: buckets, objects by URI, and the last
// sequence number handed out.
type fakeOSS struct {
	Buckets map[string]bool
	Objects map[string]ossObject
	Seq     int64
}

func newFakeOSS() *fakeOSS {
	return &fakeOSS{Buckets: map[string]bool{}, Objects: map[string]ossObject{}}
}

// bucketNamePattern is OSS's bucket naming rule: 3-63 lower-case letters,
// digits and hyphens, starting and ending with a letter or digit.
var bucketNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)

func validBucketName(s string) bool { return bucketNamePattern.MatchString(s) }

const maxObjectKeyBytes = 1023

// splitObjectURI splits oss://bucket/key, checking both parts.
func splitObjectURI(uri string) (bucket, key string, err error) {
	rest, ok := strings.CutPrefix(uri, "oss://")
	if !ok {
		return "", "", fmt.Errorf("object URI %q does not start with oss://", uri)
	}
	bucket, key, _ = strings.Cut(rest, "/")
	switch {
	case !validBucketName(bucket):
		return "", "", fmt.Errorf("object URI %q: %q is not a valid bucket name (3-63 characters of a-z, 0-9 and -, starting and ending with a letter or digit)", uri, bucket)
	case key == "":
		return "", "", fmt.Errorf("object URI %q has no object key", uri)
	case len(key) > maxObjectKeyBytes:
		return "", "", fmt.Errorf("object URI %q: the key is longer than %d bytes", uri, maxObjectKeyBytes)
	}
	return bucket, key, nil
}

// checkOSSContents refuses the whole document at its first bad entry.
func checkOSSContents(c OSSContents) error {
	for _, b := range c.Buckets {
		if !validBucketName(b) {
			return fmt.Errorf("%q is not a valid bucket name (3-63 characters of a-z, 0-9 and -, starting and ending with a letter or digit)", b)
		}
	}
	for _, o := range c.Objects {
		if _, _, err := splitObjectURI(o.URI); err != nil {
			return err
		}
		for i, f := range o.Figures {
			if f.Age < 0 {
				return fmt.Errorf("figure %d of %s has a negative Age", i, o.URI)
			}
		}
	}
	return nil
}

// put adds buckets and writes objects (an existing URI is overwritten) and
// returns the objects written, with their sequence numbers.
func (o *fakeOSS) put(c OSSContents) []ossObject {
	for _, b := range c.Buckets {
		o.Buckets[b] = true
	}
	var written []ossObject
	for _, obj := range c.Objects {
		bucket, key, _ := splitObjectURI(obj.URI)
		o.Seq++
		stored := ossObject{URI: obj.URI, Bucket: bucket, Key: key, Figures: append([]OSSFigure(nil), obj.Figures...), Seq: o.Seq}
		o.Buckets[bucket] = true
		o.Objects[obj.URI] = stored
		written = append(written, stored)
	}
	return written
}

// remove deletes objects (unknown URIs are ignored) and buckets with all
// their objects, and returns the objects that went.
func (o *fakeOSS) remove(r OSSRemoval) []ossObject {
	var removed []ossObject
	for _, uri := range r.URIs {
		if obj, ok := o.Objects[uri]; ok {
			removed = append(removed, obj)
			delete(o.Objects, uri)
		}
	}
	for _, b := range r.Buckets {
		for uri, obj := range o.Objects {
			if obj.Bucket == b {
				removed = append(removed, obj)
				delete(o.Objects, uri)
			}
		}
		delete(o.Buckets, b)
	}
	sortObjects(removed)
	return removed
}

// objectsUnder returns the objects of a bucket whose key starts with
// prefix, in URI order.
func (o *fakeOSS) objectsUnder(bucket, prefix string) []ossObject {
	var out []ossObject
	for _, obj := range o.Objects {
		if obj.Bucket == bucket && strings.HasPrefix(obj.Key, prefix) {
			out = append(out, obj)
		}
	}
	sortObjects(out)
	return out
}

func sortObjects(objs []ossObject) {
	sort.Slice(objs, func(i, j int) bool { return objs[i].URI < objs[j].URI })
}

// contents is the whole fake OSS as its JSON document, sorted.
func (o *fakeOSS) contents() OSSContents {
	out := OSSContents{Buckets: sortedKeys(o.Buckets), Objects: []OSSObject{}}
	all := make([]ossObject, 0, len(o.Objects))
	for _, obj := range o.Objects {
		all = append(all, obj)
	}
	sortObjects(all)
	for _, obj := range all {
		out.Objects = append(out.Objects, OSSObject{URI: obj.URI, Figures: append([]OSSFigure(nil), obj.Figures...)})
	}
	return out
}

// AddOSSObjects writes objects to the fake OSS (an existing URI is
// overwritten) and creates the buckets named in c. It stands for a user
// uploading photos: bindings index the objects, triggers process them.
// Nothing is written unless every entry is valid.
func (e *Emulator) AddOSSObjects(c OSSContents) error {
	if err := checkOSSContents(c); err != nil {
		return err
	}
	e.changeOSS(func(s *service, now time.Time) { s.ossWritten(now, s.oss.put(c)) })
	return nil
}

// RemoveOSSObjects deletes objects, and buckets with all their objects,
// from the fake OSS, and returns how many objects went. Unknown URIs and
// buckets are ignored. Bindings past their full scan drop the objects from
// their datasets.
func (e *Emulator) RemoveOSSObjects(r OSSRemoval) int {
	n := 0
	e.changeOSS(func(s *service, now time.Time) {
		removed := s.oss.remove(r)
		n = len(removed)
		s.ossRemoved(now, removed)
	})
	return n
}

// OSS returns the fake OSS's buckets and objects, sorted.
func (e *Emulator) OSS() OSSContents {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.svc.oss.contents()
}

func (e *Emulator) changeOSS(change func(*service, time.Time)) {
	now := e.clock.Now()
	e.settleDueTasks(now)
	e.mu.Lock()
	defer e.mu.Unlock()
	change(e.svc, now)
	e.afterWriteLocked(now)
}
