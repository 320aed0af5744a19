package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// The provider's diagnostics read alike: a short summary naming the operation
// and the object ("updating IMM project (my-proj)"), and a detail that says
// what happened, with IMM's code, message and request ID when the service said
// no, and what to do.

// operationSummary is the summary of a failed operation on an object.
func operationSummary(verb, kind, id string) string {
	return fmt.Sprintf("Error %s IMM %s (%s)", verb, kind, id)
}

// apiErrorDetail explains a failed call, with advice when there is some.
func apiErrorDetail(err error, advice string) string {
	var b strings.Builder
	var apiErr *imm.Error
	if errors.As(err, &apiErr) {
		fmt.Fprintf(&b, "IMM refused %s.\n\nCode:       %s\nMessage:    %s\nRequest ID: %s\nHTTP:       %d",
			apiErr.Action, apiErr.Code, apiErr.Message, apiErr.RequestID, apiErr.StatusCode)
		if apiErr.Recommend != "" {
			fmt.Fprintf(&b, "\nDiagnosis:  %s", apiErr.Recommend)
		}
	} else {
		fmt.Fprintf(&b, "The request to IMM failed: %v", err)
	}
	if advice != "" {
		fmt.Fprintf(&b, "\n\n%s", advice)
	}
	return b.String()
}

// addAPIError adds the diagnostic of a failed operation.
func addAPIError(diags *diag.Diagnostics, verb, kind, id string, err error, advice string) {
	diags.AddError(operationSummary(verb, kind, id), apiErrorDetail(err, advice))
}
