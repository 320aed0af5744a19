// Package provider is the Terraform layer of terraform-provider-imm: the
// provider's configuration, one file per resource and data source, and the
// small shared mechanisms they all use (partial updates, the consistency
// window, import IDs, diagnostics). It talks to IMM only through internal/imm.
package provider

import (
	"context"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/credentials"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

var (
	_ provider.Provider                   = &immProvider{}
	_ provider.ProviderWithFunctions      = &immProvider{}
	_ provider.ProviderWithListResources  = &immProvider{}
	_ provider.ProviderWithActions        = &immProvider{}
	_ provider.ProviderWithValidateConfig = &immProvider{}
)

// Defaults of the provider's own settings.
const (
	defaultConsistencyWindow = 5 * time.Minute
	defaultMaxRetries        = 5
)

// New returns the provider factory main.go serves.
func New(version string) func() provider.Provider {
	return NewWithClock(version, clock.Real{})
}

// NewWithClock returns a provider that asks c for the time. Tests share a fake
// clock with the emulator to step over the consistency window.
func NewWithClock(version string, c clock.Clock) func() provider.Provider {
	return func() provider.Provider {
		return &immProvider{version: version, clock: c, getenv: os.Getenv}
	}
}

type immProvider struct {
	version string
	clock   clock.Clock
	getenv  func(string) string
}

type providerModel struct {
	Region                types.String              `tfsdk:"region"`
	Endpoint              types.String              `tfsdk:"endpoint"`
	AccessKey             types.String              `tfsdk:"access_key"`
	SecretKey             types.String              `tfsdk:"secret_key"`
	SecurityToken         types.String              `tfsdk:"security_token"`
	Profile               types.String              `tfsdk:"profile"`
	SharedCredentialsFile types.String              `tfsdk:"shared_credentials_file"`
	ECSRoleName           types.String              `tfsdk:"ecs_role_name"`
	CredentialsURI        types.String              `tfsdk:"credentials_uri"`
	AssumeRole            []assumeRoleModel         `tfsdk:"assume_role"`
	AssumeRoleWithOIDC    []assumeRoleWithOIDCModel `tfsdk:"assume_role_with_oidc"`
	ConsistencyWindow     types.String              `tfsdk:"consistency_window"`
	WaitForConsistency    types.Bool                `tfsdk:"wait_for_consistency"`
	MaxRetries            types.Int64               `tfsdk:"max_retries"`
	DefaultTags           []defaultTagsModel        `tfsdk:"default_tags"`
	IgnoreTags            []ignoreTagsModel         `tfsdk:"ignore_tags"`
}

// providerData is what Configure hands to every resource and data source.
type providerData struct {
	client             *imm.Client
	region             string
	clock              clock.Clock
	consistencyWindow  time.Duration
	waitForConsistency bool
	tags               tagPolicy
}

func (p *immProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "imm"
	resp.Version = p.version
}

func (p *immProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"region": schema.StringAttribute{
			MarkdownDescription: "The Alibaba Cloud region, such as `cn-hangzhou`. Defaults to the `ALIBABA_CLOUD_REGION` " +
				"environment variable, then `ALICLOUD_REGION`. Required one way or another.",
			Optional:   true,
			Validators: []validator.String{stringvalidator.RegexMatches(regionPattern, "must be a region ID such as cn-hangzhou")},
		},
		"endpoint": schema.StringAttribute{
			MarkdownDescription: "Overrides the IMM endpoint (default `imm.<region>.aliyuncs.com` over HTTPS). Takes `host[:port]` " +
				"(HTTPS) or a URL with its scheme, such as `http://127.0.0.1:8790` printed by the local emulator. Plain `http://` " +
				"is accepted only for a loopback address. Defaults to `IMM_ENDPOINT`, then `ALIBABA_CLOUD_ENDPOINT_IMM`.",
			Optional:   true,
			Validators: []validator.String{endpointValidator},
		},
		"consistency_window": schema.StringAttribute{
			MarkdownDescription: "How long after a write the provider trusts what it wrote over what IMM reads back " +
				"(IMM documents that updates take up to 5 minutes to show). A Go duration such as `5m` or `90s`. Default `5m`.",
			Optional:   true,
			Validators: []validator.String{durationValidator},
		},
		"wait_for_consistency": schema.BoolAttribute{
			MarkdownDescription: "When true, every create and update waits until every read shows the write: for " +
				"`consistency_window` after it (IMM's bound on how long its reads lag), then until a read shows it, within the " +
				"resource's timeouts. For pipelines that read IMM right after `apply`; each write then costs at least " +
				"`consistency_window`, so set that to the lag your region shows. Default `false`.",
			Optional: true,
		},
		"max_retries": schema.Int64Attribute{
			MarkdownDescription: "How many times a request that failed with a server error or a network failure is sent " +
				"again. Throttled requests are retried until the operation's timeout. Default `5`.",
			Optional:   true,
			Validators: []validator.Int64{int64validator.Between(0, 100)},
		},
	}
	for name, a := range credentialSchemaAttributes() {
		attrs[name] = a
	}
	blocks := credentialSchemaBlocks()
	for name, b := range tagSchemaBlocks() {
		blocks[name] = b
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The IMM provider manages Alibaba Cloud Intelligent Media Management (IMM, API 2020-09-30) " +
			"projects, datasets and face clusters.",
		Attributes: attrs,
		Blocks:     blocks,
	}
	emptyMeansUnset(&resp.Schema)
}

