package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// importIDFormat is how a resource's import ID is made: the values of its
// attributes joined by "/", such as project_name/dataset_name.
type importIDFormat struct {
	attributes []string
}

// attributesWithSlashes are ID attributes whose values hold "/" (a
// binding's oss:// URI). Such an attribute comes last in an ID and takes the
// rest of it.
var attributesWithSlashes = map[string]bool{"uri": true}

// lastHoldsSlashes tells whether the last attribute takes the rest of the ID,
// slashes included.
func (f importIDFormat) lastHoldsSlashes() bool {
	return len(f.attributes) > 0 && attributesWithSlashes[f.attributes[len(f.attributes)-1]]
}

// importIDFormat is the resource's import ID: its idAttributes.
func (t *resourceType[M]) importIDFormat() importIDFormat {
	return importIDFormat{attributes: t.idAttributes}
}

// importIDFormats are the import IDs of the provider's importable resources,
// by resource type, as their descriptors state them. The provider functions
// parse_import_id and build_import_id read them.
var importIDFormats = sync.OnceValue(func() map[string]importIDFormat {
	ctx := context.Background()
	formats := map[string]importIDFormat{}
	for _, newResource := range (&immProvider{}).Resources(ctx) {
		r := newResource()
		withFormat, ok := r.(interface{ importIDFormat() importIDFormat })
		if _, importable := r.(resource.ResourceWithImportState); !ok || !importable {
			continue
		}
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "imm"}, &meta)
		formats[meta.TypeName] = withFormat.importIDFormat()
	}
	return formats
})

// importIDResourceTypes lists the resource types that have an import ID,
// sorted.
func importIDResourceTypes() []string {
	names := make([]string, 0, len(importIDFormats()))
	for t := range importIDFormats() {
		names = append(names, t)
	}
	sort.Strings(names)
	return names
}

// String is the format as users read it: project_name/dataset_name.
func (f importIDFormat) String() string { return strings.Join(f.attributes, "/") }

// parse splits an import ID into its attributes' values, in the format's
// order, and checks each: present, and IMM's name rule for project_name and
// dataset_name.
func (f importIDFormat) parse(id string) ([]string, error) {
	parts := strings.Split(id, "/")
	if f.lastHoldsSlashes() {
		parts = strings.SplitN(id, "/", len(f.attributes))
	}
	if len(parts) != len(f.attributes) {
		return nil, fmt.Errorf("the import ID must be %s, got %q", f, id)
	}
	for i, p := range parts {
		if p == "" {
			return nil, fmt.Errorf("the import ID must be %s, and %s is empty in %q", f, f.attributes[i], id)
		}
		if err := checkImportIDPart(f.attributes[i], p); err != nil {
			return nil, err
		}
	}
	return parts, nil
}

// build joins the attributes' values, given in the format's order, into an
// import ID that parse splits back into the same values.
func (f importIDFormat) build(values []string) (string, error) {
	if len(values) != len(f.attributes) {
		return "", fmt.Errorf("an import ID %s needs %d values, got %d", f, len(f.attributes), len(values))
	}
	for i, v := range values {
		if v == "" {
			return "", fmt.Errorf("%s must not be empty", f.attributes[i])
		}
		if strings.Contains(v, "/") && (i < len(values)-1 || !f.lastHoldsSlashes()) {
			return "", fmt.Errorf("%s must not contain \"/\" (the import ID %s separates its parts with it), got %q", f.attributes[i], f, v)
		}
		if err := checkImportIDPart(f.attributes[i], v); err != nil {
			return "", err
		}
	}
	return strings.Join(values, "/"), nil
}

// parseImportID splits an import ID of the form part1/part2/... and checks
// each part: present, and IMM's name rule for project_name and dataset_name.
// names are the parts' attribute names.
func parseImportID(id string, names ...string) ([]string, error) {
	return importIDFormat{attributes: names}.parse(id)
}

// checkImportIDPart applies an ID attribute's plan-time rule to its part of
// an import ID, so a malformed ID is refused before any API call: IMM's name
// rule for project_name and dataset_name, oss://<bucket> for a binding's
// uri, OSS's bucket rule for oss_bucket.
func checkImportIDPart(attribute, value string) error {
	switch attribute {
	case "project_name", "dataset_name":
		return checkName(attribute, value)
	case "uri":
		if bindingURIValidator.check(value) != nil {
			return fmt.Errorf("uri %s; got %q", bindingURIValidator.description, value)
		}
	case "oss_bucket":
		if bucketNameValidator.check(value) != nil {
			return fmt.Errorf("oss_bucket %s; got %q", bucketNameValidator.description, value)
		}
	}
	return nil
}

// checkName applies IMM's project and dataset name rule to an import ID part.
func checkName(attribute, value string) error {
	if utf8.RuneCountInString(value) > 128 || !namePattern.MatchString(value) {
		return fmt.Errorf("%s %s (1-128 characters); got %q", attribute, nameRuleMessage, value)
	}
	return nil
}
