package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// tflogLogger writes the IMM client's log entries to Terraform's log
// (TF_LOG=DEBUG shows each attempt).
type tflogLogger struct{}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}

func (tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(ctx, msg, fields)
}

// silentLogLevels are terraform-plugin-log's variables for the levels of
// the SDK's loggers (terraform-plugin-go's root and protocol loggers, the
// framework's subsystem) and of the provider's own logger
// (TF_LOG_PROVIDER_ and the provider's name), each set to OFF.
var silentLogLevels = map[string]string{
	"TF_LOG_SDK":           "OFF",
	"TF_LOG_SDK_PROTO":     "OFF",
	"TF_LOG_SDK_FRAMEWORK": "OFF",
	"TF_LOG_PROVIDER_IMM":  "OFF",
}

// LogLevelsUnlessAsked returns the environment variables main sets before
// serving, given the provider's environment (os.Environ()): when no TF_LOG*
// variable has a value, the levels that switch every log line of the
// provider and of the SDK off; otherwise none, and logging works as
// Terraform documents.
//
// The SDK's levels default to TRACE, so without this the framework formats
// a JSON line for every step of every call and the provider writes it to
// Terraform, which parses it and throws it away unless TF_LOG asks for it
// (terraform-plugin-framework issue #1269): more than a third of the
// provider's CPU time in a 500-resource plan.
func LogLevelsUnlessAsked(environ []string) map[string]string {
	for _, kv := range environ {
		if name, value, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") && value != "" {
			return nil
		}
	}
	return silentLogLevels
}
