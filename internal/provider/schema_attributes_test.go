package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
)

func TestDataSourceDescriptionsDropArgumentNotes(t *testing.T) {
	for _, r := range []resource.Resource{NewProjectResource(), NewDatasetResource(), NewFigureClusterResource()} {
		var resp resource.SchemaResponse
		r.Schema(context.Background(), resource.SchemaRequest{}, &resp)
		derived := computedAttributes(r)
		for name, a := range resp.Schema.Attributes {
			full, shown := a.GetMarkdownDescription(), derived[name].GetMarkdownDescription()
			if shown == "" {
				t.Errorf("%T %s: the data source shows no description", r, name)
			}
			for _, note := range argumentNotes {
				if strings.Contains(shown, string(note)) {
					t.Errorf("%T %s: the data source's %q keeps the argument note %q", r, name, shown, note)
				}
			}
			// What the value is comes first, unchanged; only notes follow.
			if !strings.HasPrefix(full, shown) {
				t.Errorf("%T %s: %q does not start with the data source's %q", r, name, full, shown)
			}
			if (a.IsOptional() || a.IsRequired()) && name != "force_destroy" && full == shown {
				t.Errorf("%T %s is an argument, but its description %q has no note on how it behaves", r, name, full)
			}
		}
	}
	attrs := computedAttributes(NewProjectResource(), "force_destroy")
	if got := attrs["description"].GetMarkdownDescription(); got != "A description, 1-256 characters." {
		t.Errorf("description = %q", got)
	}
}
