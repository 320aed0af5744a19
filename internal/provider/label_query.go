package provider

import (
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// This file writes QueryFigureClusters' CustomLabels query. IMM documents
// it only by the example `key=value`; DECISIONS.md ("The custom-label
// query") writes down the grammar, which the emulator's parser reads
// (internal/emulator/labelquery.go): key=value conditions joined by " and ";
// a key holds no white space, '=', '"' or '\'; a value is bare or
// double-quoted, with '"' and '\' escaped by '\'.

// labelQueryKeyPattern matches the keys the query can express: no Unicode
// white space (unicode.IsSpace: \t \n \v \f \r, U+0085 and category Z), no
// '=', no '"', no '\'.
var labelQueryKeyPattern = regexp.MustCompile(`^[^\t\n\v\f\r\x{85}\p{Z}="\\]+$`)

// labelQueryKeyRule says why a key is refused, for the plan-time error.
const labelQueryKeyRule = `be a key IMM's CustomLabels query can express: no white space, '=', '"' or '\' ` +
	`(values may hold any text)`

// labelQueryKeys refuses, at plan time, custom_labels keys the query cannot
// express.
func labelQueryKeys() validator.Map {
	return mapvalidator.KeysAre(stringvalidator.RegexMatches(labelQueryKeyPattern, "must "+labelQueryKeyRule))
}

// labelQueryValueEscaper escapes a value for its double quotes.
var labelQueryValueEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// labelsQuery writes the CustomLabels condition that holds for clusters
// carrying every one of labels with exactly its value: key="value"
// conditions joined by " and ", keys sorted, every value double-quoted
// (so spaces, '=', " and " and the empty value need no special case). The
// keys must match labelQueryKeyPattern. No labels is "" (no condition).
func labelsQuery(labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	conds := make([]string, len(keys))
	for i, k := range keys {
		conds[i] = k + `="` + labelQueryValueEscaper.Replace(labels[k]) + `"`
	}
	return strings.Join(conds, " and ")
}
