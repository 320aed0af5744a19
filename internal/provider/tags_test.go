package provider

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// kv is a map of tags from key, value pairs.
func kv(pairs ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	return m
}

func TestTagPolicyWithDefaultsLetsAResourceTagWin(t *testing.T) {
	tests := []struct {
		name     string
		defaults map[string]string
		own      map[string]string
		want     map[string]string
	}{
		{"no tags at all is none", nil, nil, nil},
		{"defaults alone", kv("owner", "media"), nil, kv("owner", "media")},
		{"the resource's alone", nil, kv("team", "a"), kv("team", "a")},
		{"both, different keys", kv("owner", "media"), kv("team", "a"), kv("owner", "media", "team", "a")},
		{"the same key: the resource's value wins", kv("env", "prod", "owner", "media"), kv("env", "test"), kv("env", "test", "owner", "media")},
		{"the same key and value", kv("env", "prod"), kv("env", "prod"), kv("env", "prod")},
		{"an empty value of the resource's is a value", kv("env", "prod"), kv("env", ""), kv("env", "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tagPolicy{defaults: tt.defaults}
			if got := p.withDefaults(tt.own); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("withDefaults(%v) over %v = %v, want %v", tt.own, tt.defaults, got, tt.want)
			}
			if tt.defaults != nil && tt.own != nil {
				p.withDefaults(tt.own)["changed"] = "x"
				if _, changed := p.defaults["changed"]; changed {
					t.Error("withDefaults changed the provider's defaults")
				}
			}
		})
	}
}

func TestTagPolicyIgnoresKeysExactlyAndPrefixes(t *testing.T) {
	p := tagPolicy{ignoreKeys: []string{"cost_center"}, ignorePrefixes: []string{"finops:", "acs:"}}
	for key, want := range map[string]bool{
		"cost_center": true, "cost_center2": false, "Cost_center": false, "finops:budget": true, "finops:": true,
		"finops": false, "acs:x": true, "team": false, "": false,
	} {
		if got := p.ignores(key); got != want {
			t.Errorf("ignores(%q) = %v, want %v", key, got, want)
		}
	}
	if !p.ignoresAny() || (tagPolicy{defaults: kv("a", "b")}).ignoresAny() {
		t.Error("ignoresAny is wrong")
	}
	held := kv("cost_center", "cc1", "finops:budget", "10", "team", "a")
	if got, want := p.ignoredIn(held), kv("cost_center", "cc1", "finops:budget", "10"); !reflect.DeepEqual(got, want) {
		t.Errorf("ignoredIn = %v, want %v", got, want)
	}
}

func TestReadTagsSplitsWhatIMMHoldsIntoTagsAndTagsAll(t *testing.T) {
	ignoring := []string{"cost_center"}
	tests := []struct {
		name               string
		defaults           map[string]string
		held               map[string]string
		priorOwn, priorAll map[string]string // nil: none (an import)
		wantOwn, wantAll   map[string]string
	}{
		{name: "no defaults: every tag is the resource's", held: kv("team", "a"), priorOwn: kv("team", "a"),
			priorAll: kv("team", "a"), wantOwn: kv("team", "a"), wantAll: kv("team", "a")},
		{name: "a default tag is in tags_all only", defaults: kv("owner", "media"), held: kv("owner", "media", "team", "a"),
			priorOwn: kv("team", "a"), priorAll: kv("owner", "media", "team", "a"),
			wantOwn: kv("team", "a"), wantAll: kv("owner", "media", "team", "a")},
		{name: "a key in both with the same value stays the resource's", defaults: kv("env", "prod"), held: kv("env", "prod"),
			priorOwn: kv("env", "prod"), priorAll: kv("env", "prod"), wantOwn: kv("env", "prod"), wantAll: kv("env", "prod")},
		{name: "a key in both with another value stays the resource's", defaults: kv("env", "prod"), held: kv("env", "test"),
			priorOwn: kv("env", "test"), priorAll: kv("env", "test"), wantOwn: kv("env", "test"), wantAll: kv("env", "test")},
		{name: "a default removed since stays a default tag: the next apply removes it", defaults: nil,
			held: kv("owner", "media", "team", "a"), priorOwn: kv("team", "a"), priorAll: kv("owner", "media", "team", "a"),
			wantOwn: kv("team", "a"), wantAll: kv("owner", "media", "team", "a")},
		{name: "a default changed since stays a default tag", defaults: kv("env", "prod"), held: kv("env", "dev"),
			priorOwn: map[string]string{}, priorAll: kv("env", "dev"), wantOwn: map[string]string{}, wantAll: kv("env", "dev")},
		{name: "a default tag changed outside Terraform shows in tags_all only", defaults: kv("env", "prod"),
			held: kv("env", "hacked"), priorOwn: nil, priorAll: kv("env", "prod"), wantOwn: map[string]string{}, wantAll: kv("env", "hacked")},
		{name: "a tag added outside Terraform is the resource's: a diff of tags", defaults: kv("env", "prod"),
			held: kv("env", "prod", "extra", "x"), priorOwn: map[string]string{}, priorAll: kv("env", "prod"),
			wantOwn: kv("extra", "x"), wantAll: kv("env", "prod", "extra", "x")},
		{name: "an ignored tag is in neither", defaults: kv("env", "prod"), held: kv("env", "prod", "cost_center", "cc1"),
			priorOwn: map[string]string{}, priorAll: kv("env", "prod"), wantOwn: map[string]string{}, wantAll: kv("env", "prod")},
		{name: "an import: a tag with the default's value is the default's", defaults: kv("env", "prod", "owner", "media"),
			held:    kv("env", "prod", "owner", "video", "team", "a", "cost_center", "cc1"),
			wantOwn: kv("owner", "video", "team", "a"), wantAll: kv("env", "prod", "owner", "video", "team", "a")},
		{name: "no tags at all", defaults: nil, held: nil, priorOwn: nil, priorAll: map[string]string{},
			wantOwn: map[string]string{}, wantAll: map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tagPolicy{defaults: tt.defaults, ignoreKeys: ignoring}
			own, all := p.readTags(tt.held, tt.priorOwn, tt.priorAll)
			if !reflect.DeepEqual(own, tt.wantOwn) || !reflect.DeepEqual(all, tt.wantAll) {
				t.Errorf("tags = %v, tags_all = %v; want %v and %v", own, all, tt.wantOwn, tt.wantAll)
			}
		})
	}
}

