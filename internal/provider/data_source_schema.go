package provider

import (
	"context"
	"fmt"
	"strings"

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
		if contains(omit, name) {
			continue
		}
		out[name] = computedAttribute(a)
	}
	return out
}

// argumentNotes start the part of a resource attribute's description that
// says how it behaves as an argument; a data source shows only the part
// before, which says what the value is.
var argumentNotes = []string{" Optional;", " Changing it", " A change sends", " Changing a trigger"}

func computedAttribute(a rschema.Attribute) dsschema.Attribute {
	description := a.GetMarkdownDescription()
	for _, note := range argumentNotes {
		if i := strings.Index(description, note); i >= 0 {
			description = description[:i]
		}
	}
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
	default:
		panic(fmt.Sprintf("computedAttribute: %T is not handled", a))
	}
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

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
