package provider

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// What IMM says of a trigger (its DataIngestion structure, imm-api.md
// §13.1), as the imm_trigger resource and its data sources show it, and the
// conversions between the two: expand builds IMM's parameters from the
// model, flatten writes IMM's answer into it.

// triggerFields are the attributes imm_trigger shares with its data sources.
type triggerFields struct {
	ID           types.String `tfsdk:"id"`
	ProjectName  types.String `tfsdk:"project_name"`
	Input        types.Object `tfsdk:"input"`
	Actions      types.List   `tfsdk:"actions"`
	ServiceRole  types.String `tfsdk:"service_role"`
	Notification types.Object `tfsdk:"notification"`
	Tags         types.Map    `tfsdk:"tags"`
	Suspended    types.Bool   `tfsdk:"suspended"`
	State        types.String `tfsdk:"state"`
	Error        types.String `tfsdk:"error"`
	Statistics   types.Object `tfsdk:"statistics"`
	CreateTime   types.String `tfsdk:"create_time"`
	UpdateTime   types.String `tfsdk:"update_time"`
}

// triggerInput is the input object: IMM's Input.OSS.
type triggerInput struct {
	Bucket           types.String `tfsdk:"bucket"`
	Prefix           types.String `tfsdk:"prefix"`
	MatchExpressions types.List   `tfsdk:"match_expressions"`
}

// triggerAction is one element of actions.
type triggerAction struct {
	Name           types.String `tfsdk:"name"`
	Parameters     types.List   `tfsdk:"parameters"`
	FastFailPolicy types.String `tfsdk:"fast_fail_policy"`
}

// triggerNotification is the notification object.
type triggerNotification struct {
	MNSTopicName types.String `tfsdk:"mns_topic_name"`
}

var (
	stringListType      = types.ListType{ElemType: types.StringType}
	triggerInputTypes   = map[string]attr.Type{"bucket": types.StringType, "prefix": types.StringType, "match_expressions": stringListType}
	triggerActionTypes  = map[string]attr.Type{"name": types.StringType, "parameters": stringListType, "fast_fail_policy": types.StringType}
	triggerActionType   = types.ObjectType{AttrTypes: triggerActionTypes}
	triggerNoticeTypes  = map[string]attr.Type{"mns_topic_name": types.StringType}
	triggerCounterTypes = map[string]attr.Type{"submit_success": types.Int64Type, "submit_failure": types.Int64Type, "skip_files": types.Int64Type}
)

