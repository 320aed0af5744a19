package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// Default tags and ignored tags. The provider block's default_tags adds its
// tags to every project, trigger and task the provider makes; a resource's
// own tag of the same key wins. ignore_tags names tags that something else
// manages: the provider never shows them (neither in tags nor in tags_all)
// and never removes them. A resource keeps the two apart in two attributes:
// tags is what its configuration sets, tags_all every tag IMM holds but the
// ignored ones, planned at plan time (tags_plan.go).

// defaultTagsModel is the default_tags block.
type defaultTagsModel struct {
	Tags types.Map `tfsdk:"tags"`
}

// ignoreTagsModel is the ignore_tags block.
type ignoreTagsModel struct {
	Keys        types.Set `tfsdk:"keys"`
	KeyPrefixes types.Set `tfsdk:"key_prefixes"`
}

// tagPolicy is the provider's default_tags and ignore_tags, as plain values.
type tagPolicy struct {
	defaults       map[string]string
	ignoreKeys     []string
	ignorePrefixes []string
}

// withDefaults is own over the default tags: a resource's tag wins over a
// default one of the same key. No tags at all is nil.
func (p tagPolicy) withDefaults(own map[string]string) map[string]string {
	if len(p.defaults) == 0 && len(own) == 0 {
		return nil
	}
	all := maps.Clone(p.defaults)
	if all == nil {
		all = map[string]string{}
	}
	maps.Copy(all, own)
	return all
}

// ignores reports whether ignore_tags names key.
func (p tagPolicy) ignores(key string) bool { return p.ignoredBy(key) != "" }

// ignoredBy says what in ignore_tags names key, for messages: `keys
// ("cost_center")` or `key_prefixes ("finops:")`; "" when nothing does.
func (p tagPolicy) ignoredBy(key string) string {
	if slices.Contains(p.ignoreKeys, key) {
		return fmt.Sprintf("keys (%q)", key)
	}
	for _, prefix := range p.ignorePrefixes {
		if strings.HasPrefix(key, prefix) {
			return fmt.Sprintf("key_prefixes (%q)", prefix)
		}
	}
	return ""
}

// ignoresAny reports whether ignore_tags names anything.
func (p tagPolicy) ignoresAny() bool { return len(p.ignoreKeys) > 0 || len(p.ignorePrefixes) > 0 }

// ignoredIn returns the tags of held that ignore_tags names: what an update
// that sends the whole set must carry as IMM holds it.
func (p tagPolicy) ignoredIn(held map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range held {
		if p.ignores(k) {
			out[k] = v
		}
	}
	return out
}

// readTags splits the tags IMM holds into a resource's tags and tags_all.
// tags_all is every tag held but the ignored ones. A tag is the resource's
// own (in tags) when prior state's tags had its key; when prior's tags_all
// had it but tags did not, it came from the defaults, and stays theirs (a
// default removed since then is removed by the next apply, and a default
// changed outside Terraform shows as a change of tags_all only). A tag prior
// state never saw (after an import, or added outside Terraform) is a
// default one when default_tags has it with that value, else the
// resource's own. priorAll nil means prior state had no tags_all.
func (p tagPolicy) readTags(held, priorOwn, priorAll map[string]string) (own, all map[string]string) {
	own, all = map[string]string{}, map[string]string{}
	for k, v := range held {
		if p.ignores(k) {
			continue
		}
		all[k] = v
		_, wasOwn := priorOwn[k]
		_, wasShown := priorAll[k]
		switch {
		case wasOwn:
			own[k] = v
		case wasShown:
		default:
			if d, isDefault := p.defaults[k]; !isDefault || d != v {
				own[k] = v
			}
		}
	}
	return own, all
}

// readTagAttributes is readTags on a model's attributes: IMM's tags (held),
// and the tags and tags_all prior state held. tags keeps prior's {} for no
// tags, as the configuration says it; tags_all is always a map.
func (p tagPolicy) readTagAttributes(ctx context.Context, held map[string]string, priorOwn, priorAll types.Map) (own, all types.Map, diags diag.Diagnostics) {
	ownPrior, d := stringMap(ctx, priorOwn)
	diags.Append(d...)
	allPrior, d := stringMap(ctx, priorAll)
	diags.Append(d...)
	ownNow, allNow := p.readTags(held, ownPrior, allPrior)
	return flattenStringMap(ownNow, priorOwn), stringMapValue(allNow), diags
}

// tagSchemaBlocks are the provider's default_tags and ignore_tags blocks.
func tagSchemaBlocks() map[string]schema.Block {
	// "" is not set, and left out: only the longest a key may be is checked.
	keyLength := setvalidator.ValueStringsAre(stringvalidator.UTF8LengthAtMost(128))
	return map[string]schema.Block{
		"default_tags": schema.ListNestedBlock{
			MarkdownDescription: "Tags every project, trigger and task the provider makes carries: `imm_project`'s and " +
				"`imm_trigger`'s `tags`, `imm_figure_clustering`'s, and the `tags` of the `imm_create_figure_clustering_task` " +
				"and `imm_create_batch` actions. A resource's own tag of the same key wins. Each resource shows what it sets in " +
				"`tags` and the whole set in `tags_all`; changing a default tag is one update per resource that carries the new " +
				"set. At most one block.",
			Validators: []validator.List{listvalidator.SizeAtMost(1)},
			NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
				"tags": schema.MapAttribute{
					MarkdownDescription: "The default tags, by key: keys 1-128 characters, values at most 128 characters; " +
						"neither may start with `aliyun` or `acs:` or contain `http://` or `https://`. A tag whose value is an " +
						"empty string is left out (an empty string is \"not set\" in the provider block), so `owner = var.owner` " +
						"adds nothing while the variable is `\"\"`.",
					ElementType: types.StringType,
					Optional:    true,
					Validators:  tagValidators(),
				},
			}},
		},
		"ignore_tags": schema.ListNestedBlock{
			MarkdownDescription: "Tags that something else manages (a cost tool, another team): the provider leaves them " +
				"out of `tags` and `tags_all`, so they never show as drift, and keeps them as IMM holds them when an update " +
				"sends a resource's whole tag set (it reads the resource first to learn them). A resource may not set an " +
				"ignored tag itself, and `default_tags` may not hold one. At most one block.",
			Validators: []validator.List{listvalidator.SizeAtMost(1)},
			NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
				"keys": schema.SetAttribute{
					MarkdownDescription: "Tag keys to ignore, exactly. An empty string is left out.",
					ElementType:         types.StringType,
					Optional:            true,
					Validators:          []validator.Set{keyLength},
				},
				"key_prefixes": schema.SetAttribute{
					MarkdownDescription: "Tag key prefixes to ignore: every key that starts with one of them. An empty " +
						"string is left out (it would match every key).",
					ElementType: types.StringType,
					Optional:    true,
					Validators:  []validator.Set{keyLength},
				},
			}},
		},
	}
}

