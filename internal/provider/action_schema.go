package provider

import (
	"fmt"

	aschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// An action that takes what a resource takes (a batch run takes a trigger's
// input and actions) derives those arguments from the resource's schema, as
// data sources derive theirs: the same names, types, validators and the
// "what" part of each description.

// actionArguments returns the named attributes of a resource schema as action
// arguments; a Computed argument becomes plain Optional.
func actionArguments(attrs map[string]rschema.Attribute, names ...string) map[string]aschema.Attribute {
	out := make(map[string]aschema.Attribute, len(names))
	for _, name := range names {
		a, ok := attrs[name]
		if !ok {
			panic("actionArguments: no attribute " + name)
		}
		out[name] = actionArgument(a)
	}
	return out
}

func actionArgument(a rschema.Attribute) aschema.Attribute {
	description := withoutNotes(a.GetMarkdownDescription())
	required, optional := a.IsRequired(), a.IsOptional() || (a.IsComputed() && !a.IsRequired())
	switch a := a.(type) {
	case rschema.StringAttribute:
		return aschema.StringAttribute{MarkdownDescription: description, Required: required, Optional: optional, Validators: a.Validators}
	case rschema.Int64Attribute:
		return aschema.Int64Attribute{MarkdownDescription: description, Required: required, Optional: optional, Validators: a.Validators}
	case rschema.BoolAttribute:
		return aschema.BoolAttribute{MarkdownDescription: description, Required: required, Optional: optional, Validators: a.Validators}
	case rschema.ListAttribute:
		return aschema.ListAttribute{MarkdownDescription: description, Required: required, Optional: optional,
			ElementType: a.ElementType, Validators: a.Validators}
	case rschema.MapAttribute:
		return aschema.MapAttribute{MarkdownDescription: description, Required: required, Optional: optional,
			ElementType: a.ElementType, Validators: a.Validators}
	case rschema.SingleNestedAttribute:
		return aschema.SingleNestedAttribute{MarkdownDescription: description, Required: required, Optional: optional,
			Attributes: actionArguments(a.Attributes, keysOf(a.Attributes)...), Validators: a.Validators}
	case rschema.ListNestedAttribute:
		return aschema.ListNestedAttribute{MarkdownDescription: description, Required: required, Optional: optional,
			NestedObject: aschema.NestedAttributeObject{Attributes: actionArguments(a.NestedObject.Attributes, keysOf(a.NestedObject.Attributes)...)},
			Validators:   a.Validators}
	default:
		panic(fmt.Sprintf("actionArgument: %T is not handled", a))
	}
}

func keysOf[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}
