package provider

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// parseImportID splits an import ID of the form part1/part2/... and checks
// that each part is present. names are the parts' attribute names, for the
// error message.
func parseImportID(id string, names ...string) ([]string, error) {
	parts := strings.Split(id, "/")
	if len(parts) != len(names) {
		return nil, fmt.Errorf("the import ID must be %s, got %q", strings.Join(names, "/"), id)
	}
	for i, p := range parts {
		if p == "" {
			return nil, fmt.Errorf("the import ID must be %s, and %s is empty in %q", strings.Join(names, "/"), names[i], id)
		}
	}
	return parts, nil
}

// checkName applies IMM's project and dataset name rule to an import ID part.
func checkName(attribute, value string) error {
	if utf8.RuneCountInString(value) > 128 || !namePattern.MatchString(value) {
		return fmt.Errorf("%s %s (1-128 characters); got %q", attribute, nameRuleMessage, value)
	}
	return nil
}

// importState is every resource's ImportState: the ID is the given
// attributes joined by "/", each checked before any API call; the resource's
// Read then fills the rest.
func importState(ctx context.Context, typeName string, req resource.ImportStateRequest, resp *resource.ImportStateResponse, names ...string) {
	parts, err := parseImportID(req.ID, names...)
	for i := 0; err == nil && i < len(names); i++ {
		if names[i] == "project_name" || names[i] == "dataset_name" {
			err = checkName(names[i], parts[i])
		}
	}
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("An %s is imported by %s: %v.", typeName, strings.Join(names, "/"), err))
		return
	}
	for i, name := range names {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), parts[i])...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}