// ValidateConfig checks what no single argument's validator can: that no
// default tag is also ignored.
func (p *immProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	cfg, diags := readProviderConfig(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || len(unknownTagArguments(cfg)) > 0 {
		return
	}
	checkDefaultsNotIgnored(tagPolicyOf(cfg), &resp.Diagnostics)
}

func (p *immProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	tflog.Info(ctx, "Configuring the IMM provider", map[string]any{"version": p.version})
	cfg, diags := readProviderConfig(ctx, req.Config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if unknown := unknownProviderArguments(cfg); len(unknown) > 0 {
		resp.Diagnostics.AddError("Provider configuration is not known yet",
			fmt.Sprintf("The IMM provider can't be configured while %v depend on values known only after apply. "+
				"Use values known at plan time, or apply the resources they come from first.", unknown))
		return
	}

	region := firstNonEmpty(cfg.Region.ValueString(), p.getenv("ALIBABA_CLOUD_REGION"), p.getenv("ALICLOUD_REGION"))
	if region == "" {
		resp.Diagnostics.AddAttributeError(path.Root("region"), "No region configured",
			"Set the provider's region argument, or the ALIBABA_CLOUD_REGION (or ALICLOUD_REGION) environment variable, "+
				"to a region ID such as cn-hangzhou.")
		return
	}
	endpoint := imm.RegionalEndpoint(region)
	if raw := firstNonEmpty(cfg.Endpoint.ValueString(), p.getenv("IMM_ENDPOINT"), p.getenv("ALIBABA_CLOUD_ENDPOINT_IMM")); raw != "" {
		var err error
		if endpoint, err = imm.ParseEndpoint(raw); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid endpoint", err.Error())
			return
		}
	}

	window := defaultConsistencyWindow
	if !cfg.ConsistencyWindow.IsNull() {
		window, _ = time.ParseDuration(cfg.ConsistencyWindow.ValueString()) // validated by durationValidator; "" is null
	}
	maxRetries := int64(defaultMaxRetries)
	if !cfg.MaxRetries.IsNull() {
		maxRetries = cfg.MaxRetries.ValueInt64()
	}

	cred, credDiags := resolveCredential(cfg, credentials.Environment{Getenv: p.getenv})
	resp.Diagnostics.Append(credDiags...)
	if resp.Diagnostics.HasError() {
		return
	}
	tflog.Info(ctx, "IMM credentials chosen", map[string]any{"source": cred.Source, "access_key_id": cred.MaskedAccessKeyID()})

	client, err := imm.New(imm.Config{
		Endpoint:         endpoint,
		Region:           region,
		Credential:       cred.Credential,
		MaxRetries:       int(maxRetries),
		UserAgent:        "terraform-provider-imm/" + p.version,
		Logger:           tflogLogger{},
		CredentialSource: cred.Source,
	})
	if err != nil {
		resp.Diagnostics.AddError("Could not create the IMM client", err.Error())
		return
	}
	data := &providerData{
		client:             client,
		region:             region,
		clock:              p.clock,
		consistencyWindow:  window,
		waitForConsistency: cfg.WaitForConsistency.ValueBool(),
		tags:               tagPolicyOf(cfg),
	}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
	resp.ActionData = data
}

func (p *immProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewProjectResource,
		NewDatasetResource,
		NewFigureClusterResource,
		NewFigureClusteringResource,
		NewTriggerResource,
		NewBindingResource,
		NewOSSBucketAttachmentResource,
	}
}

// Actions are one-off operations (Terraform 1.14+).
func (p *immProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{
		NewFigureClusteringAction,
		NewBatchAction,
	}
}

// ListResources are what `terraform query` can find (Terraform 1.14+).
func (p *immProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewProjectListResource,
		NewDatasetListResource,
		NewFigureClusterListResource,
		NewBindingListResource,
		NewOSSBucketAttachmentListResource,
		NewTriggerListResource,
	}
}

