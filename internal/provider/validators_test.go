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
