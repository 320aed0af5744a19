package provider

import (
	"context"
	"fmt"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Models are structs of attr.Value fields with tfsdk tags, possibly with
// embedded structs of such fields (a resource embeds the fields it shares
// with its data sources). The shared mechanisms (partial updates, the
// consistency record) work on attribute names, so that every resource uses
// them the same way.

// modelField returns the field of a model (a pointer to a struct) that holds
// the attribute name.
func modelField(model any, name string) reflect.Value {
	v := reflect.ValueOf(model)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("modelField: %T is not a pointer to a struct", model))
	}
	if f, ok := findField(v.Elem(), name); ok {
		return f
	}
	panic(fmt.Sprintf("modelField: %T has no attribute %q", model, name))
}

func findField(v reflect.Value, name string) (reflect.Value, bool) {
	for i := 0; i < v.NumField(); i++ {
		sf := v.Type().Field(i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			if f, ok := findField(v.Field(i), name); ok {
				return f, true
			}
			continue
		}
		if sf.Tag.Get("tfsdk") == name {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

// attributeValue reads the attribute name of a model.
func attributeValue(model any, name string) attr.Value {
	v, ok := modelField(model, name).Interface().(attr.Value)
	if !ok {
		panic(fmt.Sprintf("attributeValue: %T's %q is not an attribute value", model, name))
	}
	return v
}

// setAttributeValue writes the attribute name of a model.
func setAttributeValue(model any, name string, value attr.Value) {
	modelField(model, name).Set(reflect.ValueOf(value))
}

// fillUnknown copies into dst every attribute value that is unknown in dst
// from src (both pointers to the same model type). After a write, state
// holds the plan, and what the plan left to the service (Optional+Computed
// arguments left out, computed attributes) comes from IMM's answer.
func fillUnknown(dst, src any) {
	fillUnknownFields(reflect.ValueOf(dst).Elem(), reflect.ValueOf(src).Elem())
}

func fillUnknownFields(d, s reflect.Value) {
	for i := 0; i < d.NumField(); i++ {
		if d.Type().Field(i).Anonymous && d.Field(i).Kind() == reflect.Struct {
			fillUnknownFields(d.Field(i), s.Field(i))
			continue
		}
		if v, ok := d.Field(i).Interface().(attr.Value); ok && v.IsUnknown() {
			d.Field(i).Set(s.Field(i))
		}
	}
}

// stringAttribute reads the string attribute name of a model; null and
// unknown read as "".
func stringAttribute(model any, name string) string {
	if s, ok := attributeValue(model, name).(types.String); ok {
		return s.ValueString()
	}
	panic(fmt.Sprintf("stringAttribute: %T's %q is not a string", model, name))
}

// hasAttribute reports whether a model (a pointer to a struct) has the
// attribute name.
func hasAttribute(model any, name string) bool {
	_, ok := findField(reflect.ValueOf(model).Elem(), name)
	return ok
}

// forEachAttribute calls f with every attribute of a model (a pointer to a
// struct), embedded structs included.
func forEachAttribute(model any, f func(name string, v attr.Value)) {
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		for i := 0; i < v.NumField(); i++ {
			sf := v.Type().Field(i)
			if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
				walk(v.Field(i))
				continue
			}
			if value, ok := v.Field(i).Interface().(attr.Value); ok && sf.Tag.Get("tfsdk") != "" {
				f(sf.Tag.Get("tfsdk"), value)
			}
		}
	}
	walk(reflect.ValueOf(model).Elem())
}

// nullValue is the null value of v's type.
func nullValue(v attr.Value) attr.Value {
	ctx := context.Background()
	typ := v.Type(ctx)
	null, err := typ.ValueFromTerraform(ctx, tftypes.NewValue(typ.TerraformType(ctx), nil))
	if err != nil {
		panic(fmt.Sprintf("nullValue: %T: %v", v, err))
	}
	return null
}