func (p *immProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewProjectDataSource,
		NewProjectsDataSource,
		NewDatasetDataSource,
		NewDatasetsDataSource,
		NewFigureClusterDataSource,
		NewFigureClustersDataSource,
		NewTriggerDataSource,
		NewTriggersDataSource,
		NewBindingDataSource,
		NewBindingsDataSource,
		NewOSSBucketAttachmentDataSource,
		NewOSSBucketAttachmentsDataSource,
	}
}

// Functions are the provider functions (Terraform 1.8 and later).
func (p *immProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{
		NewProjectARNFunction,
		NewDatasetARNFunction,
		NewTriggerARNFunction,
		NewParseImportIDFunction,
		NewBuildImportIDFunction,
	}
}

func unknownProviderArguments(cfg providerModel) []string {
	unknown := append(unknownCredentialArguments(cfg), unknownTagArguments(cfg)...)
	for name, v := range map[string]interface{ IsUnknown() bool }{
		"region": cfg.Region, "endpoint": cfg.Endpoint, "consistency_window": cfg.ConsistencyWindow,
		"wait_for_consistency": cfg.WaitForConsistency, "max_retries": cfg.MaxRetries,
	} {
		if v.IsUnknown() {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	return unknown
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// endpointValidator accepts what imm.ParseEndpoint does: host[:port] or
// https://host[:port], and http:// for a loopback address.
var endpointValidator = stringCheck{summary: "Invalid endpoint",
	description: "must be host[:port] or https://host[:port] (http:// only for a loopback address such as the local emulator)",
	check: func(s string) error {
		_, err := imm.ParseEndpoint(s)
		return err
	}}

// An empty string means "not set" for every optional string argument of the
// provider block, as modules pass "" for "not set" (variable "region" {
// default = "" }). One mechanism does it for all: the validators of each such
// argument see the configuration with every empty string null
// (emptyMeansUnset), and Configure reads the configuration the same way
// (readProviderConfig). A required argument set to "" is still checked, and
// refused, by its own validators.

// emptyMeansUnsetNote ends the description of each optional string argument.
const emptyMeansUnsetNote = " An empty string is the same as leaving it out."

// emptyMeansUnset applies the rule to every optional string attribute of s,
// its blocks' included.
func emptyMeansUnset(s *schema.Schema) {
	unsetWhenEmpty(s.Attributes)
	for _, b := range s.Blocks {
		if list, ok := b.(schema.ListNestedBlock); ok {
			unsetWhenEmpty(list.NestedObject.Attributes)
		}
	}
}

func unsetWhenEmpty(attrs map[string]schema.Attribute) {
	for name, a := range attrs {
		s, ok := a.(schema.StringAttribute)
		if !ok || !s.Optional {
			continue
		}
		validators := make([]validator.String, len(s.Validators))
		for i, v := range s.Validators {
			validators[i] = unlessEmpty{v}
		}
		s.Validators = validators
		s.MarkdownDescription += emptyMeansUnsetNote
		attrs[name] = s
	}
}

// unlessEmpty runs a validator on the configuration as Configure reads it: an
// empty value is not checked, and other arguments' empty values are null.
type unlessEmpty struct{ validator.String }

func (v unlessEmpty) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if isEmptyString(req.ConfigValue) {
		return
	}
	config, err := withoutEmptyStrings(req.Config)
	if err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Could not read the provider configuration", err.Error())
		return
	}
	req.Config = config
	v.String.ValidateString(ctx, req, resp)
}

func isEmptyString(v types.String) bool {
	return !v.IsNull() && !v.IsUnknown() && v.ValueString() == ""
}

// readProviderConfig reads the provider block with every empty string null.
func readProviderConfig(ctx context.Context, config tfsdk.Config) (providerModel, diag.Diagnostics) {
	var cfg providerModel
	var diags diag.Diagnostics
	config, err := withoutEmptyStrings(config)
	if err != nil {
		diags.AddError("Could not read the provider configuration", err.Error())
		return cfg, diags
	}
	diags.Append(config.Get(ctx, &cfg)...)
	return cfg, diags
}

// withoutEmptyStrings is config with each empty string replaced by null.
func withoutEmptyStrings(config tfsdk.Config) (tfsdk.Config, error) {
	raw, err := tftypes.Transform(config.Raw, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if !v.Type().Is(tftypes.String) || !v.IsKnown() || v.IsNull() {
			return v, nil
		}
		var s string
		if err := v.As(&s); err != nil || s != "" {
			return v, err
		}
		return tftypes.NewValue(tftypes.String, nil), nil
	})
	return tfsdk.Config{Schema: config.Schema, Raw: raw}, err
}
