package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

var _ function.Function = &buildImportIDFunction{}

// NewBuildImportIDFunction is provider::imm::build_import_id.
func NewBuildImportIDFunction() function.Function { return &buildImportIDFunction{} }

type buildImportIDFunction struct{}

func (f *buildImportIDFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "build_import_id"
}

func (f *buildImportIDFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Joins a resource's attributes into its import ID",
		MarkdownDescription: "Builds the import ID of a resource of this provider from an object that holds the attributes " +
			"the ID is made of: an object literal such as `{ project_name = \"media\", dataset_name = \"photos\" }`, or a " +
			"resource or data source object (other attributes are ignored). Each part is checked as `terraform import` " +
			"checks it, so the ID always imports, and `parse_import_id` splits it back. The result is unknown until the " +
			"parts it needs are known. The import IDs:\n\n" + importIDFormatsMarkdown(),
		Parameters: []function.Parameter{
			resourceTypeParameter(),
			function.DynamicParameter{Name: "attributes", AllowUnknownValues: true,
				MarkdownDescription: "An object or map with a string for each part of the resource type's import ID."},
		},
		Return: function.StringReturn{},
	}
}

func (f *buildImportIDFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var resourceType string
	var attributes types.Dynamic
	resp.Error = req.Arguments.Get(ctx, &resourceType, &attributes)
	if resp.Error != nil {
		return
	}
	format, funcErr := importIDFormatArgument(resourceType)
	if funcErr != nil {
		resp.Error = funcErr
		return
	}
	values, known, funcErr := importIDParts(format, resourceType, attributes)
	if funcErr != nil || !known {
		resp.Error = funcErr
		if funcErr == nil {
			resp.Error = resp.Result.Set(ctx, types.StringUnknown())
		}
		return
	}
	id, err := format.build(values)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(1, fmt.Sprintf("cannot make an import ID of an %s: %v", resourceType, err))
		return
	}
	resp.Error = resp.Result.Set(ctx, id)
}

// importIDParts picks from attributes (an object or a map) the strings the
// format needs, in its order; known is false when one of them is not known
// yet.
func importIDParts(format importIDFormat, resourceType string, attributes types.Dynamic) (values []string, known bool, funcErr *function.FuncError) {
	if attributes.IsUnknown() || attributes.IsUnderlyingValueUnknown() {
		return nil, false, nil
	}
	var fields map[string]attr.Value
	switch v := attributes.UnderlyingValue().(type) {
	case basetypes.ObjectValue:
		fields = v.Attributes()
	case basetypes.MapValue:
		fields = v.Elements()
	default:
		return nil, false, function.NewArgumentFuncError(1, fmt.Sprintf("must be an object or a map with the parts of the import ID %s, "+
			"such as %s", format, exampleImportIDObject(format)))
	}
	known = true
	for _, name := range format.attributes {
		v, ok := fields[name]
		if !ok || v.IsNull() {
			return nil, false, function.NewArgumentFuncError(1, fmt.Sprintf("has no %s: the import ID of an %s is %s", name, resourceType, format))
		}
		if v.IsUnknown() {
			known = false
			continue
		}
		s, ok := v.(basetypes.StringValue)
		if !ok {
			return nil, false, function.NewArgumentFuncError(1, fmt.Sprintf("must hold %s as a string", name))
		}
		values = append(values, s.ValueString())
	}
	return values, known, nil
}

// exampleImportIDObject shows the object a format needs:
// { project_name = "...", dataset_name = "..." }.
func exampleImportIDObject(format importIDFormat) string {
	parts := make([]string, len(format.attributes))
	for i, name := range format.attributes {
		parts[i] = name + ` = "..."`
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}