// tagPolicyOf reads the blocks of a provider configuration read with every
// empty string null (readProviderConfig): a null element is an empty string
// and is left out.
func tagPolicyOf(cfg providerModel) tagPolicy {
	var p tagPolicy
	if len(cfg.DefaultTags) > 0 {
		for k, v := range cfg.DefaultTags[0].Tags.Elements() {
			if s, ok := v.(types.String); ok && !s.IsNull() && !s.IsUnknown() {
				if p.defaults == nil {
					p.defaults = map[string]string{}
				}
				p.defaults[k] = s.ValueString()
			}
		}
	}
	if len(cfg.IgnoreTags) > 0 {
		p.ignoreKeys = knownStrings(cfg.IgnoreTags[0].Keys.Elements())
		p.ignorePrefixes = knownStrings(cfg.IgnoreTags[0].KeyPrefixes.Elements())
	}
	return p
}

// knownStrings are the known, non-null strings among elems, sorted.
func knownStrings(elems []attr.Value) []string {
	var out []string
	for _, v := range elems {
		if s, ok := v.(types.String); ok && !s.IsNull() && !s.IsUnknown() {
			out = append(out, s.ValueString())
		}
	}
	sort.Strings(out)
	return out
}

// unknownTagArguments names the tag blocks' arguments whose values are not
// known yet.
func unknownTagArguments(cfg providerModel) []string {
	var unknown []string
	if len(cfg.DefaultTags) > 0 && hasUnknown(cfg.DefaultTags[0].Tags) {
		unknown = append(unknown, "default_tags.tags")
	}
	if len(cfg.IgnoreTags) > 0 {
		if hasUnknown(cfg.IgnoreTags[0].Keys) {
			unknown = append(unknown, "ignore_tags.keys")
		}
		if hasUnknown(cfg.IgnoreTags[0].KeyPrefixes) {
			unknown = append(unknown, "ignore_tags.key_prefixes")
		}
	}
	return unknown
}

// collection is a map, list or set value.
type collection interface {
	IsUnknown() bool
}

// hasUnknown reports whether a map or set, or one of its elements, is
// unknown.
func hasUnknown(v collection) bool {
	if v.IsUnknown() {
		return true
	}
	var elems []attr.Value
	switch c := v.(type) {
	case types.Map:
		elems = slices.Collect(maps.Values(c.Elements()))
	case types.Set:
		elems = c.Elements()
	}
	return slices.ContainsFunc(elems, attr.Value.IsUnknown)
}

// checkDefaultsNotIgnored refuses a default tag that ignore_tags names: the
// provider would add it to every resource and then never show or keep it.
func checkDefaultsNotIgnored(p tagPolicy, diags *diag.Diagnostics) {
	keys := slices.Sorted(maps.Keys(p.defaults))
	for _, k := range keys {
		if by := p.ignoredBy(k); by != "" {
			diags.AddAttributeError(path.Root("default_tags").AtListIndex(0).AtName("tags").AtMapKey(k), "Default tag ignored",
				fmt.Sprintf("default_tags.tags[%q] is also named by ignore_tags.%s, which leaves the tag to something else: "+
					"the provider would add it to every resource and then neither show it nor keep it. Remove it from "+
					"default_tags, or from ignore_tags.", k, by))
		}
	}
}

// actionTagsNote ends the description of an action's tags.
const actionTagsNote = "The provider's `default_tags` are added to these (a tag here wins over a default one of " +
	"the same key)."

// tagLimit is the most tags a project or a task may carry, default tags
// included (Alibaba Cloud's general rule, DECISIONS.md "Tag rules").
const tagLimit = 20

// tagsWritten is written with tags added when tags_all is among them: a
// read derives both from the one set IMM holds, so within the consistency
// window a lagging read must change neither.
func tagsWritten(written []string) []string {
	if slices.Contains(written, "tags_all") && !slices.Contains(written, "tags") {
		return append(written, "tags")
	}
	return written
}

// withIgnoredTags is an update's whole tag set with kept (the ignored tags
// IMM holds) added, sorted by key.
func withIgnoredTags(sent []imm.Tag, kept map[string]string) []imm.Tag {
	all := make(map[string]string, len(sent)+len(kept))
	for _, t := range sent {
		all[t.Key] = t.Value
	}
	maps.Copy(all, kept)
	return tagList(all)
}

// tagList is a map of tags as IMM's Tag parameter, sorted by key.
func tagList(tags map[string]string) []imm.Tag {
	out := make([]imm.Tag, 0, len(tags))
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		out = append(out, imm.Tag{Key: k, Value: tags[k]})
	}
	return out
}
