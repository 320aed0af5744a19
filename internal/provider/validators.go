package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/function"
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

// bucketNamePattern is OSS's bucket naming rule: 3-63 characters of
// lower-case letters, digits and hyphens, starting and ending with a letter
// or a digit (https://www.alibabacloud.com/help/en/oss/user-guide/bucket-naming-conventions).
var bucketNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)

// bucketRule completes "<attribute> must be ...".
const bucketRule = "an OSS bucket name: 3-63 characters of lower-case letters, digits and hyphens (-), starting and ending with a letter or a digit"

// bucketNameValidator accepts an OSS bucket name.
var bucketNameValidator = stringCheck{"Invalid OSS bucket name", "must be " + bucketRule,
	func(s string) error {
		if !bucketNamePattern.MatchString(s) {
			return errRuleBroken
		}
		return nil
	}, false}

// bindingURIValidator accepts oss://<bucket>, the only form of a binding's
// URI IMM documents (imm-api.md §11.3; DECISIONS.md).
var bindingURIValidator = stringCheck{"Invalid binding URI", "must be oss://<bucket> with no path after the bucket, " +
	"the bucket being " + bucketRule,
	func(s string) error {
		bucket, ok := strings.CutPrefix(s, "oss://")
		if !ok || !bucketNamePattern.MatchString(bucket) {
			return errRuleBroken
		}
		return nil
	}, false}

// clusterIDPattern is the shape of a face cluster's ObjectId.
var clusterIDPattern = regexp.MustCompile(`^Cluster-\S+$`)

// stringCheck is a plan-time validator for one string rule: the error names
// the attribute, says what the value must be, and shows the value.
type stringCheck struct {
	summary     string
	description string // "must be ...", completing "<attribute> ..."
	check       func(string) error
	hideValue   bool // the value may hold a secret (a URL with a token)
}

func (c stringCheck) Description(context.Context) string { return c.description }

func (c stringCheck) MarkdownDescription(ctx context.Context) string { return c.Description(ctx) }

func (c stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := c.check(req.ConfigValue.ValueString()); err != nil {
		detail := fmt.Sprintf("%s %s, got %q.", req.Path, c.description, req.ConfigValue.ValueString())
		if c.hideValue {
			detail = fmt.Sprintf("%s %s.", req.Path, c.description)
		}
		if !errors.Is(err, errRuleBroken) {
			detail += fmt.Sprintf(" (%v)", err)
		}
		resp.Diagnostics.AddAttributeError(req.Path, c.summary, detail)
	}
}

// errRuleBroken is a check's answer when the description says it all.
var errRuleBroken = errors.New("rule broken")

// durationValidator accepts a positive Go duration such as "5m" or "90s".
var durationValidator = stringCheck{"Invalid duration", `must be a positive duration such as "5m" or "90s"`,
	func(s string) error {
		if d, err := time.ParseDuration(s); err != nil || d < 0 {
			return errRuleBroken
		}
		return nil
	}, false}

// tagTextValidator applies Alibaba Cloud's general tag rule to a tag key or
// value.
var tagTextValidator = stringCheck{"Invalid tag", `must not start with "aliyun" or "acs:" and must not contain "http://" or "https://"`,
	func(s string) error {
		s = strings.ToLower(s)
		if strings.HasPrefix(s, "aliyun") || strings.HasPrefix(s, "acs:") || strings.Contains(s, "http://") || strings.Contains(s, "https://") {
			return errRuleBroken
		}
		return nil
	}, false}

// rfc3339Validator accepts a time such as 2026-01-01T00:00:00+08:00.
var rfc3339Validator = stringCheck{"Invalid time", "must be an RFC 3339 time such as 2026-01-01T00:00:00+08:00",
	func(s string) error {
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return errRuleBroken
		}
		return nil
	}, false}

// ValidateParameterString makes a stringCheck a provider function parameter's
// validator too, so that a function's argument follows the same rule, with the
// same words, as a resource's attribute.
func (c stringCheck) ValidateParameterString(_ context.Context, req function.StringParameterValidatorRequest, resp *function.StringParameterValidatorResponse) {
	if req.Value.IsNull() || req.Value.IsUnknown() {
		return
	}
	if err := c.check(req.Value.ValueString()); err != nil {
		msg := fmt.Sprintf("%s, got %q", c.description, req.Value.ValueString())
		if c.hideValue {
			msg = c.description
		}
		if !errors.Is(err, errRuleBroken) {
			msg += fmt.Sprintf(" (%v)", err)
		}
		resp.Error = function.NewArgumentFuncError(req.ArgumentPosition, msg)
	}
}