// triggerActionNamePattern is the shape of a processing template's name,
// <category>/<operation> in lower case, as every name imm-api.md §13.4 shows
// has it (doc/convert, image/detect, video/convert). IMM publishes no list of
// names, so the provider checks the shape, not a list that would refuse
// templates IMM accepts (DECISIONS.md, "Trigger action names").
var triggerActionNamePattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:[-_][a-z0-9]+)*$`)

// triggerStates are the states IMM gives triggers (imm-api.md §13.1).
var triggerStates = []string{imm.StateReady, imm.StateRunning, imm.StateFailed, imm.StateSuspended, imm.StateSucceeded}

// ossBucketPattern is OSS's bucket naming rule: 3-63 characters of a-z, 0-9
// and -, starting and ending with a letter or a digit
// (https://www.alibabacloud.com/help/en/oss/user-guide/bucket-naming-conventions).
var ossBucketPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)

// ossBucketRule completes "<attribute> ..." in a plan-time error.
const ossBucketRule = "must be an OSS bucket name: 3-63 characters of lower-case letters, digits and hyphens, starting " +
	"and ending with a letter or a digit"

// expandCreateTrigger builds CreateTrigger's parameters. ServiceRole left
// to IMM is not sent.
func expandCreateTrigger(ctx context.Context, m *triggerFields) (imm.CreateTriggerRequest, diag.Diagnostics) {
	var diags diag.Diagnostics
	// ServiceRole unknown (left to IMM) reads "", which is not sent.
	req := imm.CreateTriggerRequest{ProjectName: m.ProjectName.ValueString(), ServiceRole: m.ServiceRole.ValueString()}
	var d diag.Diagnostics
	req.Input, d = expandTriggerInput(ctx, m.Input)
	diags.Append(d...)
	req.Actions, d = expandTriggerActions(ctx, m.Actions)
	diags.Append(d...)
	req.Notification, d = expandTriggerNotification(ctx, m.Notification)
	diags.Append(d...)
	req.Tags, d = stringMap(ctx, m.Tags)
	diags.Append(d...)
	return req, diags
}

func expandTriggerInput(ctx context.Context, v types.Object) (imm.Input, diag.Diagnostics) {
	var in triggerInput
	diags := v.As(ctx, &in, basetypes.ObjectAsOptions{})
	oss := imm.InputOSS{Bucket: in.Bucket.ValueString(), Prefix: in.Prefix.ValueString()}
	diags.Append(in.MatchExpressions.ElementsAs(ctx, &oss.MatchExpressions, false)...)
	return imm.Input{OSS: &oss}, diags
}

func expandTriggerActions(ctx context.Context, v types.List) ([]imm.IngestionAction, diag.Diagnostics) {
	var actions []triggerAction
	diags := v.ElementsAs(ctx, &actions, false)
	out := make([]imm.IngestionAction, len(actions))
	for i, a := range actions {
		out[i].Name = a.Name.ValueString()
		diags.Append(a.Parameters.ElementsAs(ctx, &out[i].Parameters, false)...)
		if !a.FastFailPolicy.IsNull() {
			out[i].FastFailPolicy = &imm.FastFailPolicy{Action: a.FastFailPolicy.ValueString()}
		}
	}
	return out, diags
}

func expandTriggerNotification(ctx context.Context, v types.Object) (*imm.Notification, diag.Diagnostics) {
	if v.IsNull() || v.IsUnknown() {
		return nil, nil
	}
	var n triggerNotification
	diags := v.As(ctx, &n, basetypes.ObjectAsOptions{})
	return &imm.Notification{MNS: &imm.MNS{TopicName: n.MNSTopicName.ValueString()}}, diags
}

// flattenTrigger writes what IMM says of a trigger into m. prior is what
// state held: tags = {} reads back as written, and suspended, which only
// Running and Suspended tell, keeps its value in other states (false when
// there is none).
func flattenTrigger(ctx context.Context, d *imm.DataIngestion, project string, m *triggerFields, prior triggerFields) diag.Diagnostics {
	var diags diag.Diagnostics
	var dd diag.Diagnostics
	m.ID = types.StringValue(d.Id)
	m.ProjectName = types.StringValue(project)
	m.Input, dd = flattenTriggerInput(ctx, d.Input)
	diags.Append(dd...)
	m.Actions, dd = flattenTriggerActions(ctx, d.Actions)
	diags.Append(dd...)
	m.ServiceRole = types.StringValue(d.ServiceRole)
	m.Notification, dd = flattenTriggerNotification(d.Notification)
	diags.Append(dd...)
	m.Tags = flattenStringMap(jsonValuesAsText(d.Tags), prior.Tags)
	switch {
	case d.State == imm.StateSuspended:
		m.Suspended = types.BoolValue(true)
	case d.State == imm.StateRunning, prior.Suspended.IsNull(), prior.Suspended.IsUnknown():
		m.Suspended = types.BoolValue(false)
	default:
		m.Suspended = prior.Suspended
	}
	m.State = types.StringValue(d.State)
	m.Error = types.StringValue(d.Error)
	m.Statistics, dd = types.ObjectValue(triggerCounterTypes, map[string]attr.Value{
		"submit_success": types.Int64Value(d.Statistic.SubmitSuccess),
		"submit_failure": types.Int64Value(d.Statistic.SubmitFailure),
		"skip_files":     types.Int64Value(d.Statistic.SkipFiles),
	})
	diags.Append(dd...)
	m.CreateTime = types.StringValue(d.CreateTime)
	m.UpdateTime = types.StringValue(d.UpdateTime)
	return diags
}

func flattenTriggerInput(ctx context.Context, in imm.Input) (types.Object, diag.Diagnostics) {
	oss := imm.InputOSS{}
	if in.OSS != nil {
		oss = *in.OSS
	}
	expressions, diags := optionalStringList(ctx, oss.MatchExpressions)
	v, d := types.ObjectValue(triggerInputTypes, map[string]attr.Value{
		"bucket":            types.StringValue(oss.Bucket),
		"prefix":            optionalString(oss.Prefix),
		"match_expressions": expressions,
	})
	diags.Append(d...)
	return v, diags
}

func flattenTriggerActions(ctx context.Context, actions []imm.IngestionAction) (types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	elems := make([]attr.Value, len(actions))
	for i, a := range actions {
		params, d := optionalStringList(ctx, a.Parameters)
		diags.Append(d...)
		policy := types.StringNull()
		if a.FastFailPolicy != nil {
			policy = types.StringValue(a.FastFailPolicy.Action)
		}
		elems[i], d = types.ObjectValue(triggerActionTypes, map[string]attr.Value{
			"name": types.StringValue(a.Name), "parameters": params, "fast_fail_policy": policy})
		diags.Append(d...)
	}
	v, d := types.ListValue(triggerActionType, elems)
	diags.Append(d...)
	return v, diags
}

// flattenTriggerNotification reads the MNS topic, which answers may also
// give as Topic.
func flattenTriggerNotification(n *imm.Notification) (types.Object, diag.Diagnostics) {
	topic := ""
	if n != nil {
		topic = n.Topic
		if n.MNS != nil && n.MNS.TopicName != "" {
			topic = n.MNS.TopicName
		}
	}
	if topic == "" {
		return types.ObjectNull(triggerNoticeTypes), nil
	}
	return types.ObjectValue(triggerNoticeTypes, map[string]attr.Value{"mns_topic_name": types.StringValue(topic)})
}

// optionalString is s, or null when IMM gives none.
func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// optionalStringList is a list of strings, or null when IMM gives none (the
// schema refuses empty lists, so none means not set).
func optionalStringList(ctx context.Context, s []string) (types.List, diag.Diagnostics) {
	if len(s) == 0 {
		return types.ListNull(types.StringType), nil
	}
	return types.ListValueFrom(ctx, types.StringType, s)
}

// nullTriggerFields are a trigger's attributes, all null with their types:
// what a create knows before IMM's reads show the trigger.
func nullTriggerFields() triggerFields {
	return triggerFields{
		Input:        types.ObjectNull(triggerInputTypes),
		Actions:      types.ListNull(triggerActionType),
		Notification: types.ObjectNull(triggerNoticeTypes),
		Tags:         types.MapNull(types.StringType),
		Statistics:   types.ObjectNull(triggerCounterTypes),
	}
}
