package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// knownString is v's value, or nil when v is null or unknown (left to IMM).
func knownString(v types.String) *string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	return v.ValueStringPointer()
}

// knownInt64 is v's value, or nil when v is null or unknown (left to IMM).
func knownInt64(v types.Int64) *int64 {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	return v.ValueInt64Pointer()
}

// stringMap reads a map of strings; null and unknown read as nil.
func stringMap(ctx context.Context, m types.Map) (map[string]string, diag.Diagnostics) {
	if m.IsNull() || m.IsUnknown() {
		return nil, nil
	}
	out := map[string]string{}
	diags := m.ElementsAs(ctx, &out, false)
	return out, diags
}

// expandTags turns a tags map into IMM's Tag parameter, sorted by key. A null
// map is nil (not sent) unless clearWhenNull is set, when it is an empty list (IMM
// then removes every tag).
func expandTags(ctx context.Context, m types.Map, clearWhenNull bool) ([]imm.Tag, diag.Diagnostics) {
	tags, diags := stringMap(ctx, m)
	if tags == nil {
		if clearWhenNull {
			return []imm.Tag{}, diags
		}
		return nil, diags
	}
	return tagList(tags), diags
}

// flattenStringMap turns IMM's map into a Terraform map. An empty map reads
// as null, unless prior (what state held) is an empty map: a configuration
// that says tags = {} must not see a diff against a read that says nothing.
func flattenStringMap(m map[string]string, prior types.Map) types.Map {
	if len(m) == 0 {
		if !prior.IsNull() && !prior.IsUnknown() && len(prior.Elements()) == 0 {
			return prior
		}
		return types.MapNull(types.StringType)
	}
	return stringMapValue(m)
}

// jsonValuesAsText turns a map of JSON values (IMM's custom labels and
// custom tags) into strings: a string is itself, anything else its JSON text
// (`{"a":1}`, `2`, `true`).
func jsonValuesAsText(m map[string]any) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
			continue
		}
		// A value decoded from IMM's JSON encodes again.
		text, err := json.Marshal(v)
		if err != nil {
			text = []byte(fmt.Sprint(v))
		}
		out[k] = string(text)
	}
	return out
}

// stringMapValue is m as a Terraform map of strings. Built from string
// values of the map's own element type, it cannot fail.
func stringMapValue(m map[string]string) types.Map {
	elems := make(map[string]attr.Value, len(m))
	for k, v := range m {
		elems[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, elems)
}
