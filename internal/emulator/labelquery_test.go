package emulator

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestLabelQueryParsesQuotedValuesWithEveryCharacterAndBareOnesWithoutSpaces(t *testing.T) {
	type conds = []labelCondition
	tests := []struct {
		query string
		want  conds
	}{
		// IMM's own example, and bare values in general.
		{`key=value`, conds{{"key", "value"}}},
		{`n=7`, conds{{"n", "7"}}},
		{`k=a=b`, conds{{"k", "a=b"}}},
		{`k=it's`, conds{{"k", "it's"}}},
		{`k='x'`, conds{{"k", "'x'"}}}, // single quotes are not quotes
		{`标签=家人`, conds{{"标签", "家人"}}},
		{`k=🙂`, conds{{"k", "🙂"}}},
		// Spaces around '=', around the query and around "and" (any case).
		{`  team = "x y"   AND  n=7 `, conds{{"team", "x y"}, {"n", "7"}}},
		{"a=1\tand\nb=2", conds{{"a", "1"}, {"b", "2"}}},
		{`a=1 And b=2 and c=3`, conds{{"a", "1"}, {"b", "2"}, {"c", "3"}}},
		// Quoted values hold anything; '\' escapes '"' and '\'.
		{`note="say \"hi\""`, conds{{"note", `say "hi"`}}},
		{`note="{\"a\":1}"`, conds{{"note", `{"a":1}`}}},
		{`note="C:\\photos\\"`, conds{{"note", `C:\photos\`}}},
		{`note="say \\\"hi\\\""`, conds{{"note", `say \"hi\"`}}},
		{`note="a=b"`, conds{{"note", "a=b"}}},
		{`note="rock and roll"`, conds{{"note", "rock and roll"}}},
		{`note="rock and roll" and x="and"`, conds{{"note", "rock and roll"}, {"x", "and"}}},
		{`note="  two  spaces "`, conds{{"note", "  two  spaces "}}},
		{`note="家人 合影"`, conds{{"note", "家人 合影"}}},
		{`note="🙂👍"`, conds{{"note", "🙂👍"}}},
		{`note=""`, conds{{"note", ""}}},
		{`note="line
break"`, conds{{"note", "line\nbreak"}}},
		// A key may be "and", and may hold quotes' neighbours.
		{`and=and`, conds{{"and", "and"}}},
		{`a.b-c_d:e=1`, conds{{"a.b-c_d:e", "1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got, err := parseLabelQuery(tt.query)
			if err != nil {
				t.Fatalf("parseLabelQuery(%q): %v", tt.query, err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("parseLabelQuery(%q) = %q, want %q", tt.query, got, tt.want)
			}
		})
	}
}

func TestLabelQueryRefusesWhatTheGrammarDoesNotSay(t *testing.T) {
	tests := []struct {
		query, why string
	}{
		{`team`, `"=" after the key`},
		{`=x`, `a key`},
		{`k=`, `a value`},
		{`k= and j=1`, `" and " between conditions`},
		{`rock and roll`, `"=" after the key`},
		{`note=rock and roll`, `"=" after the key`},
		{`k=two words`, `" and " between conditions`},
		{`a=1 b=2`, `" and " between conditions`},
		{`a=1 or b=2`, `" and " between conditions`},
		{`a=1 and`, `a key`},
		{`a=1 andb=2`, `" and " between conditions`},
		{`a="1"and b=2`, `" and " between conditions`},
		{`k="open`, `closing '"'`},
		{`k="bad \n escape"`, `only \" and \\`},
		{`k="trailing \`, `closing '"'`},
		{`k=say"hi"`, `double-quote the value`},
		{`k=C:\photos`, `double-quote the value`},
		{`k\=1`, `a key cannot hold`},
		{`"k"=v`, `a key cannot hold`},
		{`my key=v`, `"=" after the key`},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got, err := parseLabelQuery(tt.query)
			if err == nil {
				t.Fatalf("parseLabelQuery(%q) = %q, want an error", tt.query, got)
			}
			if !strings.Contains(err.Error(), tt.why) {
				t.Errorf("error %q does not say %q", err, tt.why)
			}
		})
	}
}

func TestLabelMatchingComparesExactStringsAndOtherJSONAsItsText(t *testing.T) {
	labels := labelsJSON{
		"note": json.RawMessage(`"say \"hi\""`),
		"n":    json.RawMessage(`7`),
		"ok":   json.RawMessage(`true`),
		"obj":  json.RawMessage(`{"a":1}`),
		"sp":   json.RawMessage(`" x "`),
	}
	c := figureCluster{CustomLabels: labels}
	tests := []struct {
		query string
		want  bool
	}{
		{`note="say \"hi\""`, true},
		{`note="say hi"`, false},
		{`note="say \"hi\"" and n=7`, true},
		{`note="say \"hi\"" and n=8`, false},
		{`n="7"`, true},
		{`ok=true`, true},
		{`obj="{\"a\":1}"`, true},
		{`sp=" x "`, true},
		{`sp=x`, false},
		{`missing=""`, false},
		{`Note="say \"hi\""`, false}, // keys are case-sensitive
	}
	for _, tt := range tests {
		conds, err := parseLabelQuery(tt.query)
		if err != nil {
			t.Fatalf("parseLabelQuery(%q): %v", tt.query, err)
		}
		if got := matchesLabels(c, conds); got != tt.want {
			t.Errorf("%s matches = %v, want %v", tt.query, got, tt.want)
		}
	}
}
