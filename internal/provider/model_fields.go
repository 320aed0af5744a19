package provider

import (
	"fmt"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/attr"
)

// modelField returns the field of a resource model (a pointer to a struct with
// tfsdk tags) that holds the attribute name. The shared mechanisms (partial
// updates, the consistency record) work on attribute names, so that every
// resource uses them the same way.
func modelField(model any, name string) reflect.Value {
	v := reflect.ValueOf(model)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("modelField: %T is not a pointer to a struct", model))
	}
	v = v.Elem()
	for i := 0; i < v.NumField(); i++ {
		if v.Type().Field(i).Tag.Get("tfsdk") == name {
			return v.Field(i)
		}
	}
	panic(fmt.Sprintf("modelField: %s has no attribute %q", v.Type(), name))
}

// attributeValue reads the attribute name of a model.
func attributeValue(model any, name string) attr.Value {
	return modelField(model, name).Interface().(attr.Value)
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
	d, s := reflect.ValueOf(dst).Elem(), reflect.ValueOf(src).Elem()
	for i := 0; i < d.NumField(); i++ {
		v, ok := d.Field(i).Interface().(attr.Value)
		if ok && v.IsUnknown() {
			d.Field(i).Set(s.Field(i))
		}
	}
}
