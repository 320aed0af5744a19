package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// List resources (Terraform 1.14 and later, `terraform query`) find what IMM
// holds, so that objects made outside Terraform can be adopted: each result
// carries the object's identity and, when the query asks (include_resource),
// the whole resource object, from which `terraform query
// -generate-config-out` writes configuration and import blocks. A list
// resource embeds its resource: the same type name, descriptor and
// Configure.

// pageOf reads one page of a listing: the items and the token of the next
// page ("" after the last).
type pageOf[T any] func(ctx context.Context, token string) (items []T, next string, err error)

// listing is how a list resource reads IMM: a page of items at a time, each
// item turned into the resource's model and named for display.
type listing[M any, T any] struct {
	page    pageOf[T]
	toModel func(T) (M, diag.Diagnostics)
	display func(T) string
}

// streamPages streams every page the listing reads as list results, up to
// the query's limit.
func streamPages[M resourceModel, T any](ctx context.Context, t *resourceType[M], req list.ListRequest, stream *list.ListResultsStream,
	l listing[M, T]) {
	stream.Results = func(push func(list.ListResult) bool) {
		sent := int64(0)
		for token := ""; ; {
			items, next, err := l.page(ctx, token)
			if err != nil {
				result := req.NewListResult(ctx)
				addAPIError(&result.Diagnostics, "listing", t.kind+"s", "", err, "")
				push(result)
				return
			}
			for _, item := range items {
				m, diags := l.toModel(item)
				nullTimeouts(ctx, req, &m)
				result := req.NewListResult(ctx)
				result.Diagnostics.Append(diags...)
				result.DisplayName = l.display(item)
				t.setIdentity(ctx, m, result.Identity, &result.Diagnostics)
				if req.IncludeResource {
					result.Diagnostics.Append(result.Resource.Set(ctx, &m)...)
				}
				if !push(result) {
					return
				}
				if sent++; req.Limit > 0 && sent >= req.Limit {
					return
				}
			}
			if next == "" {
				return
			}
			token = next
		}
	}
}

// nullTimeouts sets a model's timeouts block, which IMM knows nothing of,
// to null of the type the resource schema gives it.
func nullTimeouts(ctx context.Context, req list.ListRequest, model any) {
	if !hasAttribute(model, "timeouts") {
		return
	}
	typ, diags := req.ResourceSchema.TypeAtPath(ctx, path.Root("timeouts"))
	if diags.HasError() {
		return
	}
	null, err := typ.ValueFromTerraform(ctx, tftypes.NewValue(typ.TerraformType(ctx), nil))
	if err == nil {
		setAttributeValue(model, "timeouts", null)
	}
}
