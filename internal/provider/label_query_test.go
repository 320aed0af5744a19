package provider

import (
	"strings"
	"testing"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestLabelsQueryQuotesEveryValueAndEscapesQuotesAndBackslashes(t *testing.T) {
	tests := []struct {
		name   string
		labels map[string]string
		want   string
	}{
		{"no labels, no condition", nil, ""},
		{"a plain value is quoted too", map[string]string{"team": "media"}, `team="media"`},
		{"keys sorted, joined by and", map[string]string{"team": "media", "a": "1", "关系": "家人"}, `a="1" and team="media" and 关系="家人"`},
		{"double quotes", map[string]string{"note": `say "hi"`}, `note="say \"hi\""`},
		{"JSON text", map[string]string{"note": `{"a":1}`}, `note="{\"a\":1}"`},
		{"backslashes, trailing one too", map[string]string{"note": `C:\photos\`}, `note="C:\\photos\\"`},
		{"an escaped quote stays distinct", map[string]string{"note": `say \"hi\"`}, `note="say \\\"hi\\\""`},
		{"equals", map[string]string{"note": "a=b"}, `note="a=b"`},
		{"the word and", map[string]string{"note": "rock and roll"}, `note="rock and roll"`},
		{"spaces kept", map[string]string{"note": "  two  spaces "}, `note="  two  spaces "`},
		{"Chinese and emoji as they are", map[string]string{"note": "家人 合影🙂"}, `note="家人 合影🙂"`},
		{"the empty value", map[string]string{"note": ""}, `note=""`},
		{"a line break as it is", map[string]string{"note": "a\nb"}, "note=\"a\nb\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := labelsQuery(tt.labels); got != tt.want {
				t.Errorf("labelsQuery(%q) = %s, want %s", tt.labels, got, tt.want)
			}
		})
	}
}

// The key rule must be the emulator's: unicode.IsSpace, '=', '"' and '\'.
func TestLabelQueryKeyPatternRefusesExactlyWhiteSpaceEqualsQuotesAndBackslashes(t *testing.T) {
	for r := rune(0); r <= 0x10FFFF; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue // surrogates are not characters
		}
		if (r > 0x3100 && r < 0xFE00) || (r > 0xFFFF && r < 0x1F000) || r > 0x1FFFF {
			continue // no white space there; keep the test quick
		}
		want := !unicode.IsSpace(r) && !strings.ContainsRune(`="\`, r)
		if got := labelQueryKeyPattern.MatchString("k" + string(r) + "k"); got != want {
			t.Errorf("key with %U: allowed = %v, want %v", r, got, want)
		}
	}
	if labelQueryKeyPattern.MatchString("") {
		t.Error("the empty key must not match")
	}
}

func TestCustomLabelsKeysTheQueryCannotExpressAreRefusedWithTheReason(t *testing.T) {
	tests := []struct {
		key     string
		refused bool
	}{
		{"team", false},
		{"关系", false},
		{"a.b-c_d:e/f", false},
		{"🙂", false},
		{"it's", false},
		{"and", false},
		{"my key", true},
		{"tab\tkey", true},
		{"全角\u3000空格", true},
		{"nbsp\u00a0key", true},
		{"a=b", true},
		{`say"hi"`, true},
		{`C:\x`, true},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			req := validator.MapRequest{
				Path:        path.Root("custom_labels"),
				ConfigValue: types.MapValueMust(types.StringType, map[string]attr.Value{tt.key: types.StringValue(`any "value" \ = and`)}),
			}
			var resp validator.MapResponse
			labelQueryKeys().ValidateMap(t.Context(), req, &resp)
			if resp.Diagnostics.HasError() != tt.refused {
				t.Fatalf("key %q: refused = %v, want %v (%v)", tt.key, resp.Diagnostics.HasError(), tt.refused, resp.Diagnostics)
			}
			if tt.refused {
				detail := resp.Diagnostics.Errors()[0].Detail()
				if !strings.Contains(detail, "CustomLabels query can express: no white space") || !strings.Contains(detail, tt.key) {
					t.Errorf("detail %q must give the reason and the key", detail)
				}
			}
		})
	}
}