// tagsConfig is one way a configuration can set a resource's tags.
type tagsConfig struct {
	name string
	tags types.Map
}

func mapOf(m map[string]string) types.Map {
	if m == nil {
		return types.MapNull(types.StringType)
	}
	return stringMapValue(m)
}

// TestEveryCombinationReadsBackAsPlannedAndADefaultChangeIsATagsAllChange
// plays, for every combination of a resource's tags, the defaults and the
// ignored tags something else holds: the plan (tags as configured, tags_all
// over the defaults), IMM holding what an apply sent, and the next read,
// which must give back exactly the plan (no perpetual diff). Then the
// defaults change: the refresh before the next plan must still show the
// configured tags (only tags_all may differ from the next plan).
func TestEveryCombinationReadsBackAsPlannedAndADefaultChangeIsATagsAllChange(t *testing.T) {
	ctx := context.Background()
	configs := []tagsConfig{
		{"tags left out", types.MapNull(types.StringType)},
		{"tags = {}", mapOf(map[string]string{})},
		{"tags of its own", mapOf(kv("team", "a"))},
		{"a key also in the defaults, same value", mapOf(kv("env", "prod", "team", "a"))},
		{"a key also in the defaults, another value", mapOf(kv("env", "test"))},
	}
	defaultSets := []map[string]string{nil, {}, kv("env", "prod"), kv("env", "prod", "owner", "media"), kv("owner", "video")}
	heldByOthers := []map[string]string{nil, kv("cost_center", "cc1", "finops:budget", "10")}
	for _, cfg := range configs {
		for _, before := range defaultSets {
			for _, others := range heldByOthers {
				p := tagPolicy{defaults: before, ignoreKeys: []string{"cost_center"}, ignorePrefixes: []string{"finops:"}}
				own, _ := stringMap(ctx, cfg.tags)
				plannedAll := stringMapValue(p.withDefaults(own))
				held := p.withDefaults(own)
				if held == nil {
					held = map[string]string{}
				}
				maps.Copy(held, others)
				gotOwn, gotAll, diags := p.readTagAttributes(ctx, held, cfg.tags, plannedAll)
				name := fmt.Sprintf("%s, defaults %v, others' %v", cfg.name, before, others)
				if diags.HasError() {
					t.Fatalf("%s: %v", name, diags)
				}
				if !gotOwn.Equal(cfg.tags) || !gotAll.Equal(plannedAll) {
					t.Errorf("%s: read back tags %v, tags_all %v; planned %v and %v", name, gotOwn, gotAll, cfg.tags, plannedAll)
				}
				for _, after := range defaultSets {
					changed := tagPolicy{defaults: after, ignoreKeys: p.ignoreKeys, ignorePrefixes: p.ignorePrefixes}
					refreshedOwn, refreshedAll, _ := changed.readTagAttributes(ctx, held, gotOwn, gotAll)
					if !refreshedOwn.Equal(cfg.tags) || !refreshedAll.Equal(plannedAll) {
						t.Errorf("%s, then defaults %v: the refresh shows tags %v, tags_all %v; want %v and %v", name, after,
							refreshedOwn, refreshedAll, cfg.tags, plannedAll)
					}
				}
			}
		}
	}
}

