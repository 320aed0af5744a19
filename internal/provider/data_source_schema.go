package provider

import (
	"context"
	"fmt"
	"slices"

	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A data source shows the same attributes as its resource, so its schema is
// derived from the resource's: the same names, types and descriptions, all
// computed. The data source then marks its own arguments.

// computedAttributes returns the resource's attributes as computed data
// source attributes, leaving out the resource's own arguments (such as
// force_destroy) named in omit.
func computedAttributes(r resource.Resource, omit ...string) map[string]dsschema.Attribute {
	var resp resource.SchemaResponse
	r.Schema(context.Background(), resource.SchemaRequest{}, &resp)
	out := make(map[string]dsschema.Attribute, len(resp.Schema.Attributes))
	for name, a := range resp.Schema.Attributes {
		if slices.Contains(omit, name) {
			continue
		}
		out[name] = computedAttribute(a)
	}
	return out
}

// computedAttribute is a resource attribute as a computed data source
// attribute, described by what the value is (without the argument notes).
func computedAttribute(a rschema.Attribute) dsschema.Attribute {
	description := withoutNotes(a.GetMarkdownDescription())
	switch a := a.(type) {
	case rschema.StringAttribute:
		return dsschema.StringAttribute{MarkdownDescription: description, Computed: true}
	case rschema.Int64Attribute:
		return dsschema.Int64Attribute{MarkdownDescription: description, Computed: true}
	case rschema.Float64Attribute:
		return dsschema.Float64Attribute{MarkdownDescription: description, Computed: true}
	case rschema.BoolAttribute:
		return dsschema.BoolAttribute{MarkdownDescription: description, Computed: true}
	case rschema.MapAttribute:
		return dsschema.MapAttribute{MarkdownDescription: description, Computed: true, ElementType: a.ElementType}
	case rschema.ListAttribute:
		return dsschema.ListAttribute{MarkdownDescription: description, Computed: true, ElementType: a.ElementType}
	case rschema.SingleNestedAttribute:
		return dsschema.SingleNestedAttribute{MarkdownDescription: description, Computed: true, Attributes: computedNested(a.Attributes)}
	case rschema.ListNestedAttribute:
		return dsschema.ListNestedAttribute{MarkdownDescription: description, Computed: true,
			NestedObject: dsschema.NestedAttributeObject{Attributes: computedNested(a.NestedObject.Attributes)}}
	default:
		panic(fmt.Sprintf("computedAttribute: %T is not handled", a))
	}
}

// computedNested is computedAttribute for each attribute of a nested object.
func computedNested(attrs map[string]rschema.Attribute) map[string]dsschema.Attribute {
	out := make(map[string]dsschema.Attribute, len(attrs))
	for name, a := range attrs {
		out[name] = computedAttribute(a)
	}
	return out
}

// lookupArgument turns a derived attribute into a required argument of a
// single-object data source, keeping its description.
func lookupArgument(attrs map[string]dsschema.Attribute, name string, validators ...validator.String) {
	a, ok := attrs[name].(dsschema.StringAttribute)
	if !ok {
		panic("lookupArgument: " + name + " is not a string attribute")
	}
	a.Computed, a.Required, a.Validators = false, true, validators
	attrs[name] = a
}

// listOf is a computed list of objects with the given attributes.
func listOf(description string, attrs map[string]dsschema.Attribute) dsschema.ListNestedAttribute {
	return dsschema.ListNestedAttribute{
		MarkdownDescription: description,
		Computed:            true,
		NestedObject:        dsschema.NestedAttributeObject{Attributes: attrs},
	}
}

// namesOf is a computed list of strings.
func namesOf(description string) dsschema.ListAttribute {
	return dsschema.ListAttribute{MarkdownDescription: description, Computed: true, ElementType: types.StringType}
}
