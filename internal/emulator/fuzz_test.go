package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
)

// decoders are every action's parameter decoder; the parameter fuzzer runs
// them all on whatever the wire parser produced.
var decoders = []func(*params){
	func(p *params) { decodeCreateProject(p) },
	func(p *params) { decodeGetProject(p) },
	func(p *params) { decodeUpdateProject(p) },
	func(p *params) { decodeDeleteProject(p) },
	func(p *params) { decodeListProjects(p) },
	func(p *params) { decodeCreateDataset(p) },
	func(p *params) { decodeGetDataset(p) },
	func(p *params) { decodeUpdateDataset(p) },
	func(p *params) { decodeDatasetRef(p) },
	func(p *params) { decodeListDatasets(p) },
	func(p *params) { decodeCreateFigureClusteringTask(p) },
	func(p *params) { decodeGetFigureCluster(p) },
	func(p *params) { decodeBatchGetFigureCluster(p) },
	func(p *params) { decodeQueryFigureClusters(p) },
	func(p *params) { decodeUpdateFigureCluster(p) },
	func(p *params) { decodeGetTask(p) },
}

// FuzzParseParams feeds the wire parameter parser (query, content type,
// body) and every action's decoder arbitrary input: nothing may panic, the
// merge must follow its rule, and every refusal must be a 400.
func FuzzParseParams(f *testing.F) {
	f.Add("ProjectName=p&Tag=%5B%7B%22Key%22%3A%22k%22%2C%22Value%22%3A%22v%22%7D%5D", "", []byte(nil))
	f.Add("Action=CreateProject&Signature=x", "application/x-www-form-urlencoded", []byte("ProjectName=p&MaxResults=300"))
	f.Add("FigureCluster=%7B%22ObjectId%22%3A%22c%22%2C%22Cover%22%3A%7B%22Figures%22%3A%5B%5D%7D%7D", "application/x-www-form-urlencoded; charset=utf-8", []byte("ProjectName=p&DatasetName=d"))
	f.Add("CreateTimeRange=%7B%22Start%22%3A%22x%22%7D&Sort=Gender&Order=DESC&CustomLabels=a%3Db+and+c%3D%27d%27", "text/plain", []byte("%zz"))
	f.Add("ObjectIds=%5B1%2C2%5D&WithTotalCount=TRUE&NextToken=AAAA", "application/x-www-form-urlencoded", []byte("ProjectName=&DatasetName=d%ZZ"))
	f.Fuzz(func(t *testing.T, rawQuery, contentType string, body []byte) {
		wp, err := parseWireParams(rawQuery, contentType, body)
		if err != nil {
			return
		}
		for k, v := range wp.form {
			if wp.merged[k] != v {
				t.Fatalf("form value of %q lost in the merge", k)
			}
		}
		for k, v := range wp.query {
			if _, inForm := wp.form[k]; !inForm && wp.merged[k] != v {
				t.Fatalf("query value of %q lost in the merge", k)
			}
		}
		business := businessParams(wp.merged)
		for k := range business {
			if strings.HasPrefix(k, "Signature") || commonParams[k] {
				t.Fatalf("common parameter %q kept as a business parameter", k)
			}
		}
		for _, decode := range decoders {
			p := newParams(business)
			decode(p)
			if p.err != nil && p.err.Status != http.StatusBadRequest {
				t.Fatalf("decoder refused with status %d", p.err.Status)
			}
		}
		_, _ = ParseFigureSeeds(body)
		_, _ = parseLabelQuery(rawQuery)
	})
}

// FuzzVerifyV3 checks the V3 verifier: arbitrary headers never panic it, a
// request signed by the independent test signer always verifies, and the
// same request with a changed query value never does.
func FuzzVerifyV3(f *testing.F) {
	f.Add("ACS3-HMAC-SHA256 Credential=k,SignedHeaders=host;x-acs-date,Signature=00", "x-acs-date: 2026-01-01T00:00:00Z\nx-acs-action: A", "a=b", []byte(""), "Tag", `[{"Key":"k 1*~+","Value":"v/é&="}]`)
	f.Add("ACS3-HMAC-SHA256 ,,,=", "", "%", []byte("x"), "", "")
	f.Add("ACS3-HMAC-SHA256 Credential=,SignedHeaders=;;,Signature=", "host: h\nx-acs-content-sha256: zz", "k=v&k=w", []byte("ProjectName=p"), "a+b*c~d", "%7E")
	f.Fuzz(func(t *testing.T, authorization, rawHeaders, rawQuery string, body []byte, key, value string) {
		lookup := func(id, token string) (string, *apiError) { return "secret", nil }

		header := http.Header{}
		header.Set("Authorization", authorization)
		for _, line := range strings.Split(rawHeaders, "\n") {
			if name, v, ok := strings.Cut(line, ":"); ok {
				header.Add(name, v)
			}
		}
		wp, _ := parseWireParams(rawQuery, header.Get("Content-Type"), body)
		_, _ = verifyV3(v3Request{Method: "POST", Path: "/", Host: "h", Header: header, Query: wp.query, Body: body}, lookup)

		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])
		signed := map[string]string{
			"host":                  "127.0.0.1:8790",
			"x-acs-action":          "ListProjects",
			"x-acs-version":         immVersion,
			"x-acs-date":            "2026-01-01T00:00:00Z",
			"x-acs-signature-nonce": "0123456789abcdef0123456789abcdef",
			"x-acs-content-sha256":  hash,
		}
		query := map[string]string{key: value}
		h := http.Header{}
		for k, v := range signed {
			h.Set(k, v)
		}
		h.Set("Authorization", testV3Authorization("POST", "/", query, signed, hash, "id", "secret"))
		req := v3Request{Method: "POST", Path: "/", Host: signed["host"], Header: h, Query: query, Body: body}
		if _, err := verifyV3(req, lookup); err != nil {
			t.Fatalf("a correctly signed request failed: %v", err)
		}
		req.Query = map[string]string{key: value + "x"}
		if _, err := verifyV3(req, lookup); err == nil {
			t.Fatal("a changed query value still verified")
		}
	})
}

// FuzzVerifyV2 checks the V2 verifier the same way over arbitrary
// parameters.
func FuzzVerifyV2(f *testing.F) {
	f.Add("Action=ListProjects&Signature=abc&AccessKeyId=k&Timestamp=t&SignatureNonce=n&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0", "secret")
	f.Add("Tag=%5B%7B%22Key%22%3A%22k+1*~%2B%22%7D%5D&Description=%E4%B8%AD", "")
	f.Add("SignatureType=BEARERTOKEN&Signature=", "s&")
	f.Fuzz(func(t *testing.T, rawQuery, secret string) {
		wp, err := parseWireParams(rawQuery, "", nil)
		if err != nil {
			return
		}
		lookup := func(id, token string) (string, *apiError) { return secret, nil }
		_, _ = verifyV2("POST", wp.merged, lookup)

		p := map[string]string{}
		for k, v := range wp.merged {
			p[k] = v
		}
		delete(p, "SignatureType")
		for k, v := range v2Common("ListProjects", testStart) {
			p[k] = v
		}
		signed := testV2Params(p, secret)
		if _, err := verifyV2("POST", signed, lookup); err != nil {
			t.Fatalf("correctly signed parameters failed: %v", err)
		}
		signed["Action"] += "x"
		if _, err := verifyV2("POST", signed, lookup); err == nil {
			t.Fatal("a changed parameter still verified")
		}
	})
}