func TestTagsWrittenRecordsTagsWithTagsAll(t *testing.T) {
	tests := []struct{ written, want []string }{
		{[]string{"description", "update_time"}, []string{"description", "update_time"}},
		{[]string{"tags_all", "update_time"}, []string{"tags_all", "update_time", "tags"}},
		{[]string{"tags", "tags_all"}, []string{"tags", "tags_all"}},
	}
	for _, tt := range tests {
		if got := tagsWritten(append([]string(nil), tt.written...)); !slices.Equal(got, tt.want) {
			t.Errorf("tagsWritten(%v) = %v, want %v", tt.written, got, tt.want)
		}
	}
}

func TestWithIgnoredTagsAddsWhatIMMHoldsSortedByKey(t *testing.T) {
	sent := []imm.Tag{{Key: "owner", Value: "media"}, {Key: "team", Value: "a"}}
	got := withIgnoredTags(sent, kv("cost_center", "cc1", "zz:x", "1"))
	want := []imm.Tag{{Key: "cost_center", Value: "cc1"}, {Key: "owner", Value: "media"}, {Key: "team", Value: "a"}, {Key: "zz:x", Value: "1"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("withIgnoredTags = %v, want %v", got, want)
	}
	if got := withIgnoredTags([]imm.Tag{}, nil); got == nil || len(got) != 0 {
		t.Errorf("withIgnoredTags of nothing = %#v, want an empty list (which clears)", got)
	}
}

// tagBlocks is a provider model with the two tag blocks.
func tagBlocks(defaults map[string]attr.Value, keys, prefixes []attr.Value) providerModel {
	set := func(elems []attr.Value) types.Set {
		if elems == nil {
			return types.SetNull(types.StringType)
		}
		return types.SetValueMust(types.StringType, elems)
	}
	cfg := providerModel{DefaultTags: []defaultTagsModel{{Tags: types.MapNull(types.StringType)}},
		IgnoreTags: []ignoreTagsModel{{Keys: set(keys), KeyPrefixes: set(prefixes)}}}
	if defaults != nil {
		cfg.DefaultTags[0].Tags = types.MapValueMust(types.StringType, defaults)
	}
	return cfg
}

func TestProviderTagBlocksLeaveEmptyStringsOut(t *testing.T) {
	s := types.StringValue
	cfg := providerConfigValue(t, tagBlocks(map[string]attr.Value{"owner": s(""), "env": s("dev")},
		[]attr.Value{s(""), s("cost_center")}, []attr.Value{s("")}), nil)
	if diags := validateProviderConfig(t, cfg); len(diags) > 0 {
		t.Fatalf("empty strings in the tag blocks are refused:\n%s", protoDiagText(diags))
	}
	read, diags := readProviderConfig(context.Background(), cfg)
	if diags.HasError() {
		t.Fatal(diags)
	}
	got := tagPolicyOf(read)
	want := tagPolicy{defaults: kv("env", "dev"), ignoreKeys: []string{"cost_center"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("policy = %+v, want %+v (an empty key prefix would ignore every tag)", got, want)
	}
}

func TestProviderValidate_refusesADefaultTagThatIsAlsoIgnored(t *testing.T) {
	s := types.StringValue
	cfg := providerConfigValue(t, tagBlocks(map[string]attr.Value{"finops:budget": s("10"), "cost_center": s("cc"), "env": s("dev")},
		[]attr.Value{s("cost_center")}, []attr.Value{s("finops:")}), nil)
	diags := validateProviderConfig(t, cfg)
	var at []string
	for _, d := range diags {
		if d.Severity != tfprotov6.DiagnosticSeverityError || d.Summary != "Default tag ignored" || !strings.Contains(d.Detail, "ignore_tags") {
			t.Errorf("unexpected diagnostic %q: %q", d.Summary, d.Detail)
		}
		at = append(at, fmt.Sprint(d.Attribute))
	}
	want := []string{`AttributeName("default_tags").ElementKeyInt(0).AttributeName("tags").ElementKeyString("cost_center")`,
		`AttributeName("default_tags").ElementKeyInt(0).AttributeName("tags").ElementKeyString("finops:budget")`}
	if !slices.Equal(at, want) {
		t.Errorf("errors at %v, want %v", at, want)
	}
}
