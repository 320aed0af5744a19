package provider

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

const maxInt64 = math.MaxInt64

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

func (d *providerData) consistency() consistency {
	return consistency{clock: d.clock, window: d.consistencyWindow}
}

// attributeNames lists the names of updatable attributes.
func attributeNames[R, M any](attrs []updatableAttribute[R, M]) []string {
	names := make([]string, len(attrs))
	for i, a := range attrs {
		names[i] = a.name
	}
	return names
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
