package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12 and later): every importable resource is
// identified by its ID attributes, the parts of its import ID, and by the
// region, since IMM's names are unique per region (DECISIONS.md). The region
// is optional when importing: an identity that names only the ID attributes
// takes the provider's region.

// regionIdentityAttribute is the identity attribute that holds the region.
const regionIdentityAttribute = "region"

// identitySchema is the resource's identity schema.
func (t *resourceType[M]) identitySchema(resp *resource.IdentitySchemaResponse) {
	attrs := map[string]identityschema.Attribute{
		regionIdentityAttribute: identityschema.StringAttribute{
			OptionalForImport: true,
			Description:       "The region of the IMM object, such as cn-hangzhou. Default: the provider's region.",
		},
	}
	for _, name := range t.idAttributes {
		attrs[name] = identityschema.StringAttribute{
			RequiredForImport: true,
			Description:       fmt.Sprintf("The %s's %s, as in its import ID.", t.kind, name),
		}
	}
	resp.IdentitySchema = identityschema.Schema{Attributes: attrs}
}

// setIdentity writes the identity of the object m describes.
func (t *resourceType[M]) setIdentity(ctx context.Context, m M, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	if identity == nil { // a resource type without identity
		return
	}
	diags.Append(identity.SetAttribute(ctx, path.Root(regionIdentityAttribute), t.data.region)...)
	for _, name := range t.idAttributes {
		diags.Append(identity.SetAttribute(ctx, path.Root(name), stringAttribute(&m, name))...)
	}
}

// importByIdentity takes an import block's identity: each ID attribute goes
// into state, checked as the import ID's parts are; Read then fills the rest.
func (t *resourceType[M]) importByIdentity(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	var region types.String
	resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(regionIdentityAttribute), &region)...)
	if !region.IsNull() && region.ValueString() != t.data.region {
		resp.Diagnostics.AddAttributeError(path.Root(regionIdentityAttribute), "Identity in another region",
			fmt.Sprintf("The identity names region %s, but this provider configuration manages %s. Import it with a "+
				"provider configured for %s (provider = imm.<alias>), or leave region out.", region.ValueString(),
				t.data.region, region.ValueString()))
		return
	}
	parts := make([]string, len(t.idAttributes))
	for i, name := range t.idAttributes {
		var v types.String
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(name), &v)...)
		parts[i] = v.ValueString()
	}
	if resp.Diagnostics.HasError() {
		return
	}
	id, err := t.importIDFormat().build(parts)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import identity", fmt.Sprintf("An %s is imported by %s: %v.", t.typeName,
			strings.Join(t.idAttributes, ", "), err))
		return
	}
	t.importParts(ctx, id, parts, resp)
}

// importParts puts the ID attributes' values (parts) and the ID into state,
// and the identity they make; Read then fills the rest.
func (t *resourceType[M]) importParts(ctx context.Context, id string, parts []string, resp *resource.ImportStateResponse) {
	for i, name := range t.idAttributes {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), parts[i])...)
		if resp.Identity != nil {
			resp.Diagnostics.Append(resp.Identity.SetAttribute(ctx, path.Root(name), parts[i])...)
		}
	}
	if !slices.Contains(t.idAttributes, "id") { // id is IMM's own ID (a trigger's), not the import ID
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	}
	if resp.Identity != nil {
		resp.Diagnostics.Append(resp.Identity.SetAttribute(ctx, path.Root(regionIdentityAttribute), t.data.region)...)
	}
}
