package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ function.Function = &parseImportIDFunction{}

// NewParseImportIDFunction is provider::imm::parse_import_id.
func NewParseImportIDFunction() function.Function { return &parseImportIDFunction{} }

type parseImportIDFunction struct{}

func (f *parseImportIDFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "parse_import_id"
}

func (f *parseImportIDFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Splits a resource's import ID into its attributes",
		MarkdownDescription: "Splits the import ID of a resource of this provider into an object whose attributes are the " +
			"parts of that resource type's ID, checked as `terraform import` checks them (IMM's name rule for " +
			"`project_name` and `dataset_name`, `oss://<bucket>` for `uri`, OSS's bucket rule for `oss_bucket`). " +
			"`build_import_id` joins them back. The import IDs:\n\n" +
			importIDFormatsMarkdown(),
		Parameters: []function.Parameter{
			resourceTypeParameter(),
			function.StringParameter{Name: "import_id", MarkdownDescription: "The import ID, such as `media/photos` for an `imm_dataset`."},
		},
		Return: function.DynamicReturn{},
	}
}

func (f *parseImportIDFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var resourceType, id string
	resp.Error = req.Arguments.Get(ctx, &resourceType, &id)
	if resp.Error != nil {
		return
	}
	format, funcErr := importIDFormatArgument(resourceType)
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	values, err := format.parse(id)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(1, fmt.Sprintf("is not an import ID of an %s: %v", resourceType, err))
		return
	}
	attrTypes := make(map[string]attr.Type, len(values))
	attrValues := make(map[string]attr.Value, len(values))
	for i, name := range format.attributes {
		attrTypes[name] = types.StringType
		attrValues[name] = types.StringValue(values[i])
	}
	obj, diags := types.ObjectValue(attrTypes, attrValues)
	if diags.HasError() {
		resp.Error = function.FuncErrorFromDiags(ctx, diags)
		return
	}
	resp.Error = resp.Result.Set(ctx, types.DynamicValue(obj))
}

// resourceTypeParameter is the first parameter of parse_import_id and
// build_import_id.
func resourceTypeParameter() function.StringParameter {
	return function.StringParameter{Name: "resource_type",
		MarkdownDescription: "The resource type whose import ID it is: one of `" + strings.Join(importIDResourceTypes(), "`, `") + "`."}
}

// importIDFormatArgument looks up the resource type given as the first
// argument, or says which types there are.
func importIDFormatArgument(resourceType string) (importIDFormat, *function.FuncError) {
	format, ok := importIDFormats()[resourceType]
	if !ok {
		return importIDFormat{}, function.NewArgumentFuncError(0, fmt.Sprintf("must be a resource type of this provider with an import ID: one of %s; got %q",
			strings.Join(importIDResourceTypes(), ", "), resourceType))
	}
	return format, nil
}

// importIDFormatsMarkdown lists every resource type's import ID, for the
// functions' documentation.
func importIDFormatsMarkdown() string {
	var b strings.Builder
	for _, t := range importIDResourceTypes() {
		f := importIDFormats()[t]
		fmt.Fprintf(&b, "- `%s`: `%s`", t, f)
		if f.lastHoldsSlashes() {
			fmt.Fprintf(&b, " (`%s` may hold `/`)", f.attributes[len(f.attributes)-1])
		}
		b.WriteString("\n")
	}
	return b.String()
}
