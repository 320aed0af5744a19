package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/credentials"
)

func TestStringChecks(t *testing.T) {
	tests := []struct {
		name      string
		check     stringCheck
		value     string
		wantErr   bool
		wantShown bool
	}{
		{"duration ok", durationValidator, "90s", false, false},
		{"duration bad", durationValidator, "five minutes", true, true},
		{"tag ok", tagTextValidator, "team", false, false},
		{"tag reserved", tagTextValidator, "ACS:thing", true, true},
		{"time ok", rfc3339Validator, "2026-01-01T00:00:00+08:00", false, false},
		{"time bad", rfc3339Validator, "2026-01-01", true, true},
		{"policy ok", ruleValidator(credentials.Policy), `{"Version":"1"}`, false, false},
		{"policy bad", ruleValidator(credentials.Policy), `[1]`, true, true},
		{"sts ok", ruleValidator(credentials.STSEndpoint), "sts-vpc.cn-hangzhou.aliyuncs.com", false, false},
		{"sts plain http", ruleValidator(credentials.STSEndpoint), "http://sts.aliyuncs.com", true, true},
		{"url ok", ruleValidator(credentials.CredentialsURI), "http://127.0.0.1:9000/creds", false, false},
		{"url bad, secret not echoed", ruleValidator(credentials.CredentialsURI), "ftp://host/creds?token=s3cret", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp validator.StringResponse
			tt.check.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("arg"), ConfigValue: types.StringValue(tt.value)}, &resp)
			if resp.Diagnostics.HasError() != tt.wantErr {
				t.Fatalf("errors = %v, want error %v", resp.Diagnostics, tt.wantErr)
			}
			if !tt.wantErr {
				return
			}
			detail := resp.Diagnostics[0].Detail()
			if !strings.Contains(detail, "arg "+tt.check.description) || strings.Contains(detail, tt.value) != tt.wantShown {
				t.Errorf("detail = %q", detail)
			}
		})
	}
}

// TestBucketNamesAndBindingURIsFollowOSSRule is OSS's bucket naming rule,
// and the one binding URI form IMM documents (oss://<bucket>, no path).
func TestBucketNamesAndBindingURIsFollowOSSRule(t *testing.T) {
	for _, tt := range []struct {
		bucket string
		ok     bool
	}{
		{"abc", true},
		{"photos-2026", true},
		{"9lives", true},
		{strings.Repeat("a", 63), true},
		{"ab", false},
		{strings.Repeat("a", 64), false},
		{"-photos", false},
		{"photos-", false},
		{"Photos", false},
		{"pho_tos", false},
		{"pho.tos", false},
		{"", false},
	} {
		if got := bucketNameValidator.check(tt.bucket) == nil; got != tt.ok {
			t.Errorf("bucket %q accepted = %v, want %v", tt.bucket, got, tt.ok)
		}
		if got := bindingURIValidator.check("oss://"+tt.bucket) == nil; got != tt.ok {
			t.Errorf("URI oss://%s accepted = %v, want %v", tt.bucket, got, tt.ok)
		}
	}
	for _, uri := range []string{"oss://photos/", "oss://photos/2026/", "oss://photos/a.jpg", "photos", "OSS://photos",
		"https://photos.oss-cn-hangzhou.aliyuncs.com", "oss:/photos", " oss://photos"} {
		if bindingURIValidator.check(uri) == nil {
			t.Errorf("binding URI %q accepted, want refused", uri)
		}
	}
}
