package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// IMM's name rule for projects and datasets (imm-api.md §6): 1-128
// characters, letters, digits, underscores and hyphens, starting with a letter
// or an underscore.
var (
	namePattern     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)
	nameRuleMessage = "must start with a letter or an underscore (_) and contain only letters, digits, underscores (_) and hyphens (-)"
	regionPattern   = regexp.MustCompile(`^[a-z]{2}(-[a-z0-9]+)+$`)
)

// durationValidator accepts a positive Go duration such as "5m" or "90s".
type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return `must be a positive duration such as "5m" or "90s"`
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err != nil || d < 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%s %s, got %q.", req.Path, v.Description(ctx), req.ConfigValue.ValueString()))
	}
}

// tagTextValidator applies Alibaba Cloud's general tag rule to a tag key or
// value: it must not start with "aliyun" or "acs:" and must not contain
// "http://" or "https://".
type tagTextValidator struct{}

func (tagTextValidator) Description(context.Context) string {
	return `must not start with "aliyun" or "acs:" and must not contain "http://" or "https://"`
}

func (v tagTextValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v tagTextValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := strings.ToLower(req.ConfigValue.ValueString())
	if strings.HasPrefix(s, "aliyun") || strings.HasPrefix(s, "acs:") || strings.Contains(s, "http://") || strings.Contains(s, "https://") {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid tag",
			fmt.Sprintf("Tag keys and values %s; %s is %q.", v.Description(ctx), req.Path, req.ConfigValue.ValueString()))
	}
}

// clusterIDPattern is the shape of a face cluster's ObjectId.
var clusterIDPattern = regexp.MustCompile(`^Cluster-\S+$`)

// rfc3339Validator accepts a time such as 2026-01-01T00:00:00+08:00.
type rfc3339Validator struct{}

func (rfc3339Validator) Description(context.Context) string {
	return "must be an RFC 3339 time such as 2026-01-01T00:00:00+08:00"
}

func (v rfc3339Validator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v rfc3339Validator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := time.Parse(time.RFC3339, req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid time",
			fmt.Sprintf("%s %s, got %q.", req.Path, v.Description(ctx), req.ConfigValue.ValueString()))
	}
}
