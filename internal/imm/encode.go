package imm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// encodeParams turns a request struct into the query parameters IMM expects,
// the way the official SDK does (imm-api.md §1):
//   - the parameter name is the field's json tag;
//   - a nil pointer, nil slice or nil map is left out; a non-nil empty slice or
//     map is sent (Tag=[] clears a project's tags);
//   - a field tagged omitempty is left out when empty, as encoding/json would
//     leave it out (NextToken="" is not sent, as the SDK sends no nil
//     *string);
//   - strings, integers and booleans are sent as text (int64 exactly);
//   - slices, maps and structs are "shrink" parameters: one key whose value is
//     their JSON text, encoded without HTML escaping, map keys sorted.
func encodeParams(req any) (map[string]*string, error) {
	out := map[string]*string{}
	v := reflect.ValueOf(req)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return out, nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil, fmt.Errorf("encodeParams: %s is not a struct", v.Type())
	}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		name, opts, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		if hasOption(opts, "omitempty") && isEmptyValue(v.Field(i)) {
			continue
		}
		text, present, err := encodeValue(v.Field(i))
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %w", name, err)
		}
		if present {
			out[name] = &text
		}
	}
	return out, nil
}

func hasOption(opts, want string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == want {
			return true
		}
	}
	return false
}

// isEmptyValue is encoding/json's notion of empty, which omitempty uses.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

func encodeValue(f reflect.Value) (text string, present bool, err error) {
	switch f.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		if f.IsNil() {
			return "", false, nil
		}
	}
	if f.Kind() == reflect.Pointer {
		f = f.Elem()
	}
	switch f.Kind() {
	case reflect.String:
		return f.String(), true, nil
	case reflect.Int, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(f.Int(), 10), true, nil
	case reflect.Bool:
		return strconv.FormatBool(f.Bool()), true, nil
	case reflect.Slice, reflect.Map, reflect.Struct, reflect.Interface:
		s, err := shrink(f.Interface())
		return s, err == nil, err
	default:
		return "", false, fmt.Errorf("unsupported kind %s", f.Kind())
	}
}

// shrink encodes v as the SDK's ArrayToStringWithSpecifiedStyle(v, name,
// "json") does: encoding/json without HTML escaping, trailing newline removed.
func shrink(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimRight(buf.String(), "\n"), nil
}
