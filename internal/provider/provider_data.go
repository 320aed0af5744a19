package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// How resources and data sources get the provider's data (providerData, set
// by the provider's Configure).

// configuredData takes the provider's data in a resource's or data source's
// Configure. It is nil before the provider is configured (validation).
func configuredData(raw any, diags *diag.Diagnostics) *providerData {
	if raw == nil {
		return nil
	}
	data, ok := raw.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider.", raw))
		return nil
	}
	return data
}

// consistency is the consistency rule with the provider's clock and window.
func (d *providerData) consistency() consistency {
	return consistency{clock: d.clock, window: d.consistencyWindow}
}

// dataSourceConfigured is embedded by every data source: its Configure
// takes the provider's data.
type dataSourceConfigured struct{ data *providerData }

func (c *dataSourceConfigured) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	c.data = configuredData(req.ProviderData, &resp.Diagnostics)
}
